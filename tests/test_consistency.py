"""One county, one answer: the CLI, the API, the dashboard and the report agree finding by finding.

For each store, region, year and method the four surfaces are asked the same question:

- the CLI: ``planwatch evaluate --db URL --year Y --region R --method M --json`` (in-process);
- the API: ``/api/findings?year=Y&region=R&method=M``;
- the dashboard: the rows of ``/?year=Y&region=R&method=M`` (data-indicator, data-status, cells);
- the report: ``context_from_store(store, "annual", Y, M, R).rows`` (cells and findings).

They must list the same indicators in the same order with the same status, actual, expected,
completion and warning: the display strings everywhere, and the raw numbers between the CLI and
the API (and the report's findings). Two stores are asked: the real Jiaxing demo store
(tests/conftest.py) and a synthetic one holding the Jiaxing plan with four regions that have
different data: a county with data for many indicators, one with data for only a few, one whose
data stop in 2021 (stale), and the city itself.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from planwatch.cli import main
from planwatch.evaluate import latest_data_year, read_inputs
from planwatch.model import Observation, ObservationKind
from planwatch.report.context import context_from_store
from planwatch.store import Store, open_store
from planwatch.web import WebSettings, create_app

CITY, NANHU, HAINING, JIASHAN = "嘉兴市", "南湖区", "海宁市", "嘉善县"
YEARS = (2021, 2022, 2023, 2024, 2025)
METHODS = ("elapsed_time", "open_sdg", "unsd")
JIAXING_REGIONS = (CITY, NANHU, "秀洲区", JIASHAN, "平湖市", "海盐县", HAINING, "桐乡市")
# Keys the web adds to the shared record (a definition and a link); every other key is the record itself.
WEB_ONLY = ("status_explanation", "url")
WARNING_MARK = "预警"


# ---------------------------------------------------------------- the synthetic multi-county store


def _obs(indicator: str, region: str, year: int, value: float, unit: str, **kw) -> Observation:
    return Observation(indicator=indicator, region=region, year=year, value=value, unit=unit, **kw)


def synthetic_observations() -> list[Observation]:
    """Different data per region: rich (南湖区), sparse (海宁市), stale (嘉善县), the city's own."""
    growth = ObservationKind.annual_growth
    city = [
        *(_obs("T2-1", CITY, y, v, "亿元") for y, v in
          ((2020, 5563.58), (2021, 6388.38), (2022, 6739.45), (2023, 7062.5), (2024, 7569.53))),
        *(_obs("T2-3", CITY, y, v, "%") for y, v in ((2021, 71.9), (2022, 72.4), (2024, 74.5))),
        _obs("T2-5", CITY, 2022, 3.4, "%", bound=">"), _obs("T2-5", CITY, 2023, 3.56, "%"),
        _obs("T2-18", CITY, 2021, 26.0, "微克/立方米"), _obs("T2-18", CITY, 2023, 25.0, "微克/立方米"),
        *(_obs("GDPg", CITY, y, v, "%", kind=growth) for y, v in
          ((2021, 8.5), (2022, 2.5), (2023, 6.3), (2024, 5.6))),
        *(_obs("T2-27", CITY, y, v, "%", kind=growth) for y, v in ((2021, 9.8), (2022, 4.0), (2023, 6.5))),
        _obs("T2-6", CITY, 2022, 129.0, "万人", bound=">"), _obs("T2-6", CITY, 2024, 129.0, "万人"),
        _obs("T2-34", CITY, 2023, 83.1, "岁"),
    ]
    nanhu = [
        *(_obs("T2-1", NANHU, y, v, "亿元") for y, v in
          ((2020, 700.0), (2021, 729.91), (2022, 790.0), (2023, 1001.92), (2024, 1050.0))),
        *(_obs("T2-3", NANHU, y, v, "%") for y, v in ((2020, 80.1), (2021, 80.9), (2023, 82.0), (2024, 82.3))),
        *(_obs("T2-5", NANHU, y, v, "%") for y, v in ((2020, 2.8), (2022, 3.1), (2024, 3.9))),
        *(_obs("T2-18", NANHU, y, v, "微克/立方米") for y, v in ((2020, 29.0), (2022, 28.5), (2024, 28.8))),
        *(_obs("GDPg", NANHU, y, v, "%", kind=growth) for y, v in ((2021, 8.8), (2022, 3.0), (2023, 4.2))),
        *(_obs("T2-27", NANHU, y, v, "%", kind=growth) for y, v in ((2021, 9.1), (2022, 4.4), (2023, 5.0))),
        _obs("T2-6", NANHU, 2024, 20.0, "万人", bound=">"),
        *(_obs("T2-13", NANHU, y, v, "%") for y, v in ((2020, 85.0), (2023, 84.0))),
        *(_obs("T2-37", NANHU, y, v, "万吨") for y, v in ((2020, 12.0), (2022, 11.4), (2024, 12.3))),
    ]
    haining = [  # a few indicators only
        _obs("T2-1", HAINING, 2020, 1030.78, "亿元"), _obs("T2-1", HAINING, 2023, 1318.0, "亿元"),
        _obs("T2-5", HAINING, 2020, 3.3, "%"), _obs("T2-5", HAINING, 2024, 3.5, "%"),
    ]
    jiashan = [  # nothing after 2021: stale from 2023 on
        _obs("T2-1", JIASHAN, 2020, 655.77, "亿元"), _obs("T2-1", JIASHAN, 2021, 789.26, "亿元"),
        _obs("T2-3", JIASHAN, 2020, 66.0, "%"), _obs("T2-3", JIASHAN, 2021, 67.5, "%"),
        _obs("T2-18", JIASHAN, 2020, 31.0, "微克/立方米"), _obs("T2-18", JIASHAN, 2021, 26.5, "微克/立方米"),
    ]
    return city + nanhu + haining + jiashan


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory, jiaxing_plan):
    from planwatch.demo import declared_series

    path = tmp_path_factory.mktemp("consistency") / "counties.db"
    s = open_store(f"sqlite:///{path}")
    s.init()
    s.load_plan(jiaxing_plan, source="jiaxing", note="consistency")
    s.add_regions([{"name": r, "parent": CITY, "level": "county"} for r in (NANHU, HAINING, JIASHAN)])
    s.declare_series(declared_series())
    s.add_observations(synthetic_observations())
    yield s
    s.dispose()


