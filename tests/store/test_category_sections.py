"""A person's decisions on indicator categories and the real Jiaxing plan's work sections, on both backends:
recorded, replaced (the audit log keeps both), refused with a clear message, and joined with the proposals."""

from __future__ import annotations

import pytest

from planwatch.errors import InputError
from planwatch.store.category_sections import category_sections


@pytest.fixture
def jx(store, jiaxing_plan):
    store.load_plan(jiaxing_plan)
    return store


def test_decisions_are_recorded_replaced_and_audited(jx, jiaxing_plan):
    before = jx.data_version()
    made = jx.confirm_category_section(None, "生态环境", "4.4", actor="planner1")
    assert (made.category, made.section_id, made.verdict, made.actor) == ("生态环境", "4.4", "confirmed", "planner1")
    assert jx.data_version() != before  # the pages built on the decisions are built again
    jx.reject_category_section(None, "生态环境", "4.1.1")
    sections = jx.category_sections()
    assert [n.id for n in sections.confirmed("生态环境")] == ["4.4"]
    assert [(r.node.id, r.verdict) for r in sections.rows["生态环境"]] == [
        ("4.1.1", "rejected"), ("4.4", "confirmed"), ("4.4.2", None), ("4.4.3", None), ("4.4.4", None), ("4.8.1", None)]
    assert [r.node.id for r in sections.pending("生态环境")] == ["4.4.2", "4.4.3", "4.4.4", "4.8.1"]

    # a new decision on the same category and heading replaces the old one; the audit log keeps both
    jx.reject_category_section(None, "生态环境", "4.4", actor="planner2")
    assert jx.category_sections().confirmed("生态环境") == []
    entries = [(e.action, e.actor, e.subject, e.before, e.after)
               for e in reversed(jx.audit_entries(subject_contains="生态环境"))]
    key = sections.plan_key
    assert entries == [
        ("category_section.confirmed", "planner1", f"{key} 生态环境 4.4", None, {"verdict": "confirmed"}),
        ("category_section.rejected", "命令行", f"{key} 生态环境 4.1.1", None, {"verdict": "rejected"}),
        ("category_section.rejected", "planner2", f"{key} 生态环境 4.4", {"verdict": "confirmed"}, {"verdict": "rejected"}),
    ]


def test_a_heading_the_rule_did_not_propose_may_be_linked_by_hand(jx):
    # 专栏3 (the railways) sits under 4.1.2 “打造长三角核心区综合交通枢纽”: no category shares a keyword with it
    jx.confirm_category_section(None, "经济发展", "4.1.2")
    rows = jx.category_sections().rows["经济发展"]
    assert [(r.node.id, r.proposed, r.verdict) for r in rows] == [
        ("4.1.2", False, "confirmed"), ("4.2.3", True, None), ("4.7", True, None), ("4.8.2", True, None),
        ("4.8.3", True, None)]
    data = jx.category_sections().to_json()["categories"][0]
    assert (data["category"], data["confirmed"], data["pending"]) == ("经济发展", ["4.1.2"], 4)
    assert data["sections"][0]["reason"] == "人工指定（规则未提出）"
    assert data["sections"][1]["reason"] == "标题共有关键词：指标 T2-4 生产性服务业五大行业增加值年均增长：服务业"


def test_bad_decisions_are_refused_and_nothing_is_written(jx):
    with pytest.raises(InputError, match=r"^类别“生态”不是本规划现行指标的类别：应为 经济发展、科技创新、改革开放、文化发展、"
                                         r"生态环境、市域治理、社会民生、安全保障 之一$"):
        jx.confirm_category_section(None, "生态", "4.4")
    with pytest.raises(InputError, match=r"^章节编号“table2”不是本规划的篇章、节、条目或专栏：应为规划目录中的编号，如 4\.1"):
        jx.confirm_category_section(None, "生态环境", "table2")
    with pytest.raises(InputError, match=r"^决定“maybe”无效：应为 confirmed（已确认） 或 rejected（已否定）$"):
        jx.decide_category_section(None, "生态环境", "4.4", "maybe")
    assert jx.category_sections().confirmed("生态环境") == [] and jx.audit_entries(subject_contains="生态") == []


def test_decisions_on_what_a_later_version_lacks_are_kept_apart(jx, jiaxing_plan):
    decision = jx.confirm_category_section(None, "生态环境", "4.4")
    trimmed = jiaxing_plan.model_copy(update={"outline": [n for n in jiaxing_plan.outline if n.id != "4.4"]})
    joined = category_sections(decision.plan_key, trimmed, [decision])
    assert joined.confirmed("生态环境") == [] and joined.stale == [decision]
