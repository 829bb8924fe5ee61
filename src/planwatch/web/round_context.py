"""The data behind the round pages (数据填报): one context function per page, shared by its HTML and JSON.

- :func:`rounds_context`: the plan's rounds and the form that opens one (/rounds, /api/rounds);
- :func:`todo_context`: an account's to-do list of a round (/rounds/{id}, /api/rounds/{id}/todo),
  exactly the figures :func:`planwatch.observe.submissions.reportable` gives it;
- :func:`submission_context`: one figure with its whole history (/submissions/{id});
- :func:`board_context`: the planning office's view of a round per responsible unit (/rounds/{id}/board).

Scope is enforced here, where the data are read: a reporter reads its own unit's figures only, and
is refused (naming its own unit, never the other's data) for anything else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from planwatch.errors import AccessError, EvaluationError
from planwatch.evaluate.paths import planned_path
from planwatch.figures import fmt_number, fmt_value
from planwatch.model import Indicator, ObservationKind, Plan, RoundState, SubmissionState, observed_kind
from planwatch.observe.round_sheet import SheetRow, value_text
from planwatch.observe.submissions import FigureCheck, FigureInput, last_year_figure, lead_units, reportable
from planwatch.presentation import RATE_KINDS
from planwatch.store import User
from planwatch.store.accounts import role_may
from planwatch.store.plans import plan_key
from planwatch.store.rounds import Entry, Round, Submission, SubmissionEvent
from planwatch.vocabulary import ROUND_STATE_LABELS, SUBMISSION_DUE, fmt_moment, submission_state_label

from .context import Choice, Dashboard, NotFoundError, Snapshot, as_record

T = TypeVar("T")
UNASSIGNED = "未分工"
# The board's columns: the states a figure can be in, then the figures not entered yet.
BOARD_STATES = (SubmissionState.draft, SubmissionState.submitted, SubmissionState.returned,
                SubmissionState.approved, SubmissionState.withdrawn)
NOT_ENTERED = "not_entered"
# A unit is behind when any of its figures is in one of these (or not entered) after the due date.
UNFINISHED = frozenset({SubmissionState.draft, SubmissionState.returned, SubmissionState.withdrawn})


# ---------------------------------------------------------------- rounds


def current_plan(dash: Dashboard) -> tuple[Snapshot, str]:
    """The snapshot and the key of the plan the dashboard serves."""
    snap = dash.snapshot()
    return snap, plan_key(snap.plan)


def plan_rounds(dash: Dashboard) -> list[Round]:
    """The rounds of the dashboard's plan, newest first."""
    _, key = current_plan(dash)
    return dash.store.rounds(key)


def find_round(dash: Dashboard, round_id: int) -> Round:
    """A round of the dashboard's plan; 404 for any other id."""
    found = next((r for r in plan_rounds(dash) if r.id == round_id), None)
    if found is None:
        raise NotFoundError(f"没有编号为 {round_id} 的填报轮次")
    return found


def open_round_for(dash: Dashboard, year: int) -> Round:
    """The open round of the dashboard's plan for a data year (the newest when there are several)."""
    found = next((r for r in plan_rounds(dash) if r.year == year and r.state == RoundState.open), None)
    if found is None:
        raise NotFoundError(f"{year}年没有正在填报的轮次：请等规划处开启该年度的数据填报")
    return found


def round_record(rnd: Round, today: date | None = None) -> dict[str, Any]:
    """A round as shown: its fields with the state label, due date, overdue flag and links."""
    return {**as_record(rnd), "state_label": ROUND_STATE_LABELS[rnd.state], "overdue": rnd.overdue(today),
            "opened_at_display": fmt_moment(rnd.opened_at), "closed_at_display": fmt_moment(rnd.closed_at),
            "url": f"/rounds/{rnd.id}", "board_url": f"/rounds/{rnd.id}/board"}


def region_options(dash: Dashboard, own: str | None) -> list[dict[str, Any]]:
    """The regions a round can ask for: the plan's own region (checked) and the regions below it."""
    def find(nodes) -> Any:
        for node in nodes:
            if node.name == own:
                return node
            hit = find(node.children)
            if hit is not None:
                return hit
        return None

    node = find(dash.store.region_tree()) if own else None
    names = ([own] if own else []) + ([c.name for c in node.children] if node is not None else [])
    return [{"name": n, "checked": n == own} for n in names]


