import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipthemes as pt

from .conftest import make_segments


@pytest.fixture
def segs():
    return make_segments([
        {"segment_id": "a1", "respondent_id": "A", "sector": "public", "area": "X", "text": "."},
        {"segment_id": "a2", "respondent_id": "A", "sector": "public", "area": "X", "text": "."},
        {"segment_id": "b1", "respondent_id": "B", "sector": "public", "area": "Y", "text": "."},
        {"segment_id": "c1", "respondent_id": "C", "sector": "voluntary", "area": "X", "text": "."},
        {"segment_id": "d1", "respondent_id": "D", "sector": "", "area": "Y", "text": "."},
    ])


@pytest.fixture
def codes():
    return pd.DataFrame({
        "segment_id": ["a1", "a2", "c1", "b1"],
        "theme": ["trust", "trust", "trust", "funding"],
        "coder": "rules",
    })


def test_analysis_respondent_counted_once(codes, segs):
    freq = pt.theme_frequencies(codes, segs, by="sector", unit="respondent", themes=["trust", "funding"])
    got = freq.set_index(["sector", "theme"])
    assert got.loc[("public", "trust"), ["n_units", "n_coded"]].tolist() == [2, 1]
    assert got.loc[("public", "trust"), "share"] == pytest.approx(0.5)
    assert got.loc[("voluntary", "trust"), ["n_units", "n_coded"]].tolist() == [1, 1]
    assert got.loc[("(not stated)", "funding"), ["n_units", "n_coded"]].tolist() == [1, 0]


def test_analysis_segment_unit_counts_each_segment(codes, segs):
    freq = pt.theme_frequencies(codes, segs, by=["sector"], unit="segment", themes=["trust"])
    assert freq.set_index("sector").loc["public", ["n_units", "n_coded"]].tolist() == [3, 2]
    assert freq["n_units"].sum() == len(segs)


def test_analysis_no_grouping_and_theme_order(codes, segs):
    freq = pt.theme_frequencies(codes, segs, unit="respondent", themes=["funding", "trust", "power"])
    assert freq["theme"].tolist() == ["funding", "trust", "power"]
    assert freq["n_coded"].tolist() == [1, 2, 0] and set(freq["n_units"]) == {4}


def test_analysis_suppression(codes, segs):
    freq = pt.theme_frequencies(codes, segs, by="area", unit="respondent", themes=["trust", "funding"],
                                suppress_below=2)
    got = freq.set_index(["area", "theme"])
    assert got.loc[("X", "trust"), "n_coded"] == 2 and not got.loc[("X", "trust"), "suppressed"]
    assert got.loc[("Y", "funding"), "suppressed"] and pd.isna(got.loc[("Y", "funding"), "share"])
    assert got.loc[("X", "funding"), "n_coded"] == 0 and not got.loc[("X", "funding"), "suppressed"]


def test_analysis_several_coders_need_a_choice(codes, segs):
    both = pd.concat([codes, codes.assign(coder="ann")])
    with pytest.raises(pt.SchemaError, match="several coders"):
        pt.theme_frequencies(both, segs)
    assert pt.theme_frequencies(both, segs, coder="ann")["n_coded"].sum() == 4


def test_analysis_compare_groups_uses_fisher_for_small_tables(codes, segs):
    result = pt.compare_groups(codes, segs, by="sector", unit="respondent", themes=["trust"]).iloc[0]
    assert result["test"] == "fisher" and 0 <= result["p_value"] <= 1
    assert result["share_public"] == pytest.approx(0.5) and result["share_voluntary"] == pytest.approx(1.0)


def test_analysis_compare_groups_chi_square_for_large_tables():
    n = 200
    segs = make_segments([{"segment_id": str(i), "sector": "public" if i < n / 2 else "voluntary", "text": "."}
                          for i in range(n)])
    hits = [str(i) for i in range(n) if (i < n / 2 and i % 2 == 0) or (i >= n / 2 and i % 10 == 0)]
    codes = pd.DataFrame({"segment_id": hits, "theme": "trust", "coder": "rules"})
    result = pt.compare_groups(codes, segs, by="sector", themes=["trust"]).iloc[0]
    assert result["test"] == "chi-square" and result["p_value"] < 0.001


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDE"), st.sampled_from(["public", "voluntary"]), st.booleans()),
                min_size=1, max_size=30))
def test_analysis_shares_bounded_and_rows_accounted(rows):
    segs = make_segments([{"segment_id": str(i), "respondent_id": r, "sector": s, "text": "."}
                          for i, (r, s, _) in enumerate(rows)])
    codes = pd.DataFrame({"segment_id": [str(i) for i, (_, _, hit) in enumerate(rows) if hit],
                          "theme": "trust", "coder": "rules"})
    seg_freq = pt.theme_frequencies(codes, segs, by="sector", themes=["trust"])
    assert seg_freq["n_units"].sum() == len(rows)
    resp = pt.theme_frequencies(codes, segs, by="sector", unit="respondent", themes=["trust"])
    assert ((resp["share"] >= 0) & (resp["share"] <= 1)).all()
    assert (resp["n_coded"] <= resp["n_units"]).all()
