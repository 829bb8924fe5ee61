"""CLI commands of the demo stage."""

from .app import app  # noqa: F401
