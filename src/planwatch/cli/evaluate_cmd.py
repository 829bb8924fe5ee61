"""CLI commands of the evaluate stage."""

from .app import app  # noqa: F401
