"""Rule kinds: how each kind of check is carried out; the catalogue says what is checked.

Each kind is a check function in one of this package's modules, registered with the
`@kind(...)` decorator of engine/kind.py, which declares its scope, params and message fields.
Importing the package imports every module in it, so a new module needs no list updated here.
"""
from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
