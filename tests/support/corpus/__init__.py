"""A labelled corpus of generated reports: realistic reports of both formats (rich.py, with
tables.py and narrative.py), written in every input format and layout (variants.py), with
defects injected together with the finding they must produce (defects.py), and scored
against what the auditor read and found (scoring.py)."""