def rounds_context(dash: Dashboard, user: User, *, form: dict[str, Any] | None = None,
                   error: str | None = None) -> dict[str, Any]:
    """The plan's rounds, and for planners the form that opens one (filled as posted after a refusal)."""
    snap, key = current_plan(dash)
    meta = snap.plan.meta
    rounds = [round_record(r) for r in dash.store.rounds(key)]
    years = list(range(meta.base_year or meta.period_start or 0, (meta.period_end or 0) + 1))
    last_data = snap.inputs.default_year
    suggested = min(max(years), (last_data or years[0]) + 1) if years else None
    year = (form or {}).get("year") or suggested
    chosen = (form or {}).get("regions")
    regions = region_options(dash, meta.region)
    if chosen is not None:
        regions = [{**r, "checked": r["name"] in chosen} for r in regions]
    return {
        "title": "数据填报",
        "plan": {"key": key, "title": meta.title, "region": meta.region},
        "rounds": rounds,
        "open_form": {"years": years, "year": year,
                      "title": (form or {}).get("title") or (f"{year}年度监测数据填报" if year else ""),
                      "due": (form or {}).get("due") or "", "regions": regions},
        "error": error,
        "unit": user.unit,
    }


# ---------------------------------------------------------------- scope


def check_scope(user: User, sub: Submission) -> None:
    """Refuse a reporter another unit's (or another region's) figure, naming only its own unit."""
    if user.role != "reporter":
        return
    if sub.responsible_unit != user.unit:
        raise AccessError(f"{user.unit}只能查看和填报本单位负责的数据：编号 {sub.id} 的数据不属于{user.unit}")
    if user.region is not None and sub.region != user.region:
        raise AccessError(f"{user.unit}（{user.region}）只能查看和填报 {user.region} 的数据")


def unit_filter(user: User) -> str | None:
    """The responsible unit whose figures the account sees (None: every unit's)."""
    return user.unit if user.role == "reporter" else None


# ---------------------------------------------------------------- to-do list


def indicator_label(ind: Indicator | None, fallback: str) -> str:
    return f"{ind.no}. {ind.name}" if ind is not None and ind.no else (ind.name if ind is not None else fallback)


def target_record(ind: Indicator) -> dict[str, Any]:
    text = ind.target.text or fmt_number(ind.target.value, ind.unit)
    return {"text": text, "year": ind.target.year,
            "display": f"{text}（{ind.target.year}年）" if ind.target.year else text}


def planned_value(dash: Dashboard, snap: Snapshot, ind: Indicator, region: str, year: int) -> float | None:
    """The value the plan's path asks for in ``year``: the path the evaluation judges on (its baseline,
    target, years and shape, as the indicator chart draws it); None for rate targets and unknown paths."""
    if ind.target.kind in RATE_KINDS:
        return None
    try:
        assessment = dash.assessment(snap, Choice(year, region, dash.settings.method))
    except EvaluationError:
        return None
    finding = next((f for f in assessment.findings if f.indicator_id == ind.id and f.region == region
                    and f.kind == ind.target.kind), None)
    if finding is None:
        return None
    path = dict(planned_path(finding.baseline, finding.target, finding.base_year, finding.target_year, finding.path))
    return path.get(year)


def submission_record(sub: Submission, plan: Plan | None = None) -> dict[str, Any]:
    """A submission as shown: its fields with labels, the value as written and its page."""
    ind = plan.indicator(sub.indicator) if plan is not None else None
    return {**as_record(sub), "state_label": submission_state_label(sub.state),
            "value_display": fmt_number(sub.value, sub.unit), "value_text": value_text(sub.value),
            "indicator_label": indicator_label(ind, sub.indicator), "updated_at_display": fmt_moment(sub.updated_at),
            "url": f"/submissions/{sub.id}"}


def event_record(event: SubmissionEvent) -> dict[str, Any]:
    return {**as_record(event), "action_label": event.action_label, "state_label": submission_state_label(event.state),
            "value_display": fmt_number(event.value, event.unit), "at_display": fmt_moment(event.at)}


