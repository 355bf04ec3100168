"""`auditor serve`: the self-check web page for bureau staff (optional extra [serve]).

Only command.py is imported by the command line; the web stack (Starlette, uvicorn,
python-multipart) is imported when the command runs, so that the rest of the tool works
without it.
"""
