"""Chinese display labels shared by the rules' messages, the explanations and every output,
written once here (the model, the engine and the renderers all import this module, and it
imports nothing)."""
from __future__ import annotations

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# The two official formats, by the id spec.py gives them.
FORMAT_SHORT_NAMES = {"2019": "2019 年格式", "2021": "2021 年格式"}
NOTICE_NAMES = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}  # the notice that set each format
FORMAT_NAMES = {f: f"{name}（{NOTICE_NAMES[f]}）" for f, name in FORMAT_SHORT_NAMES.items()}
