"""Tasks of the Jiaxing plan: every numbered item of its reform, policy, action and works boxes, exact.

The expected items below were read off the plan text by hand (``sed -n 892,908p`` …), not from the
parser: box, number, text as printed (without the number) and line.
"""

from __future__ import annotations

import json

import pytest

from planwatch.cli import main
from planwatch.model import Plan, TaskKind
from planwatch.planfile import plan_from_yaml, plan_to_yaml
from planwatch.samples import FRAGMENTS

# 专栏5 创新驱动发展重大改革和政策 (lines 892–908)
BOX5 = [
    (894, "1", "实行更加开放的人才政策，构筑集聚国内外优秀人才的创新高地。"),
    (896, "2", "发展高水平大学和科研院所，加强高技能应用型人才培养。"),
    (898, "3", "支持由企业牵头组建创新联合体，承担国家和省、市重大科技项目。"),
    (900, "4", "发挥企业家在技术创新中的重要作用，鼓励企业加大研发投入，落实国家对企业投入基础研究实行税收优惠各项政策。"),
    (902, "5", "深化科创金融改革，提升创新链整体效能。"),
    (904, "6", "完善创新支持体系，促进新技术产业化和规模化应用。"),
    (906, "7", "发展数字经济，推进数字产业化和产业数字化，推动数字经济和实体经济深度融合，打造具有国际竞争力的数字产业集群。"),
    (908, "8", "鼓励企业兼并重组，防止低水平重复建设。"),
]
# 专栏7 “城市大脑”建设, （二）重点举措 (lines 961–975)
BOX7 = [
    (969, "1", "建设“一个中心”，即城市综合运营管理中心，包括社区、应急管理、消防、智慧出行、城市停车运营管理等五个分中心。"),
    (971, "2", "建设“一个底座”。围绕共用基础设施平台、统一时空基准平台、智能物联感知平台、物信融合数据平台、智能应用开放平台、安全与隐私保护平台以及运营与运维服务平台等七大平台，构建城市智能操作系统。"),
    (973, "3", "建立“一套体系”。重点打造全市统一“城市大脑”有关项目的过程管理体系、运营管理体系、标准规范体系。"),
    (975, "4", "推进“五大领域”应用。重点推进城市治理领域、应急管理领域、民生服务领域、生态宜居领域、数字经济领域应用，促使城市运行效率大幅提升。"),
]
# 专栏8 城乡融合发展“1235”行动, （三）强化三个支撑 (lines 1000–1020)
BOX8 = [
    (1012, "1", "强化全域土地综合整治。统筹考虑农田整治、村庄整治、“低散乱”企业整治、生态环境整治等，通过多形态、多方式的全域整治模式，力争完成100万亩全域土地综合整治与生态修复目标任务。"),
    (1014, "2", "强化村庄布局整合优化。优化村庄空间分布，做精做美做特保留村庄，到2025年，70%以上村庄实现景区化创建任务，其中3A级景区村庄达10%以上。所有行政村美丽乡村建设全面达标，三分之二以上的村达到美丽乡村精品村标准。"),
    (1016, "3", "强化城乡产业转型升级。推广“产业农合联”运作模式，构建生产、加工、物流、营销为一体的全产业链发展体系。发展农业适度规模经营，到2025年，累计培育规范化家庭农场5000家以上。推进“农业+”发展，实现农业一二三产融合发展，打造200家以上现代化农业经营企业。"),
]
# 专栏9 市域一体发展重大改革和政策 (lines 1033–1041)
BOX9 = [
    (1035, "1", "深化市域统筹、推进市域一体化改革，健全市域城市化发展体制机制。"),
    (1037, "2", "深化农村改革，健全城乡融合发展机制。"),
    (1039, "3", "健全农业支持保护制度。"),
    (1041, "4", "保障进城落户农民的土地承包权、宅基地使用权、集体收益分配权，鼓励依法自愿有偿转让。"),
]
# 专栏10 “无废城市”建设, （二）重点举措 (lines 1062–1074)
BOX10 = [
    (1070, "1", "全面推广使用嘉兴市一般工业固废信息化监控系统，实现全市一般工业固废产生、运输、处置的全过程信息化监管。"),
    (1072, "2", "高效运行“五废共治”重点设施，动态规划建设补缺口项目。实施废气监测能力提升重点项目和一批废水收集处理能力提升重点项目。"),
    (1074, "3", "全面实现收集转运专业化。重点解决小微产废企业的工业固体废物收运难题，探索建立精准化源头分类、专业化二次分拣、智能化高效清运、最大化资源利用、集中化统一处置的工作模式。"),
]
# 专栏11 绿色发展重大改革和政策 (lines 1095–1101)
BOX11 = [
    (1097, "1", "完善生态文明领域统筹协调机制，促进经济社会发展全面绿色转型。"),
    (1099, "2", "强化绿色发展的政策保障。"),
    (1101, "3", "健全区域环境应急联动机制。"),
]
# 专栏13 公共服务质量提升及重大改革和政策, （五）重大改革和政策 (lines 1256–1270)
BOX13 = [
    (1258, "1", "支持和规范民办教育发展，规范校外培训机构。"),
    (1260, "2", "完善重点群体就业支持体系。"),
    (1262, "3", "完善促进中小微企业和个体工商户发展的政策体系。"),
    (1264, "4", "完善按要素分配政策制度，健全各类生产要素由市场决定报酬的机制。"),
    (1266, "5", "探索支持利用集体建设用地按照规划建设租赁住房，完善长租房政策，扩大保障性租赁住房供给。"),
    (1268, "6", "完善市民健康促进政策，织牢公共卫生防护网，为市民提供全方位全周期健康服务。"),
    (1270, "7", "支持家庭承担养老功能，培育养老新业态，构建居家社区机构相协调、医养康养相结合的养老服务体系。"),
]
# 专栏14 治理体系领域重大改革和政策 (lines 1299–1313)
BOX14 = [
    (1301, "1", "深化简政放权、放管结合、优化服务改革，持续优化市场化法治化国际化营商环境。"),
    (1303, "2", "深化政府数字化转型，打造“整体智治”现代政府。"),
    (1305, "3", "深化要素市场化改革，健全要素市场运行机制。"),
    (1307, "4", "深化国资国企改革，进一步加快国有经济布局优化和结构调整。"),
    (1309, "5", "深化投融资体制改革，发挥投资对优化供给结构的关键作用。"),
    (1311, "6", "完善扩大内需的政策支撑体系，形成需求牵引供给、供给创造需求的更高水平动态平衡。"),
    (1313, "7", "健全促进和保障境外投资的政策和服务体系。"),
]

