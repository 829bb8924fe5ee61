"""Data rounds and submissions on SQLite and PostgreSQL: the state rule, history kept, lost updates
refused, approval recorded as an observation, and every step in the audit log."""

from __future__ import annotations

import pytest

from planwatch.errors import ConflictError, InputError
from planwatch.model import RoundState, SubmissionState
from planwatch.store.rounds import Entry

GDP = Entry(indicator="T2-1", region="嘉兴市", responsible_unit="统计局", value=7569.53, unit="亿元",
            source="2024年嘉兴市国民经济和社会发展统计公报")


def test_a_round_opens_for_a_plan_year_with_the_plans_region(hand_store):
    rnd = hand_store.open_round(year=2024, due="2025-03-31", actor="planner1")
    assert (rnd.title, rnd.regions, rnd.state, rnd.due) == ("2024年度监测数据填报", ["嘉兴市"], RoundState.open,
                                                            "2025-03-31")
    assert [r.id for r in hand_store.rounds()] == [rnd.id]
    with pytest.raises(InputError, match="已有名为“2024年度监测数据填报”的填报轮次"):
        hand_store.open_round(year=2024, actor="planner1")
    with pytest.raises(InputError, match="年份 2031 不在规划期内：应在 2020—2025 之间"):
        hand_store.open_round(year=2031, actor="planner1")
    with pytest.raises(InputError, match="地区 桐乡市 不在数据库中"):
        hand_store.open_round(year=2023, regions=["桐乡市"], actor="planner1")
    with pytest.raises(InputError, match="日期 2025-02-30 无效"):
        hand_store.open_round(year=2023, due="2025-02-30", actor="planner1")


def test_draft_submit_return_resubmit_approve_keeps_every_step(hand_store):
    rnd = hand_store.open_round(year=2024, actor="planner1")
    (draft,) = hand_store.enter_figures(rnd.id, [GDP.model_copy(update={"value": 7569.0})], actor="tj", submit=False)
    assert (draft.state, draft.version, draft.value) == (SubmissionState.draft, 1, 7569.0)
    (sent,) = hand_store.enter_figures(rnd.id, [GDP], actor="tj", submit=True)
    assert (sent.id, sent.state, sent.version) == (draft.id, SubmissionState.submitted, 2)
    back = hand_store.decide(sent.id, "return", actor="planner1", comment="请注明是否为初步核算数",
                             expected_version=2)
    assert (back.state, back.comment, back.version) == (SubmissionState.returned, "请注明是否为初步核算数", 3)
    assert hand_store.observations("T2-1", "嘉兴市", 2024) == []  # nothing counts before approval
    (again,) = hand_store.enter_figures(rnd.id, [GDP.model_copy(update={"note": "初步核算数"})], actor="tj",
                                        submit=True)
    assert (again.state, again.comment) == (SubmissionState.submitted, None)
    done = hand_store.decide(again.id, "approve", actor="planner1", expected_version=4)
    assert (done.state, done.version) == (SubmissionState.approved, 5)
    steps = hand_store.submission_events(done.id)
    assert [(e.action, e.state, e.value, e.actor) for e in steps] == [
        ("save", SubmissionState.draft, 7569.0, "tj"),
        ("submit", SubmissionState.submitted, 7569.53, "tj"),
        ("return", SubmissionState.returned, 7569.53, "planner1"),
        ("submit", SubmissionState.submitted, 7569.53, "tj"),
        ("approve", SubmissionState.approved, 7569.53, "planner1"),
    ]
    assert steps[2].comment == "请注明是否为初步核算数"
    (obs,) = hand_store.observations("T2-1", "嘉兴市", 2024)
    assert (obs.value, obs.unit, obs.source, obs.note) == (7569.53, "亿元", GDP.source, "初步核算数")
    assert obs.extra == {"submission": done.id, "reported_by": "统计局", "approved_by": "planner1"}
    actions = [e.action for e in reversed(hand_store.audit_entries(subject=f"submission:{done.id} T2-1 嘉兴市 2024"))]
    assert actions == ["submission.save", "submission.submit", "submission.return", "submission.submit",
                       "submission.approve"]


def test_an_action_on_a_changed_submission_is_refused_and_says_by_whom(hand_store):
    rnd = hand_store.open_round(year=2024, actor="planner1")
    (sent,) = hand_store.enter_figures(rnd.id, [GDP], actor="tj", submit=True)
    with pytest.raises(InputError, match="退回时须写明意见"):
        hand_store.decide(sent.id, "return", actor="planner2", comment="  ")
    hand_store.decide(sent.id, "approve", actor="planner1", expected_version=sent.version)
    with pytest.raises(ConflictError, match=r"已被 planner1 于 .* 改为“已通过”（第 2 版，你看到的是第 1 版）"):
        hand_store.decide(sent.id, "return", actor="planner2", comment="数值有误", expected_version=sent.version)
    with pytest.raises(ConflictError, match=r"该数据当前为“已通过”.*不能退回"):
        hand_store.decide(sent.id, "return", actor="planner2", comment="数值有误")
    assert len(hand_store.observations("T2-1", "嘉兴市", 2024)) == 1


