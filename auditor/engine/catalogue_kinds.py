"""Kinds that read other rules of the catalogue besides the report: pinpointing and blank
cells read the identity rules to find the cell that breaks them, or the value a blank holds."""
from __future__ import annotations

from .kinds.cells import check_blank_cells
from .pinpoint import check_pinpoint

CATALOGUE_KINDS = {"pinpoint": check_pinpoint, "blank_cells": check_blank_cells}