def todo_context(dash: Dashboard, user: User, rnd: Round, *, posted: dict[tuple[str, str], FigureInput] | None = None,
                 checks: Iterable[FigureCheck] = (), message: str | None = None,
                 refused: bool = False, sheet_problems: list[str] | None = None) -> dict[str, Any]:
    """The figures the account reports in the round, each with its unit, last year's value, target, planned
    path value and current submission; after a post, what was typed and every problem and doubt by row."""
    snap = dash.snapshot()
    plan = snap.plan
    store = dash.store
    leads = lead_units(store.responsibilities(rnd.plan_key))
    current = {(s.indicator, s.region): s for s in store.submissions(rnd.id, unit=unit_filter(user))}
    checked = {(c.input.indicator, c.input.region or ""): c for c in checks}
    rows = []
    for n, (ind_id, region) in enumerate(reportable(plan, user, rnd, leads), start=1):
        ind = plan.indicator(ind_id)
        assert ind is not None, "reportable lists the plan's own indicators"
        kind = observed_kind(ind.target.kind)
        previous = last_year_figure(store, Entry(indicator=ind.id, region=region, responsible_unit="", kind=kind), rnd.year)
        last = previous.value if previous is not None else None
        bound = previous.bound if previous is not None else None
        sub = current.get((ind.id, region))
        planned = planned_value(dash, snap, ind, region, rnd.year)
        unit = ind.unit or ""
        figure = (posted or {}).get((ind.id, region))
        check = checked.get((ind.id, region))
        rows.append({
            "row": n, "indicator": ind.id, "no": ind.no, "name": ind.name, "label": indicator_label(ind, ind.id),
            "category": ind.category, "unit": unit, "region": region, "year": rnd.year,
            "lead_unit": leads.get(ind.id),
            "last_year": {"year": rnd.year - 1, "value": last, "bound": str(bound) if bound else None,
                          "display": fmt_value(last, bound, unit if kind == ObservationKind.level else "%")},
            "target": target_record(ind),
            "planned": planned, "planned_display": fmt_number(planned, unit),
            "submission": submission_record(sub, plan) if sub is not None else None,
            "state": str(sub.state) if sub is not None else None,
            "state_label": submission_state_label(sub.state) if sub is not None else SUBMISSION_DUE,
            "input": {
                "value": figure.value or "" if figure else (value_text(sub.value) if sub else ""),
                "unit": (figure.unit or "" if figure else (sub.unit if sub and sub.unit else unit)),
                "source": figure.source or "" if figure else (sub.source or "" if sub else ""),
                "note": figure.note or "" if figure else (sub.note or "" if sub else ""),
                "confirmed": bool(figure and figure.confirmed),
                "version": sub.version if sub is not None else 0,
            },
            "problems": [problem_text(p) for p in check.problems] if check else [],
            "doubts": [problem_text(d) for d in check.doubts] if check else [],
            "needs_confirmation": bool(check and check.unconfirmed),
        })
    counts = Counter(r["state"] or "due" for r in rows)
    return {
        "title": rnd.title,
        "round": round_record(rnd),
        "unit": user.unit if user.role == "reporter" else None,
        "reporter": {"name": user.name, "role": user.role, "unit": user.unit, "region": user.region},
        "rows": rows,
        "counts": {"total": len(rows), "due": counts.get("due", 0),
                   **{str(s): counts.get(str(s), 0) for s in BOARD_STATES}},
        "open": rnd.state == RoundState.open,
        "message": message,
        "refused": refused,
        "sheet_problems": sheet_problems or [],
    }


def problem_text(p: Any) -> str:
    """A problem or doubt as shown beside its row: the field, what was found and why."""
    from planwatch.observe.submissions import FIELD_NAMES

    field = FIELD_NAMES.get(p.field, p.field)
    shown = f"“{p.value}”" if p.value else ""
    return f"{field}{shown}：{p.message}"


def sheet_rows(context: dict[str, Any]) -> list[SheetRow]:
    """The pre-filled sheet of a to-do list (its rows as the page shows them)."""
    return [SheetRow(indicator=r["indicator"], no=r["no"] or "", name=r["name"], region=r["region"], year=r["year"],
                     unit=r["unit"], last_year=r["last_year"]["display"] if r["last_year"]["value"] is not None else "",
                     target=r["target"]["display"], value=r["input"]["value"], source=r["input"]["source"],
                     note=r["input"]["note"]) for r in context["rows"]]


