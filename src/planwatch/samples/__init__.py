"""Sample inputs shipped with planwatch: the Jiaxing 14th plan outline and its real data."""

from pathlib import Path

SAMPLES = Path(__file__).parent
JIAXING_OUTLINE = SAMPLES / "plans" / "jiaxing-14th-fyp-outline.txt"
JIAXING_ACTUALS = SAMPLES / "data" / "jiaxing-actuals.csv"
FRAGMENTS = sorted((SAMPLES / "plans").glob("*-fragment.txt"))