# 专栏12 禾城文化复兴行动十大工程: the works are its headings （一）…（十） (lines 1156–1195)
BOX12 = [
    (1158, "一", "思想精神弘扬工程"),
    (1161, "二", "遗存遗迹保护工程"),
    (1165, "三", "民俗民风传承工程"),
    (1169, "四", "文化标识强化工程"),
    (1173, "五", "文艺创作繁荣工程"),
    (1177, "六", "特色文化研究工程"),
    (1181, "七", "文化品牌闪亮工程"),
    (1185, "八", "文旅融合推进工程"),
    (1189, "九", "文化人才引育工程"),
    (1193, "十", "文化交流合作工程"),
]
EXPECTED = {"专栏5": BOX5, "专栏7": BOX7, "专栏8": BOX8, "专栏9": BOX9, "专栏10": BOX10, "专栏11": BOX11,
            "专栏12": BOX12, "专栏13": BOX13, "专栏14": BOX14}


def box_items(plan: Plan, box: str) -> list[tuple[int, str | None, str]]:
    return [(t.line, t.no, t.text) for t in plan.tasks if t.kind == TaskKind.box_item and t.box == box]


@pytest.mark.parametrize("box", list(EXPECTED))
def test_every_item_of_the_box_with_its_exact_text_and_line(jiaxing_plan, box):
    assert box_items(jiaxing_plan, box) == EXPECTED[box]


