"""The proposal rule of indicator categories → work sections, on the real Jiaxing plan.

表2 (chapter 三, lines 435–766) lists the current indicators in eight categories; the tasks (专栏5, 7–14) and
the projects (专栏3) are all in chapter 四 (lines 779–1328), whose sections （一）–（八） and items 1．… are the
candidates. Every expected heading below was read in the outline text: e.g. line 1051 “（四）坚定不移走生态优先绿色
发展之路，建设美丽嘉兴。”, line 1083 “3．解决突出环境问题。”, line 1144 “2．优化城市文化功能布局。”.
"""

from __future__ import annotations

from planwatch.ingest.work_sections import (
    GENERIC_WORDS,
    candidates,
    categories,
    generic_words,
    proposals,
    shared_keywords,
    work_chapters,
)


def test_keywords_are_shared_runs_once_generic_words_are_out():
    assert shared_keywords("生态环境", "坚定不移走生态优先绿色发展之路，建设美丽嘉兴。") == ["生态"]
    # 发展 is generic and 化 alone is one character: 文化发展 and 一体化发展 share nothing
    assert shared_keywords("文化发展", "协同共建长三角生态绿色一体化发展示范区。") == []
    # the longest run counts, not its pieces
    assert shared_keywords("生产性服务业五大行业增加值年均增长", "加快推进现代服务业高质量发展。") == ["服务业"]
    assert "发展" in GENERIC_WORDS and "地区生产总值" in GENERIC_WORDS


def test_the_candidates_are_the_headings_of_the_chapters_holding_work(jiaxing_plan):
    assert [c.id for c in work_chapters(jiaxing_plan)] == ["4"]
    assert generic_words(jiaxing_plan)[:2] == ("地区生产总值", "生产总值") and "嘉兴" in generic_words(jiaxing_plan)
    found = candidates(jiaxing_plan, "生态环境")
    # 8 sections （一）–（八） and their 3 + 5 + 4 + 4 + 3 + 3 + 5 + 5 items
    assert len(found) == 40 and (found[0].id, found[-1].id) == ("4.1", "4.8.5")
    assert {n.kind for n in found} == {"section", "item"}


def test_proposals_for_every_category_of_the_real_plan(jiaxing_plan):
    assert categories(jiaxing_plan) == ["经济发展", "科技创新", "改革开放", "文化发展", "生态环境", "市域治理", "社会民生",
                                        "安全保障"]
    got = {c: [(p.node.id, [(e.source, e.keyword) for e in p.evidence]) for p in ps]
           for c, ps in proposals(jiaxing_plan).items()}
    assert got == {
        "经济发展": [("4.2.3", [("T2-4", "服务业")]), ("4.7", [("T2-4", "服务")]),
                     ("4.8.2", [("category", "经济")]), ("4.8.3", [("category", "经济")])],
        "科技创新": [("4.2", [("category", "创新"), ("T2-8.1", "产业")]), ("4.2.1", [("category", "创新")]),
                     ("4.2.4", [("T2-8", "数字"), ("T2-8.1", "数字")]), ("4.2.5", [("T2-8.1", "产业")]),
                     ("4.5.1", [("category", "创新")]), ("4.6.1", [("T2-7", "价值")]), ("4.6.3", [("category", "创新")]),
                     ("4.8.2", [("T2-8", "经济"), ("T2-8.1", "经济")]), ("4.8.3", [("T2-8", "经济"), ("T2-8.1", "经济")])],
        "改革开放": [("4.2.3", [("T2-10", "服务")]), ("4.5", [("category", "开放")]),
                     ("4.5.1", [("T2-9", "贸易"), ("T2-10", "贸易")]), ("4.5.2", [("category", "开放")]),
                     ("4.7", [("T2-10", "服务")]), ("4.8", [("category", "改革")]), ("4.8.2", [("category", "改革")])],
        "文化发展": [("4.2", [("T2-12", "产业")]), ("4.2.5", [("T2-12", "产业")]),
                     ("4.6", [("category", "文化"), ("T2-12", "文化")]), ("4.6.1", [("category", "文化"), ("T2-12", "文化")]),
                     ("4.6.2", [("category", "文化"), ("T2-12", "文化")]), ("4.6.3", [("category", "文化"), ("T2-12", "文化")])],
        "生态环境": [("4.1.1", [("category", "生态")]), ("4.4", [("category", "生态")]), ("4.4.2", [("category", "生态")]),
                     ("4.4.3", [("category", "环境")]), ("4.4.4", [("category", "生态")]), ("4.8.1", [("category", "环境")])],
        "市域治理": [("4.2.3", [("T2-21", "服务")]), ("4.3.3", [("category", "市域")]), ("4.7", [("T2-21", "服务")]),
                     ("4.8", [("category", "治理")])],
        "社会民生": [("4.6.1", [("category", "社会")]), ("4.7", [("category", "社会")]), ("4.7.1", [("T2-25", "教育")]),
                     ("4.7.2", [("T2-27", "收入")]), ("4.7.3", [("category", "社会")])],
        "安全保障": [("4.7.3", [("category", "保障")]), ("4.8", [("category", "保障")])],
    }
    eco = {p.node.id: p.node for p in proposals(jiaxing_plan)["生态环境"]}
    assert (eco["4.4"].label, eco["4.4"].title, eco["4.4"].line) == ("（四）", "坚定不移走生态优先绿色发展之路，建设美丽嘉兴。", 1051)
    assert (eco["4.4.3"].title, eco["4.4.3"].line) == ("解决突出环境问题。", 1083)
    culture = proposals(jiaxing_plan)["文化发展"][3]
    assert [(e.source, e.text) for e in culture.evidence] == [("category", "文化发展"), ("T2-12", "文化及相关产业增加值")]
