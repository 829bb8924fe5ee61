"""Figures a unit reports in a data round: checked as an import row is, then for plausibility.

Each figure goes through the import's own row check (:func:`planwatch.observe.rows.check_row`:
indicator by id, number or name; region; year; value; unit converted to the indicator's or
refused), so a value typed in the browser, posted to the API or uploaded in a sheet is held to one
rule. Then three plausibility checks ask the reporter to confirm with a note rather than refuse:
a change against last year above the workspace's ``change_share``, a share outside 0–100 %, and a
negative level. Who may report what (the unit must lead the indicator; a reporter bound to a
region reports only that region) is checked here too, and named in the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from planwatch.errors import AccessError, DataImportError
from planwatch.figures import fmt_number, fmt_value
from planwatch.model import Observation, ObservationKind, Plan
from planwatch.store import Store, User
from planwatch.store.accounts import Responsibility, role_may
from planwatch.store.rounds import Entry, Round, Submission

from .layout import Cells
from .rows import Context, check_row
from .subjects import Subjects, unit_key

FIELD_NAMES = {"indicator": "指标", "region": "地区", "year": "年份", "value": "数值", "unit": "单位",
               "source": "来源", "note": "说明"}
SOURCE_CHARS = 500
NOTE_CHARS = 2000
PLANNING_OFFICE = "规划处"  # the unit a planner reports for when an indicator has no lead unit yet


class FigureInput(BaseModel):
    """One figure as a person typed, posted or uploaded it (texts, checked below)."""

    indicator: str
    region: str | None = None
    value: str | None = None
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    confirmed: bool = Field(False, description="The reporter confirms a value the plausibility checks questioned")
    version: int | None = Field(None, description="The version of the submission the person saw (0: none yet)")
    row: int | None = Field(None, description="Row of an uploaded sheet (header = 1)")


class FigureProblem(BaseModel):
    """A problem (refused) or a doubt (to confirm) about one figure."""

    row: int | None = None
    indicator: str
    region: str | None = None
    field: str
    value: str | None = None
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行，" if self.row else ""
        region = f"（{self.region}）" if self.region else ""
        shown = f"“{self.value}”" if self.value else ""
        return f"{where}指标 {self.indicator}{region}{FIELD_NAMES.get(self.field, self.field)}{shown}：{self.message}"


class FigureCheck(BaseModel):
    """One figure checked: the entry to store, or what stops it."""

    input: FigureInput
    entry: Entry | None = None
    problems: list[FigureProblem] = Field(default_factory=list)
    doubts: list[FigureProblem] = Field(default_factory=list)
    forbidden: bool = Field(False, description="The account may not report this figure at all")

    @property
    def unconfirmed(self) -> bool:
        """Doubts the reporter has not confirmed with a note."""
        return bool(self.doubts) and not (self.input.confirmed and (self.input.note or "").strip())

    @property
    def ok(self) -> bool:
        return self.entry is not None and not self.problems and not self.unconfirmed


def lead_units(responsibilities: Sequence[Responsibility]) -> dict[str, str]:
    """Indicator id → its lead unit."""
    return {r.indicator: r.lead_unit for r in responsibilities}


def reportable(plan: Plan, user: User, rnd: Round, leads: dict[str, str]) -> list[tuple[str, str]]:
    """(indicator id, region) pairs the account reports in the round, in plan order: a reporter's
    are the indicators its unit leads, in its region or in every region of the round."""
    regions = [r for r in rnd.regions if user.role != "reporter" or user.region in (None, r)]
    ids = [i.id for i in plan.current_indicators()
           if user.role != "reporter" or leads.get(i.id) == user.unit]
    return [(i, r) for i in ids for r in regions]


def _scope_problem(plan: Plan, user: User, rnd: Round, ind_id: str, region: str,
                   leads: dict[str, str]) -> str | None:
    if not role_may(user.role, "report"):
        return f"{user.role_label}账号不能填报数据"
    if region not in rnd.regions:
        return f"地区 {region} 不在本轮填报范围内（{'、'.join(rnd.regions)}）"
    if user.role != "reporter":
        return None
    ind = plan.indicator(ind_id)
    name = f"{ind.no or ind.id} {ind.name}" if ind else ind_id
    lead = leads.get(ind_id)
    if lead != user.unit:
        return (f"{user.unit}不是指标 {name} 的牵头单位（{'牵头单位为' + lead if lead else '该指标尚未分工'}），"
                f"不能填报该指标")
    if user.region is not None and region != user.region:
        return f"{user.unit}（{user.region}）只能填报 {user.region} 的数据，不能填报 {region}"
    return None


def check_figures(store: Store, rnd: Round, user: User, inputs: Sequence[FigureInput]) -> list[FigureCheck]:
    """Each figure checked as an import row, for the account's scope, and for plausibility."""
    plan = store.plan(rnd.plan_key)
    leads = lead_units(store.responsibilities(rnd.plan_key))
    settings = store.workspace_settings()
    ctx = Context(plan=plan, subjects=Subjects(plan, store.series()), regions=set(rnd.regions),
                  region_default=plan.meta.region, first_year=rnd.year, last_year=rnd.year)
    return [_check(store, plan, rnd, user, leads, ctx, settings.change_share, figure) for figure in inputs]


