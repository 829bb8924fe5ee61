"""Status colours, one set for charts, HTML and Excel."""

from __future__ import annotations

# Green for done or ahead, blue-green for on track, red/orange for lagging, grey for unknown.
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#2E7D32",
    "ahead": "#66BB6A",
    "on_track": "#42A5F5",
    "lagging": "#EF6C00",
    "not_achieved": "#C62828",
    "no_data": "#9E9E9E",
    "pending_target": "#BDBDBD",
    "not_assessable": "#CFD8DC",
}

# Light fills for table cells, where dark text must stay readable.
STATUS_FILLS: dict[str, str] = {
    "achieved": "C8E6C9",
    "ahead": "DCEDC8",
    "on_track": "BBDEFB",
    "lagging": "FFE0B2",
    "not_achieved": "FFCDD2",
    "no_data": "E0E0E0",
    "pending_target": "EEEEEE",
    "not_assessable": "ECEFF1",
}


def status_colour(status: str) -> str:
    """Chart colour of a status ('#RRGGBB')."""
    return STATUS_COLOURS.get(str(status), "#757575")


def status_fill(status: str) -> str:
    """Cell fill of a status ('RRGGBB', no '#')."""
    return STATUS_FILLS.get(str(status), "FFFFFF")
