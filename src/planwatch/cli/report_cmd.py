"""CLI commands of the report stage."""

from .app import app  # noqa: F401
