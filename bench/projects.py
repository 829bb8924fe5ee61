"""Project tracking bench: 10,000 projects × 10 years of investment data (100,000 sheet rows).

Writes a tracking sheet (CSV) with the 9 railways of the Jiaxing plan and 9,991 projects the plan does
not name (规划内 = 否), over 2016–2025, on a fresh SQLite store with the real plan loaded; then times

- import: read and match the sheet (observe.projects) and write it in one transaction;
- roll-up: read every report back, judge each project at 2025 and roll up by box, chapter, unit and
  region, with the programme totals (evaluate.projects.projects_from_store);
- the baseline, in the same run: one plain SQL aggregate (latest report per project-year by window
  function, summed by region for 2025) — the least any roll-up must do.

    .venv/bin/python bench/projects.py [--projects 10000 --years 10] [--db URL]
        [--save-json FILE | --expect-json FILE]

The sheets are the same in every run (a fixed seed), so the whole overview (ProjectsOverview.to_json())
can be saved by one version of the code and compared by another: a faster roll-up must give the same
answer, to the last digit and in the same order.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from planwatch.evaluate.projects import projects_from_store
from planwatch.ingest import read_plan
from planwatch.observe.projects import SHEET_COLUMNS, projects_from_sheet
from planwatch.samples import JIAXING_OUTLINE
from planwatch.store import open_store

REGIONS = ["南湖区", "秀洲区", "嘉善县", "平湖市", "海盐县", "海宁市", "桐乡市", "经开区"]
UNITS = ["市交通运输局", "市发展改革委", "市住房城乡建设局", "市生态环境局", "市卫生健康委", "市教育局", "市经信局"]

SQL_BASELINE = """
WITH ranked AS (
  SELECT region, planned_investment, completed_investment,
         ROW_NUMBER() OVER (PARTITION BY project_key, year ORDER BY as_of DESC, id DESC) AS n
  FROM project_reports WHERE year = :year)
SELECT region, COUNT(*), SUM(planned_investment), SUM(completed_investment)
FROM ranked WHERE n = 1 GROUP BY region ORDER BY region
"""


def write_sheet(path: Path, projects: int, years: range, plan_projects: list[str], first: int = 2016) -> int:
    """A tracking sheet of ``years``; returns its row count (the same projects and dates in every sheet)."""
    rng = random.Random(11)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(SHEET_COLUMNS)
        for i in range(projects):
            in_plan = i < len(plan_projects)
            number, name = (plan_projects[i], "") if in_plan else ("", f"基准测试项目{i:05d}")
            start = first + rng.randrange(10)
            total = round(rng.uniform(1, 200), 2)
            for year in years:
                planned = round(total / 10 * rng.uniform(0.5, 1.5), 2)
                completed = round(planned * rng.uniform(0.3, 1.2), 2)
                w.writerow([number, name, "是" if in_plan else "否", rng.choice(UNITS), rng.choice(REGIONS), total,
                            year, planned, completed, f"{start - 1}-06-30", f"{start - 1}-07-15", f"{start}-03-31",
                            f"{start}-{rng.randint(3, 9):02d}-15", f"{start + 4}-12-31", "", f"{start + 5}-06-30", ""])
                rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--db", default=None, help="store URL (default: a temporary SQLite file)")
    parser.add_argument("--save-json", type=Path, help="write the overview's JSON to this file")
    parser.add_argument("--expect-json", type=Path, help="check the overview's JSON equals this file's")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
        store.init()
        plan = read_plan(JIAXING_OUTLINE)
        store.load_plan(plan)
        # A sheet is limited to 100,000 rows (observe/limits.py): one sheet per half of the period.
        last = 2016 + args.years - 1
        half = 2016 + args.years // 2
        sheets = []
        for n, years in enumerate((range(2016, half), range(half, last + 1))):
            sheet = Path(tmp) / f"projects-{n + 1}.csv"
            sheets.append((sheet, write_sheet(sheet, args.projects, years, [p.key for p in plan.projects]), years))
        rows = sum(r for _, r, _ in sheets)
        print(f"{args.projects} projects × {args.years} years = {rows} sheet rows in {len(sheets)} sheets")
        match = write = 0.0
        for sheet, _, _ in sheets:
            t0 = time.perf_counter()
            result = projects_from_sheet(sheet, plan.projects, as_of=f"{last}-12-31",
                                         known_extra=store.extra_projects())
            t1 = time.perf_counter()
            assert not result.issues, result.issues[:3]
            store.record_project_reports(None, result.reports, file_name=sheet.name)
            t2 = time.perf_counter()
            match, write = match + t1 - t0, write + t2 - t1
        print(f"import: read and match {match:.2f} s, write {write:.2f} s, total {match + write:.2f} s "
              f"({rows / (match + write):,.0f} rows/s)")

        t3 = time.perf_counter()
        reports = store.project_reports().history
        t4 = time.perf_counter()
        overview = projects_from_store(store, last)
        t5 = time.perf_counter()
        rollup = t5 - t4
        print(f"read every report ({len(reports)}): {t4 - t3:.2f} s; roll-up (read, judge {len(overview.views)} "
              f"projects, 4 groupings, programme): {rollup:.2f} s")

        with store.engine.connect() as conn:
            t6 = time.perf_counter()
            sql = conn.execute(text(SQL_BASELINE), {"year": last}).all()
            t7 = time.perf_counter()
        baseline = t7 - t6
        print(f"plain SQL aggregate (latest per project-year, by region, {len(sql)} groups): {baseline * 1000:.0f} ms")
        print(f"roll-up / SQL aggregate: {rollup / baseline:.0f}×")

        by_region = {r.group: r for r in overview.rollups["region"]}
        for region, count, planned, completed in sql:
            r = by_region[region]
            assert r.count == count and abs(r.year_planned - planned) < 1e-6 * max(1, planned), (region, r, planned)
            assert abs(r.year_completed - completed) < 1e-6 * max(1, completed)
        print("roll-up by region equals the SQL aggregate for every region")
        dumped = json.dumps(overview.to_json(), ensure_ascii=False, indent=1)
        if args.save_json:
            args.save_json.write_text(dumped, encoding="utf-8")
            print(f"overview JSON written to {args.save_json} ({len(dumped):,} characters)")
        if args.expect_json:
            assert dumped == args.expect_json.read_text(encoding="utf-8"), f"overview differs from {args.expect_json}"
            print(f"overview JSON identical to {args.expect_json} ({len(dumped):,} characters)")
        store.dispose()


if __name__ == "__main__":
    main()