def test_a_correction_after_approval_keeps_the_approved_value_until_approved(hand_store):
    rnd = hand_store.open_round(year=2024, actor="planner1")
    (sent,) = hand_store.enter_figures(rnd.id, [GDP], actor="tj", submit=True)
    hand_store.decide(sent.id, "approve", actor="planner1")
    (fix,) = hand_store.enter_figures(rnd.id, [GDP.model_copy(update={"value": 7570.1})], actor="tj", submit=True)
    assert [o.value for o in hand_store.observations("T2-1", "嘉兴市", 2024)] == [7569.53]
    hand_store.decide(fix.id, "approve", actor="planner1")
    assert [o.value for o in hand_store.observations("T2-1", "嘉兴市", 2024)] == [7570.1]
    assert [r.value for r in hand_store.revisions("T2-1", "嘉兴市", 2024)] == [7569.53, 7570.1]


def test_a_closed_round_takes_no_figures_and_withdrawal_is_a_step(hand_store):
    rnd = hand_store.open_round(year=2024, actor="planner1")
    (sent,) = hand_store.enter_figures(rnd.id, [GDP], actor="tj", submit=True)
    gone = hand_store.decide(sent.id, "withdraw", actor="tj")
    assert gone.state == SubmissionState.withdrawn
    assert [e.action for e in hand_store.submission_events(sent.id)] == ["submit", "withdraw"]
    hand_store.close_round(rnd.id, actor="planner1")
    with pytest.raises(ConflictError, match="已结束，不再接收数据"):
        hand_store.enter_figures(rnd.id, [GDP], actor="tj", submit=True)


def test_a_batch_is_all_or_nothing(hand_store):
    rnd = hand_store.open_round(year=2024, actor="planner1")
    outside = GDP.model_copy(update={"region": "南湖区"})
    with pytest.raises(InputError, match="地区 南湖区 不在填报轮次"):
        hand_store.enter_figures(rnd.id, [GDP, outside], actor="tj", submit=True)
    assert hand_store.submissions(rnd.id) == []


def test_pending_lists_submitted_figures_only(hand_store):
    rnd = hand_store.open_round(year=2024, regions=["嘉兴市", "南湖区"], actor="planner1")
    a, b = hand_store.enter_figures(rnd.id, [GDP, GDP.model_copy(update={"region": "南湖区", "value": 900.0})],
                                    actor="tj", submit=True)
    hand_store.decide(a.id, "approve", actor="planner1")
    assert [s.id for s in hand_store.pending_submissions()] == [b.id]


def test_workspace_settings_are_checked_and_audited(hand_store):
    assert hand_store.workspace_settings().public is False
    changed = hand_store.change_settings({"public": "true", "change_share": "0.25"}, actor="admin1")
    assert (changed.public, changed.change_share) == (True, 0.25)
    assert hand_store.workspace_settings() == changed
    with pytest.raises(InputError, match="没有名为 colour 的设置"):
        hand_store.change_settings({"colour": "red"})
    with pytest.raises(InputError, match=r"设置未保存：.*（change_share）"):
        hand_store.change_settings({"change_share": "-1"})
    entries = hand_store.audit_entries(action="setting")
    assert {(e.subject, e.before, e.after, e.actor) for e in entries} == {
        ("public", False, True, "admin1"), ("change_share", 0.3, 0.25, "admin1")}
    key = hand_store.signing_key()
    assert len(key) >= 64 and hand_store.signing_key() == key


def test_account_and_responsibility_changes_are_audited(hand_store):
    hand_store.add_user("a1", role="admin", password="long enough pw")
    hand_store.assign("T2-1", "统计局", ["发改委"], actor="a1")
    hand_store.assign("T2-1", "商务局", actor="a1")
    adj = hand_store.add_adjustment("T2-1", new_value=8800, reason="疫情影响", document="嘉政发〔2023〕1号", actor="a1")
    assert adj.new_value == 8800
    entries = list(reversed(hand_store.audit_entries()))
    assert [(e.actor, e.action, e.after["version"]) for e in entries if e.action == "plan.load"] == [
        ("命令行", "plan.load", 1)]
    got = [(e.actor, e.action, e.subject, e.before, e.after) for e in entries if e.action != "plan.load"]
    assert got[0][:3] == ("命令行", "user.add", "a1")
    assert got[1][1:] == ("responsibility", got[1][2], None, {"lead_unit": "统计局", "co_units": ["发改委"]})
    assert got[2][3:] == ({"lead_unit": "统计局", "co_units": ["发改委"]}, {"lead_unit": "商务局", "co_units": []})
    assert got[3][:2] == ("a1", "target.adjust")
    assert got[3][3]["value"] == 9000 and got[3][4]["value"] == 8800