def _check(store: Store, plan: Plan, rnd: Round, user: User, leads: dict[str, str], ctx: Context,
           change_share: float, figure: FigureInput) -> FigureCheck:
    out = FigureCheck(input=figure)
    region = (figure.region or "").strip() or plan.meta.region or ""

    def problem(field: str, message: str, value: str | None = None) -> None:
        out.problems.append(FigureProblem(row=figure.row, indicator=figure.indicator, region=region or None,
                                          field=field, value=value, message=message))

    subject = ctx.subjects.find(figure.indicator.strip())
    if subject is None or subject.series or plan.indicator(subject.id) not in plan.current_indicators():
        problem("indicator", "不是本规划的指标：应为规划指标表（本期）中的序号、编号或名称", figure.indicator)
        return out
    scope = _scope_problem(plan, user, rnd, subject.id, region, leads)
    if scope is not None:
        out.forbidden = True
        problem("indicator", scope, figure.indicator)
        return out
    unit_name = leads.get(subject.id) or (user.unit if user.role == "reporter" else None) or PLANNING_OFFICE
    for name, limit in (("source", SOURCE_CHARS), ("note", NOTE_CHARS)):
        text = getattr(figure, name) or ""
        if len(text) > limit:
            problem(name, f"过长：最多 {limit} 个字符（现有 {len(text)} 个）")
    if not (figure.value or "").strip():
        problem("value", "缺少数值")
        return out
    cells = Cells(row=figure.row or 1, text={"indicator": subject.id, "region": region, "year": str(rnd.year),
                                              "value": figure.value or "", "unit": figure.unit or "",
                                              "source": figure.source or "", "note": figure.note or ""},
                  columns={})
    result = check_row(cells, ctx)
    for p in result.problems:
        problem(p.column or "value", p.message, p.value)
    record = result.record
    if record is None or out.problems:
        return out
    if record["kind"] == str(ObservationKind.text) or record["value"] is None:
        problem("value", "填报只接受数值：定性情况请写在说明中", figure.value)
        return out
    if record["bound"]:
        problem("value", "请填写确切数值，不带“超过”“低于”等界限", figure.value)
        return out
    out.entry = Entry(indicator=subject.id, region=region, responsible_unit=unit_name, kind=ObservationKind(record["kind"]), value=record["value"],
                      unit=record["unit"], source=(figure.source or "").strip() or None,
                      note=(figure.note or "").strip() or None)
    out.doubts = _doubts(store, out.entry, rnd.year, change_share, figure)
    return out


def _doubts(store: Store, entry: Entry, year: int, change_share: float, figure: FigureInput) -> list[FigureProblem]:
    """What a statistician would ask about before accepting the value."""
    value = entry.value
    assert value is not None, "only numeric entries reach the plausibility checks"

    def doubt(message: str) -> FigureProblem:
        return FigureProblem(row=figure.row, indicator=figure.indicator, region=entry.region, field="value",
                             value=figure.value, message=message + "：请核实，确认无误请勾选“确认”并在说明中写明原因")

    found: list[FigureProblem] = []
    percent = unit_key(entry.unit) == "%"
    if entry.kind == ObservationKind.level and percent and not 0 <= value <= 100:
        found.append(doubt(f"比重应在 0—100% 之间，填报值为 {fmt_number(value)}%"))
    elif entry.kind == ObservationKind.level and not percent and value < 0:
        found.append(doubt(f"总量不应为负数，填报值为 {fmt_number(value)}"))
    previous = last_year_figure(store, entry, year)
    last = previous.value if previous is not None else None
    if last is not None and last != 0 and abs(value - last) / abs(last) > change_share:
        shown = fmt_value(last, previous.bound if previous is not None else None)
        found.append(doubt(f"与上年（{year - 1}年 {shown}）相比变化 {abs(value - last) / abs(last):.0%}，"
                           f"超过 {change_share:.0%}"))
    return found


def last_year_figure(store: Store, entry: Entry, year: int) -> Observation | None:
    """The current figure of the year before, of the same kind, with its bound (">900" stays a bound)."""
    for obs in store.observations(entry.indicator, entry.region, year - 1):
        if obs.kind == entry.kind and obs.value is not None:
            return obs
    return None


def enter_figures(store: Store, rnd: Round, user: User, inputs: Sequence[FigureInput], *, submit: bool,
                  where: str = "填报") -> list[Submission]:
    """Check and store a batch of figures, all or nothing (see :func:`store_checked`)."""
    return store_checked(store, rnd, user, check_figures(store, rnd, user, inputs), submit=submit, where=where)


def store_checked(store: Store, rnd: Round, user: User, checks: Sequence[FigureCheck], *, submit: bool,
                  where: str = "填报") -> list[Submission]:
    """Store figures already checked by :func:`check_figures`, all or nothing: AccessError for a figure
    outside the account's scope, DataImportError listing every problem (and, to submit, every doubt not
    confirmed with a note) otherwise."""
    forbidden = [p for c in checks if c.forbidden for p in c.problems]
    if forbidden:
        raise AccessError("；".join(str(p) for p in forbidden))
    problems = [p for c in checks for p in c.problems] + \
        [d for c in checks if submit and c.unconfirmed for d in c.doubts]
    if problems:
        head = "；".join(str(p) for p in problems[:3])
        more = f"；另有 {len(problems) - 3} 处问题" if len(problems) > 3 else ""
        raise DataImportError(f"有 {len(problems)} 处问题，未保存任何数据：{head}{more}", file=where, problems=problems)
    entries = [c.entry for c in checks if c.entry is not None]
    versions = {(c.entry.indicator, c.entry.region): c.input.version for c in checks
                if c.entry is not None and c.input.version is not None}
    return store.enter_figures(rnd.id, entries, actor=user.name, submit=submit, versions=versions)