# ---------------------------------------------------------------- one submission


def submission_context(dash: Dashboard, user: User, submission_id: int, *, message: str | None = None) -> dict[str, Any]:
    """One figure: its current state, every step with the value as it then was, and its round."""
    sub = dash.store.submission(submission_id)
    check_scope(user, sub)
    rnd = find_round(dash, sub.round_id)
    plan = dash.snapshot().plan
    return {
        "title": f"填报数据 #{sub.id}",
        "submission": submission_record(sub, plan),
        "events": [event_record(e) for e in dash.store.submission_events(sub.id)],
        "round": round_record(rnd),
        "may_decide": role_may(user.role, "review") and sub.state == SubmissionState.submitted,
        "may_withdraw": user.role == "reporter" and
        sub.state in (SubmissionState.draft, SubmissionState.submitted, SubmissionState.returned),
        "message": message,
    }


# ---------------------------------------------------------------- the round board


def board_context(dash: Dashboard, rnd: Round) -> dict[str, Any]:
    """Per responsible unit: figures due and in each state, not entered, overdue; indicators with no lead unit."""
    snap = dash.snapshot()
    plan = snap.plan
    store = dash.store
    responsibilities = store.responsibilities(rnd.plan_key)
    leads = lead_units(responsibilities)
    current = plan.current_indicators()
    subs = store.submissions(rnd.id)
    due: Counter[str] = Counter()
    for ind in current:
        if ind.id in leads:
            due[leads[ind.id]] += len(rnd.regions)
    units = list(dict.fromkeys([*(r.lead_unit for r in responsibilities if r.indicator in leads),
                                *(s.responsible_unit for s in subs)]))
    by_unit: dict[str, Counter[str]] = {u: Counter() for u in units}
    for s in subs:
        by_unit[s.responsible_unit][str(s.state)] += 1
    overdue_round = rnd.overdue()
    table: list[dict[str, Any]] = []
    for unit in units:
        counts = by_unit[unit]
        entered = sum(counts.values())
        not_entered = max(due[unit] - entered, 0)
        behind = not_entered + sum(counts[str(s)] for s in UNFINISHED)
        table.append({"unit": unit, "due": due[unit], **{str(s): counts[str(s)] for s in BOARD_STATES},
                      NOT_ENTERED: not_entered, "overdue": overdue_round and behind > 0})
    totals = {key: sum(r[key] for r in table) for key in ("due", *(str(s) for s in BOARD_STATES), NOT_ENTERED)}
    unassigned = [{"indicator": i.id, "no": i.no, "name": i.name, "label": indicator_label(i, i.id)}
                  for i in current if i.id not in leads]
    return {
        "title": f"{rnd.title} · 填报进度",
        "round": round_record(rnd),
        "columns": [{"key": "due", "label": "应报"},
                    *({"key": str(s), "label": submission_state_label(s)} for s in BOARD_STATES),
                    {"key": NOT_ENTERED, "label": SUBMISSION_DUE}],
        "units": table,
        "totals": totals,
        "unassigned": unassigned,
        "unassigned_label": UNASSIGNED,
        "submissions": [submission_record(s, plan) for s in subs],
    }


BOARD_HEADER = ("责任单位", "应报", *(submission_state_label(s) for s in BOARD_STATES), SUBMISSION_DUE, "逾期")


def board_table(context: dict[str, Any]) -> tuple[list[str], list[list[str | int]]]:
    """The board's unit table as an export: header and rows (a last row per unassigned indicator)."""
    rows: list[list[str | int]] = [
        [u["unit"], u["due"], *(u[str(s)] for s in BOARD_STATES), u[NOT_ENTERED], "是" if u["overdue"] else ""]
        for u in context["units"]]
    totals = context["totals"]
    rows.append(["合计", totals["due"], *(totals[str(s)] for s in BOARD_STATES), totals[NOT_ENTERED], ""])
    blank: list[str | int] = ["" for _ in range(len(BOARD_HEADER) - 1)]
    rows += [[f"{UNASSIGNED}：{u['label']}", *blank] for u in context["unassigned"]]
    return list(BOARD_HEADER), rows
