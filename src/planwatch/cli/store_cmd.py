"""CLI commands of the store stage."""

from .app import app  # noqa: F401
