"""Accounts (argon2-hashed, roles, disabled) and responsibility for indicators, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planwatch.errors import ConflictError, DataImportError, InputError, NotFoundError, StoreError
from planwatch.store import Assignment, schema, split_units

PASSWORD = "correct horse battery"


def stored_hash(store, name: str) -> str:
    with store.read() as conn:
        return conn.execute(select(schema.users.c.password_hash).where(schema.users.c.name == name)).scalar_one()


def test_password_is_hashed_with_argon2_and_verified(store):
    user = store.add_user("alice", role="admin", password=PASSWORD)
    assert (user.name, user.role, user.disabled) == ("alice", "admin", False)
    assert stored_hash(store, "alice").startswith("$argon2id$")
    assert PASSWORD not in stored_hash(store, "alice")
    assert store.verify_password("alice", PASSWORD) == user
    assert store.verify_password("alice", PASSWORD + "x") is None
    assert store.verify_password("alice", "") is None
    assert store.verify_password("nobody", PASSWORD) is None


def test_the_user_model_carries_no_hash(store):
    store.add_user("alice", role="viewer", password=PASSWORD)
    (user,) = store.users()
    assert "password_hash" not in user.model_dump()
    assert "$argon2" not in repr(user)


def test_disabled_user_never_verifies(store):
    store.add_user("root", role="admin", password=PASSWORD)
    store.add_user("bob", role="planner", password=PASSWORD)
    assert store.disable_user("bob").disabled
    assert store.verify_password("bob", PASSWORD) is None
    assert store.verify_password("root", PASSWORD) is not None


def test_the_last_admin_cannot_be_disabled(store):
    store.add_user("root", role="admin", password=PASSWORD)
    with pytest.raises(ConflictError, match="唯一可用的管理员"):
        store.disable_user("root")
    store.add_user("root2", role="admin", password=PASSWORD)
    store.disable_user("root")
    assert [u.disabled for u in store.users()] == [True, False]


def test_set_password(store):
    store.add_user("alice", role="viewer", password=PASSWORD)
    before = stored_hash(store, "alice")
    store.set_password("alice", "another password")
    assert stored_hash(store, "alice") != before
    assert store.verify_password("alice", PASSWORD) is None
    assert store.verify_password("alice", "another password") is not None
    with pytest.raises(NotFoundError, match="没有名为 ghost 的用户"):
        store.set_password("ghost", "another password")
    with pytest.raises(InputError, match="密码至少 8 个字符"):
        store.set_password("alice", "short")


def test_duplicate_name_is_refused(store):
    store.add_user("alice", role="viewer", password=PASSWORD)
    with pytest.raises(ConflictError, match="用户 alice 已存在"):
        store.add_user("alice", role="admin", password=PASSWORD)
    assert len(store.users()) == 1


def test_reporter_needs_a_unit_and_roles_are_checked(store):
    with pytest.raises(InputError, match=r"reporter.*必须指定责任单位"):
        store.add_user("rep", role="reporter", password=PASSWORD)
    with pytest.raises(InputError, match=r"角色 'boss' 无效：应为 admin（管理员）、planner（规划处）、reporter（填报单位）、viewer"):
        store.add_user("rep", role="boss", password=PASSWORD)
    with pytest.raises(InputError, match="用户名 'a b' 含有空白"):
        store.add_user("a b", role="viewer", password=PASSWORD)
    assert store.users() == []


def test_reporter_with_unit_and_region(store):
    store.add_regions([("嘉兴市", None, "city"), ("南湖区", "嘉兴市", "county")])
    user = store.add_user("nanhu", role="reporter", password=PASSWORD, unit="南湖区统计局", region="南湖区")
    assert (user.unit, user.region) == ("南湖区统计局", "南湖区")
    assert store.verify_password("nanhu", PASSWORD) == user
    with pytest.raises(InputError, match="地区 火星 不在数据库中"):
        store.add_user("mars", role="reporter", password=PASSWORD, unit="统计局", region="火星")


def test_split_units():
    assert split_units("科技局、统计局,财政局，科技局") == ["科技局", "统计局", "财政局"]
    assert split_units(["a、b", " c ", ""]) == ["a", "b", "c"]
    assert split_units(None) == []


def test_assign_by_id_number_or_name(store, jiaxing_plan):
    store.load_plan(jiaxing_plan)
    r = store.assign("1", "市统计局", ["市发展改革委、市财政局"])
    assert (r.indicator, r.name, r.lead_unit, r.co_units) == ("T2-1", "地区生产总值", "市统计局", ["市发展改革委", "市财政局"])
    store.assign("研发经费支出占地区生产总值比重", "市科技局")
    store.assign("T2-1", "市发展改革委", ["市统计局"])  # replaces the first
    got = [(x.indicator, x.lead_unit, x.co_units) for x in store.responsibilities()]
    assert got == [("T2-1", "市发展改革委", ["市统计局"]), ("T2-5", "市科技局", [])]


def test_assign_refuses_unknown_and_previous_indicators(store, jiaxing_plan):
    store.load_plan(jiaxing_plan)
    with pytest.raises(InputError, match="找不到指标 没有这个指标"):
        store.assign("没有这个指标", "市统计局")
    with pytest.raises(InputError, match="表1"):
        store.assign("T1-1", "市统计局")
    with pytest.raises(InputError, match="既是牵头单位又是配合单位"):
        store.assign("T2-1", "市统计局", ["市统计局"])
    with pytest.raises(InputError, match="缺少牵头单位"):
        store.assign("T2-1", " ")
    assert store.responsibilities() == []


def test_assign_many_is_all_or_nothing(store, jiaxing_plan):
    store.load_plan(jiaxing_plan)
    store.assign("T2-9", "市商务局")
    entries = [Assignment(indicator="T2-1", lead_unit="市统计局", row=2),
               Assignment(indicator="不存在", lead_unit="市统计局", row=3),
               Assignment(indicator="1", lead_unit="市发展改革委", row=4),
               Assignment(indicator="T2-9", lead_unit="嘉兴海关", row=5)]
    with pytest.raises(DataImportError, match="分工有 2 处问题，未写入任何分工") as caught:
        store.assign_many(entries)
    assert "第 3 行：找不到指标 不存在" in str(caught.value)
    assert "第 4 行：指标 1 已在第 2 行分工" in str(caught.value)
    assert [(x.indicator, x.lead_unit) for x in store.responsibilities()] == [("T2-9", "市商务局")]


def test_assign_needs_a_plan(store):
    with pytest.raises(StoreError, match="还没有规划"):
        store.assign("1", "市统计局")


def test_a_unit_with_a_control_character_is_refused_by_the_store_itself(hand_store):
    # The web checks first; the command line and scripts reach the store directly (PostgreSQL refuses NUL).
    with pytest.raises(InputError, match="责任单位含有控制字符"):
        hand_store.add_user("x1", role="reporter", unit="统计局\x00", password=PASSWORD)
    with pytest.raises(InputError, match="牵头单位含有控制字符"):
        hand_store.assign("T2-1", "统计局\x00")
    assert hand_store.users() == [] and hand_store.responsibilities() == []
