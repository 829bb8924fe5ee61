"""CLI commands of the ingest stage."""

from .app import app  # noqa: F401
