"""The shipped real Jiaxing actuals, imported into a store with the real plan, on both backends."""

from __future__ import annotations

from planwatch.observe import import_file
from planwatch.samples import JIAXING_ACTUALS


def test_real_actuals_import_exactly(jiaxing_store_any, jiaxing_declared_series_list):
    store = jiaxing_store_any  # imported once by the fixture; import again: nothing changes
    again = import_file(store, JIAXING_ACTUALS, declare=jiaxing_declared_series_list)
    assert (again.rows_read, again.inserted, again.revised, again.unchanged) == (74, 0, 0, 74)
    assert len(store.observations()) == 67
    assert len(store.observations(include_revisions=True)) == 74

    def revs(ind, year, region="嘉兴市"):
        return [(r.value, r.vintage, r.is_current) for r in store.revisions(ind, region, year)]

    gdp = store.plan().indicator("1").id
    assert revs(gdp, 2020) == [(5509.52, "preliminary", False), (5563.58, "final", True)]
    assert revs(gdp, 2021) == [(6355.28, "preliminary", False), (6388.38, "final", True)]
    assert revs(gdp, 2024) == [(7569.5, None, False), (7569.53, None, True)]  # file order decides
    assert revs("CTY", 2021, "平湖市") == [(698.48, None, False), (907.5, None, True)]

    def one(no_or_code, year, region="嘉兴市"):
        ind = store.plan().indicator(no_or_code)
        [obs] = store.observations(ind.id if ind else no_or_code, region, year)
        return obs.value, obs.bound, obs.text, obs.unit, str(obs.kind)

    assert one("6", 2022) == (129.0, ">", None, "万人", "level")
    assert one("26", 2022) == (5.5, "<", None, "%", "level")
    assert one("INC_U", 2021) == (69800.0, None, None, "元", "level")
    assert one("IND", 2021) == (13300.0, None, None, "亿元", "level")
    assert one("IND_VA", 2023) == (7.6, None, None, "%", "annual_growth")
    assert one("INC_R", 2024) == (None, None, "1st (21 consecutive years)", "位次", "text")
    assert one("9", 2024) == (None, None, "growth only: 进出口总额增长9.3% (level not stated in excerpt)", "亿元", "text")
    assert one("2", 2023) == (21.43, None, None, "万元/人", "level")
    assert one("GDPg", 2021) == (8.5, None, None, "%", "annual_growth")
    [quote] = {o.extra["source_quote"] for o in store.observations("CTY", "海宁市", 2020)}
    assert quote == "海寧市超千億元,GDP總量為1030.78億元,增速為2%"


def test_undeclared_real_series_are_refused(store, jiaxing_plan):
    import csv

    import pytest

    from planwatch.errors import DataImportError
    from planwatch.samples import SAMPLES

    store.load_plan(jiaxing_plan)
    with (SAMPLES / "regions" / "jiaxing-regions.csv").open(encoding="utf-8", newline="") as fh:
        store.add_regions(list(csv.DictReader(fh)))
    with pytest.raises(DataImportError) as info:
        import_file(store, JIAXING_ACTUALS)
    refused = sorted({p.value for p in info.value.problems if p.column == "indicator_no"})
    assert refused == ["CTY", "EMP", "GDPg", "INC", "INC_R", "INC_U", "IND", "IND_VA", "POP"]
    assert store.observations(include_revisions=True) == []