def test_counts_per_box(jiaxing_plan):
    counts = {box: len(box_items(jiaxing_plan, box)) for box in EXPECTED}
    assert counts == {"专栏5": 8, "专栏7": 4, "专栏8": 3, "专栏9": 4, "专栏10": 3, "专栏11": 3, "专栏12": 10,
                      "专栏13": 7, "专栏14": 7}


def test_boxes_of_descriptions_projects_and_industries_list_no_tasks(jiaxing_plan):
    # 专栏1 空间布局 (an area), 专栏2, 专栏4, 专栏6 (industries) describe; 专栏3 lists the railways, as projects.
    boxes_with_items = {t.box for t in jiaxing_plan.tasks if t.kind == TaskKind.box_item}
    assert boxes_with_items == set(EXPECTED)
    railway_lines = {p.line for p in jiaxing_plan.projects}
    assert not railway_lines & {t.line for t in jiaxing_plan.tasks}


def test_box_items_are_tasks_in_chapter_four_with_stable_ids(jiaxing_plan):
    items = [t for t in jiaxing_plan.tasks if t.kind == TaskKind.box_item]
    assert all(t.confirmed and t.chapter == "4" for t in items)
    by_id = {t.id: t for t in jiaxing_plan.tasks}
    assert len(by_id) == len(jiaxing_plan.tasks)
    assert (by_id["box5.1"].line, by_id["box5.1"].section) == (894, "box5")
    assert (by_id["box12.10"].no, by_id["box12.10"].line) == ("十", 1193)


def test_a_work_carries_its_description(jiaxing_plan):
    work = next(t for t in jiaxing_plan.tasks if t.line == 1158)
    assert work.detail == ("重点开展红船精神进企业、进学校、进机关、进社区、进农村、进家庭、进网络“七进”活动。"
                           "挖掘“勤善和美、勇猛精进”的嘉兴故事。开展道德模范、身边好人等“最美嘉兴人”评选活动。")


# A few commitments of the prose, read by hand: (line, clause as printed).
PROSE = [
    (425, "基本建成营商环境最优市"),
    (868, "实现县（市、区）高校布点全覆盖"),
    (1048, "建成嘉兴独山应急调峰储运站"),
    (1048, "完成浙沪联络线二期、LNG应急调峰储运站外输管线等建设"),
    (1143, "推进马家浜考古遗址公园建设"),
    (1210, "实现技工院校县（市）全覆盖"),
    (1220, "基本建成信息共享、便民高效、监管有力的全市住房租赁服务监管平台"),
    (1279, "建成全国政府数字化转型示范地"),
    (1328, "实现公共法律服务网络全覆盖"),
]


def test_prose_commitments_are_candidates_to_confirm(jiaxing_plan):
    commitments = [t for t in jiaxing_plan.tasks if t.kind == TaskKind.prose_commitment]
    assert set(PROSE) <= {(t.line, t.text) for t in commitments}
    assert not any(t.confirmed for t in commitments)
    first = next(t for t in commitments if t.line == 1279 and t.text == "建成全国政府数字化转型示范地")
    assert first.chapter == "4" and first.section == "4.8.1"
    assert first.detail.startswith("加快政府数字化转型，深化“一件事”集成改革")