@pytest.fixture(scope="module")
def stores(jiaxing_store_shared, synthetic_store) -> dict[str, Store]:
    return {"jiaxing": jiaxing_store_shared, "synthetic": synthetic_store}


@pytest.fixture(scope="module")
def clients(stores) -> dict[str, TestClient]:
    """Anonymous clients of the public dashboard: what a citizen reads must be what the CLI says."""
    for s in stores.values():
        s.change_settings({"public": True})
    return {name: TestClient(create_app(WebSettings(db=s.url, cache_seconds=3600), store=s))
            for name, s in stores.items()}


# ---------------------------------------------------------------- the four surfaces


def ask_cli(url: str, year: int | None = None, region: str | None = None, method: str | None = None) -> list[dict]:
    """``planwatch evaluate --json``, run in-process, its stdout parsed."""
    argv = ["evaluate", "--db", url, "--json"]
    if year is not None:
        argv += ["--year", str(year)]
    if region is not None:
        argv += ["--region", region]
    if method is not None:
        argv += ["--method", method]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    assert code == 0, argv
    return json.loads(out.getvalue())


def _params(year, region, method) -> dict:
    return {k: v for k, v in (("year", year), ("region", region), ("method", method)) if v is not None}


def ask_api(client: TestClient, year=None, region=None, method=None) -> dict:
    r = client.get("/api/findings", params=_params(year, region, method))
    assert r.status_code == 200, r.text
    return r.json()


