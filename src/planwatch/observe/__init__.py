"""Observations in and out: CSV/XLSX import (long or wide form) with checks, and export."""

from .export import export_observations
from .importer import ImportProblem, ImportReport, import_file

__all__ = ["ImportProblem", "ImportReport", "export_observations", "import_file"]