def test_prose_commitments_leave_out_the_past_the_vision_figures_and_taken_lines(jiaxing_plan):
    commitments = [t for t in jiaxing_plan.tasks if t.kind == TaskKind.prose_commitment]
    lines = {t.line for t in commitments}
    assert min(lines) > 384  # chapter 一 (十三五 results) and 二 (形势) hold no tasks
    assert 433 not in lines  # 展望二〇三五年…建成高水平创新型城市: the vision
    assert "建成凝聚浙江智慧、彰显浙江特色的高水平现代化示范片区" not in {t.text for t in commitments}  # 到2035年
    assert 1242 in lines and "建成在全省具有示范引领作用的特色普通高中5所" not in {t.text for t in commitments}
    assert not lines & {1167, 1171}  # inside a work's description (专栏12)
    assert 20 <= len(commitments) <= 100


def test_tasks_grouped_by_chapter(jiaxing_plan):
    groups = jiaxing_plan.tasks_by_chapter()
    assert list(groups) == ["3", "4"]
    assert sum(len(g) for g in groups.values()) == len(jiaxing_plan.tasks)


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda p: p.name.split("-")[0])
def test_other_plans_give_few_sensible_tasks(fragment):
    from planwatch.ingest import read_plan

    plan = read_plan(fragment)
    assert len(plan.tasks) <= 5
    assert all(t.kind == TaskKind.prose_commitment and not t.confirmed and 4 <= len(t.text) <= 60
               for t in plan.tasks)


def test_ningbo_commitments():
    from planwatch.ingest import read_plan

    plan = read_plan(next(p for p in FRAGMENTS if p.name.startswith("ningbo")))
    assert [(t.line, t.text) for t in plan.tasks] == [
        (24, "新材料、工业互联网、关键核心基础件三大科创高地初步建成"),
        (26, "基本建成国家制造业高质量发展试验区"),
        (28, "高水平交通强市初步建成"),
    ]


def test_a_box_of_reforms_in_a_small_plan():
    from planwatch.ingest import read_plan_text

    text = ("某市国民经济和社会发展第十四个五年规划纲要\n一、主要任务\n专栏1 重大改革\n"
            "\t1.深化国资国企改革。\n\n2.完善要素市场。\n\n\n（一）其他\n加快建设数字政府，建成全市统一的政务云平台。\n")
    plan = read_plan_text(text, "t.txt")
    assert [(t.kind, t.box, t.no, t.text, t.line) for t in plan.tasks] == [
        (TaskKind.box_item, "专栏1", "1", "深化国资国企改革。", 4),
        (TaskKind.box_item, "专栏1", "2", "完善要素市场。", 6),
        (TaskKind.prose_commitment, None, None, "建成全市统一的政务云平台", 10),
    ]


def test_plan_yaml_round_trips_tasks_and_programmes(jiaxing_plan):
    confirmed = jiaxing_plan.model_copy(update={"tasks": [t.model_copy(update={"confirmed": True})
                                                          for t in jiaxing_plan.tasks]})
    for plan in (jiaxing_plan, confirmed):
        again = plan_from_yaml(plan_to_yaml(plan))
        assert again == plan
        assert again.tasks and again.programmes and again.projects[1].parts


def test_store_round_trips_tasks_parts_and_programmes(store, jiaxing_plan):
    store.load_plan(jiaxing_plan, source="test")
    again = store.plan()
    assert (again.tasks, again.programmes, again.projects) == (jiaxing_plan.tasks, jiaxing_plan.programmes,
                                                                jiaxing_plan.projects)


def test_ingest_json_has_tasks_and_parts(outline_path, capsys):
    assert main(["ingest", str(outline_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    item = next(t for t in data["tasks"] if t["line"] == 894)
    assert {k: item[k] for k in ("box", "no", "text", "line", "kind", "chapter")} == {
        "box": "专栏5", "no": "1", "text": "实行更加开放的人才政策，构筑集聚国内外优秀人才的创新高地。", "line": 894,
        "kind": "box_item", "chapter": "4"}
    [part] = data["projects"][1]["parts"]
    assert (part["name"], part["length_km"], part["line"]) == ("货运线", 57.6, 837)
    assert data["programmes"][0]["name"] == "551"
