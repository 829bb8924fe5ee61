"""The Jiaxing demo: the whole flow on the shipped sample plan and its real data.

ingest the outline → review file plan.yaml → store (SQLite by default) → regions → real
observations with the series the rules need → evaluate the latest year → reports.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planwatch.errors import PlanwatchError
from planwatch.model import Assessment, ObservationKind, Plan, Series
from planwatch.samples import JIAXING_ACTUALS, JIAXING_OUTLINE, SAMPLES

if TYPE_CHECKING:  # the observe layer loads lazily, inside run_demo
    from planwatch.observe.importer import ImportReport

JIAXING_SERIES = SAMPLES / "data" / "jiaxing-series.csv"
JIAXING_REGIONS = SAMPLES / "regions" / "jiaxing-regions.csv"
JIAXING_RESPONSIBILITIES_SAMPLE = SAMPLES / "data" / "jiaxing-responsibilities-sample.csv"  # sample, not the official division
JIAXING_PROJECTS_SAMPLE = SAMPLES / "data" / "jiaxing-projects-sample.csv"  # sample, not the city's project figures
PROJECTS_SAMPLE_AS_OF = "2024-12-31"


@dataclass
class DemoResult:
    """What the demo produced, for the CLI to print."""

    plan_yaml: Path
    db_url: str
    plan: Plan
    import_report: ImportReport
    year: int
    assessment: Assessment
    reports: list[Path] = field(default_factory=list)


def declared_series(path: Path = JIAXING_SERIES) -> list[Series]:
    """The extra series (GDP growth, population …) the demo declares, read from a CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Series(code=row["code"], name=row["name"], unit=row["unit"] or None, kind=ObservationKind(row["kind"]))
            for row in csv.DictReader(fh)
        ]


def run_demo(out_dir: Path, db: str | None = None, *, formats: tuple[str, ...] = ("docx", "html", "xlsx")) -> DemoResult:
    """Run the whole Jiaxing flow into ``out_dir``; return what was produced."""
    from planwatch.evaluate import assess, read_inputs
    from planwatch.ingest import read_plan
    from planwatch.observe import import_file
    from planwatch.observe.assignments import assignments_from_sheet
    from planwatch.observe.projects import projects_from_sheet
    from planwatch.planfile import read_plan_yaml, write_plan_yaml
    from planwatch.report import build_reports
    from planwatch.store import open_store

    out_dir.mkdir(parents=True, exist_ok=True)
    plan = read_plan(JIAXING_OUTLINE)
    plan.series = declared_series()
    plan_yaml = out_dir / "plan.yaml"
    write_plan_yaml(plan, plan_yaml)

    db_url = db or f"sqlite:///{(out_dir / 'planwatch.db').resolve()}"
    store = open_store(db_url)
    store.init()
    store.load_plan(read_plan_yaml(plan_yaml), source=str(plan_yaml), note="demo")
    store.add_regions(_regions_rows(JIAXING_REGIONS))
    store.assign_many(assignments_from_sheet(JIAXING_RESPONSIBILITIES_SAMPLE))  # sample data, labelled so
    projects = projects_from_sheet(JIAXING_PROJECTS_SAMPLE, store.plan().projects, as_of=PROJECTS_SAMPLE_AS_OF)
    if projects.issues:  # the shipped sample must match the shipped plan
        raise PlanwatchError("；".join(i.message for i in projects.issues))
    store.record_project_reports(None, projects.reports, file_name=JIAXING_PROJECTS_SAMPLE.name)  # sample data
    report = import_file(store, JIAXING_ACTUALS)
    # The demo's dashboard is the public face: approved data readable without a login.
    store.change_settings({"public": True})

    inputs = read_inputs(store)
    plan = inputs.plan
    assessment = assess(inputs)
    year = assessment.year
    reports: list[Path] = []
    for kind, kind_year in (("annual", year), ("midterm", None), ("final", None)):
        reports += build_reports(store, kind, kind_year, out_dir / "reports", formats=formats)
    return DemoResult(plan_yaml, db_url, plan, report, year, assessment, reports)


def _regions_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
