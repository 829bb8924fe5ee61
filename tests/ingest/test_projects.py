"""Projects of 专栏3: the nine railways, exact."""

from __future__ import annotations


def test_nine_railways(jiaxing_plan):
    got = [(p.no, p.name, p.length_km, p.investment_yi_yuan, p.line, p.section) for p in jiaxing_plan.projects]
    assert got == [
        ("1", "通苏嘉甬铁路（嘉兴段）", 93, 382.8, 836, "box3"),
        ("2", "沪乍杭铁路（嘉兴段）", 100, 338, 837, "box3"),
        ("3", "铁路杭州萧山机场枢纽及接线工程（嘉兴段）", 23, 57.4, 839, "box3"),
        ("4", "嘉兴至枫南市域铁路〔上海至嘉兴城际铁路（浙江段）〕", 35, 170.2, 841, "box3"),
        ("5", "嘉善至西塘市域铁路〔示范区轨道交通线（嘉善至青浦段）〕", 20, 105, 843, "box3"),
        ("6", "金山至平湖市域铁路〔又名沪平城际铁路〕", 52, 171.2, 845, "box3"),
        ("7", "杭州下沙至长安城际铁路", 21, 120, 847, "box3"),
        ("8", "水乡旅游线（嘉兴段）", 44.8, 123.7, 849, "box3"),
        ("9", "嘉兴至海盐（平湖）市域铁路", 30, 120, 851, "box3"),
    ]


def test_second_length_is_kept_in_text_and_flagged(jiaxing_plan):
    project = jiaxing_plan.projects[1]
    assert "嘉兴段全长约57.6公里" in project.text
    flags = [f for f in jiaxing_plan.flags if f.code == "project_multiple_lengths"]
    assert [(f.line, f.item) for f in flags] == [(837, "沪乍杭铁路（嘉兴段）")]
    assert "100、57.6" in flags[0].message


def test_investment_units_are_converted():
    from planwatch.ingest import read_plan_text

    text = "某市国民经济和社会发展第十四个五年规划纲要\n专栏1 重大项目\n\t1.某某快速路：全长约12.5公里，总投资约8000万元。\n"
    plan = read_plan_text(text, "t.txt")
    assert [(p.name, p.length_km, p.investment_yi_yuan) for p in plan.projects] == [("某某快速路", 12.5, 0.8)]
