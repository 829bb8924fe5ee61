"""Where a request finds the app's Dashboard, or the reason there is none."""

from __future__ import annotations

from fastapi import Request

from .context import Dashboard


def dashboard(request: Request) -> Dashboard:
    """The app's Dashboard; re-raises the error met when the store was opened."""
    error = request.app.state.open_error
    if error is not None:
        raise error
    return request.app.state.dashboard