@dataclass
class PageRow:
    """A row of the dashboard's indicator table."""

    indicator_id: str
    status: str
    cells: list[str]

    # columns: 序号, 指标, 单位, 基期, 目标, 最新实际, 完成度, 状态, 预警
    @property
    def actual(self) -> str:
        return self.cells[5]

    @property
    def completion(self) -> str:
        return self.cells[6]

    @property
    def status_text(self) -> str:
        return self.cells[7]

    @property
    def warning(self) -> bool:
        return WARNING_MARK in self.cells[8]


class DashboardTable(HTMLParser):
    """The rows with data-indicator of the dashboard's table, the selected year and region."""

    def __init__(self):
        super().__init__()
        self.rows: list[PageRow] = []
        self.selected: dict[str, str] = {}
        self._row: PageRow | None = None
        self._select: str | None = None
        self._option: dict | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self._row = PageRow(attrs["data-indicator"], attrs["data-status"], []) if "data-indicator" in attrs else None
            if self._row is not None:
                self.rows.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.selected[attrs["name"]] = attrs.get("value") or ""  # a single choice is not offered as a select
        elif tag == "option" and self._select and "selected" in attrs:
            self._option = attrs
            self.selected[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag in ("tr", "tbody", "table"):
            self._row = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._option is not None and self._select and not self.selected[self._select]:
            self.selected[self._select] = data.strip()


def ask_dashboard(client: TestClient, year=None, region=None, method=None) -> DashboardTable:
    r = client.get("/", params=_params(year, region, method))
    assert r.status_code == 200, r.text
    page = DashboardTable()
    page.feed(r.text)
    # only the table's rows carry data-indicator; each has the nine cells of its header
    assert all(len(row.cells) == 9 for row in page.rows), [row.cells for row in page.rows if len(row.cells) != 9]
    return page


def ask_report(store: Store, year=None, region=None, method=None):
    return context_from_store(store, "annual", year, method, region)


# ---------------------------------------------------------------- comparison


def _mismatches(label: str, ours: dict, theirs: dict) -> list[str]:
    return [f"{label} {key}: {ours.get(key)!r} ≠ {theirs.get(key)!r}"
            for key in sorted(set(ours) | set(theirs), key=str) if ours.get(key) != theirs.get(key)]


def compare(store: Store, client: TestClient, year: int | None, region: str | None, method: str | None) -> dict:
    """Ask all four surfaces; assert they agree; return the API's answer."""
    api = ask_api(client, year, region, method)
    cli = ask_cli(store.url, year, region, method)
    page = ask_dashboard(client, year, region, method)
    report = ask_report(store, year, region, method)
    rows = api["findings"]
    problems: list[str] = []

    # the same question was answered: one year, one region, one method
    assert {r["year"] for r in cli} <= {api["year"]} and report.year == api["year"]
    assert {r["region"] for r in cli} <= {api["region"]} and report.region == api["region"]
    assert {r["method"] for r in cli} <= {api["method"]}
    assert report.method.code == api["method"]
    assert page.selected.get("year") == str(api["year"]), page.selected
    assert page.selected.get("region") == api["region"] and page.selected.get("method") == api["method"]

    # the CLI's JSON is the API's row without the web's own two keys: every raw number, every display string
    ids = [r["indicator_id"] for r in rows]
    assert [r["indicator_id"] for r in cli] == ids, "CLI and API list different findings"
    for c, a in zip(cli, rows, strict=True):
        problems += _mismatches(f"CLI≠API {a['indicator_id']}", c, {k: v for k, v in a.items() if k not in WEB_ONLY})

    # the dashboard shows the API's rows
    assert [p.indicator_id for p in page.rows] == ids, "dashboard and API list different findings"
    for p, a in zip(page.rows, rows, strict=True):
        shown = {"status": p.status, "status_text": p.status_text, "actual": p.actual,
                 "completion": p.completion, "warning": p.warning, "baseline": p.cells[3], "target": p.cells[4]}
        expected = {"status": a["status"], "status_text": a["status_text"], "actual": a["actual_display"],
                    "completion": a["completion_display"], "warning": a["warning"],
                    "baseline": a["baseline_display"], "target": a["target_display"]}
        problems += _mismatches(f"dashboard≠API {a['indicator_id']}", shown, expected)

    # the report: one row per indicator (its primary target), cells and findings as the API's
    primary = {}
    for a in rows:
        primary.setdefault(a["indicator_id"], a)
    assert [r.finding.indicator_id for r in report.rows] == list(primary), "report and API list different indicators"
    for r in report.rows:
        a = primary[r.finding.indicator_id]
        f = r.finding
        shown = {"status": str(f.status), "status_text": r.cells["status"], "actual": r.cells["actual"],
                 "expected": r.cells["expected"], "completion": r.cells["completion"],
                 "warning": r.cells["warning"], "baseline": r.cells["baseline"], "target": r.cells["target"],
                 "raw_actual": f.actual, "raw_expected": f.expected,
                 "raw_completion": f.completion, "raw_warning": f.warning, "actual_year": f.actual_year,
                 "stale": f.stale}
        expected = {"status": a["status"], "status_text": a["status_text"], "actual": a["actual_display"],
                    "expected": a["expected_display"], "completion": a["completion_display"],
                    "warning": a["warning_label"], "baseline": a["baseline_display"],
                    "target": a["target_display"], "raw_actual": a["actual"],
                    "raw_expected": a["expected"], "raw_completion": a["completion"], "raw_warning": a["warning"],
                    "actual_year": a["actual_year"], "stale": a["stale"]}
        problems += _mismatches(f"report≠API {a['indicator_id']}", shown, expected)

    # the counts: the dashboard's cards, the report's count table, the CLI's records
    api_counts = {s["status"]: s["count"] for s in api["summary"]}
    report_counts = {s: n for s, _, n in report.status_counts}
    cli_counts = {s: sum(1 for r in cli if r["status"] == s) for s in api_counts}
    problems += _mismatches("counts CLI≠API", cli_counts, api_counts)
    problems += _mismatches("counts report≠API", report_counts, {s: api_counts[s] for s in report_counts})
    assert report.total == len(primary) and api["total"] == len(rows) == len(cli) == len(page.rows)
    assert api["warnings"] == sum(r["warning"] for r in cli) == sum(p.warning for p in page.rows)

    assert not problems, "surfaces disagree:\n" + "\n".join(problems[:40])
    return api


# ---------------------------------------------------------------- cases


def _latest(store: Store) -> int:
    inputs = read_inputs(store)
    return latest_data_year(inputs.plan, inputs.frame)


def test_the_synthetic_store_is_what_the_cases_assume(synthetic_store, clients):
    assert _latest(synthetic_store) == 2024
    data = ask_api(clients["synthetic"], 2024, NANHU)
    by_id = {f["indicator_id"]: f for f in data["findings"]}
    assert by_id["T2-1"]["actual"] == 1050.0 and by_id["T2-1"]["baseline"] == 700.0
    stale = ask_api(clients["synthetic"], 2024, JIASHAN)["findings"]
    assert {f["actual_year"] for f in stale if f["actual"] is not None} == {2021}
    assert all(f["stale"] for f in stale if f["actual"] is not None)
    sparse = ask_api(clients["synthetic"], 2024, HAINING)["findings"]
    assert sum(f["actual"] is not None for f in sparse) == 2


SYNTHETIC_CASES = [
    *((year, region, "elapsed_time") for region in (CITY, NANHU, HAINING, JIASHAN) for year in YEARS),
    *((2024, region, method) for region in (CITY, NANHU, HAINING, JIASHAN) for method in ("open_sdg", "unsd")),
    *((2022, region, method) for region in (NANHU, JIASHAN) for method in ("open_sdg", "unsd")),
]


@pytest.mark.parametrize(("year", "region", "method"), SYNTHETIC_CASES)
def test_surfaces_agree_on_the_synthetic_counties(stores, clients, year, region, method):
    data = compare(stores["synthetic"], clients["synthetic"], year, region, method)
    assert data["total"] == 38


JIAXING_CASES = [
    *((2024, region, "elapsed_time") for region in JIAXING_REGIONS),
    *((year, region, "elapsed_time") for region in (CITY, NANHU) for year in (2021, 2022, 2023, 2025)),
    *((2024, CITY, method) for method in ("open_sdg", "unsd")),
    (2022, "桐乡市", "unsd"),
]


@pytest.mark.parametrize(("year", "region", "method"), JIAXING_CASES)
def test_surfaces_agree_on_the_jiaxing_demo(stores, clients, year, region, method):
    assert _latest(stores["jiaxing"]) == 2024
    data = compare(stores["jiaxing"], clients["jiaxing"], year, region, method)
    assert data["total"] == 38


@pytest.mark.parametrize("name", ["jiaxing", "synthetic"])
def test_defaults_agree(stores, clients, name):
    """Nothing asked: every surface picks the same year (the latest with data), region and method."""
    data = compare(stores[name], clients[name], None, None, None)
    assert (data["year"], data["region"], data["method"]) == (2024, CITY, "elapsed_time")


@pytest.mark.parametrize("name", ["jiaxing", "synthetic"])
def test_nanhu_gets_the_same_findings_everywhere(stores, clients, name):
    """The issue's bug: 南湖区 got 38 findings from the CLI and none from the dashboard and the report."""
    store, client = stores[name], clients[name]
    cli = ask_cli(store.url, region=NANHU)
    api = ask_api(client, region=NANHU)["findings"]
    page = ask_dashboard(client, region=NANHU).rows
    report = ask_report(store, region=NANHU).rows
    assert len(cli) == len(api) == len(page) == len(report) == 38
    assert {f["region"] for f in cli} == {f["region"] for f in api} == {NANHU}
    assert {r.finding.region for r in report} == {NANHU}


def test_counties_get_different_answers(clients):
    """Per-county data reach each county's findings (and only them)."""
    gdp = {region: next(f for f in ask_api(clients["synthetic"], 2024, region)["findings"]
                        if f["indicator_id"] == "T2-1")
           for region in (CITY, NANHU, HAINING, JIASHAN)}
    assert {r: (f["actual"], f["actual_year"]) for r, f in gdp.items()} == {
        CITY: (7569.53, 2024), NANHU: (1050.0, 2024), HAINING: (1318.0, 2023), JIASHAN: (789.26, 2021)}
    assert gdp[JIASHAN]["status_text"].endswith("（按2021年数据）")


def test_defaults_agree_when_the_only_data_are_of_the_base_year(tmp_path, jiaxing_plan):
    s = open_store(f"sqlite:///{tmp_path / 'base-only.db'}")
    s.init()
    s.load_plan(jiaxing_plan)
    s.add_observations([_obs("T2-1", CITY, 2020, 5563.58, "亿元")])
    s.change_settings({"public": True})
    try:
        client = TestClient(create_app(WebSettings(db=s.url), store=s))
        compare(s, client, None, None, None)
    finally:
        s.dispose()


@pytest.mark.parametrize(("name", "region", "with_data"), [
    ("jiaxing", CITY, 10), ("jiaxing", NANHU, 0),  # the demo's county figures are a series, not table rows
    ("synthetic", CITY, 6), ("synthetic", NANHU, 8), ("synthetic", JIASHAN, 3)])
def test_indicator_charts_agree_with_the_report_charts(stores, clients, name, region, with_data):
    """The dashboard's indicator chart and the report's chart draw the same series."""
    report = ask_report(stores[name], 2024, region)
    drawn = 0
    for row in report.rows:
        chart = clients[name].get(f"/api/indicators/{row.finding.indicator_id}",
                                  params={"year": 2024, "region": region}).json()["chart"]
        series = row.chart.record()
        for key in ("actual", "planned", "target", "projection", "kind", "unit"):
            assert chart[key] == series[key], (row.finding.indicator_id, key)
        drawn += bool(series["actual"])
    assert drawn >= with_data


def test_report_chart_points_carry_only_the_bounds_the_store_holds(stores):
    report = ask_report(stores["synthetic"], 2024, NANHU)
    bounds = {(r.finding.indicator_id, p.year): p.bound for r in report.rows for p in r.chart.actual if p.bound}
    assert bounds == {("T2-6", 2024): ">"}
