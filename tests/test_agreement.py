import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipthemes as pt

THEMES = ["trust", "funding", "power"]


def test_agreement_masi_handles_two_empty_sets():
    assert pt.masi(frozenset(), frozenset()) == 0.0
    assert pt.masi(frozenset({"trust"}), frozenset()) == 1.0


def test_agreement_perfect_and_known_values():
    a = pd.DataFrame({"segment_id": ["1", "2", "3", "4"], "themes": ["trust", "", "funding;trust", "power"]})
    perfect = pt.agreement(a, a, themes=THEMES).set_index("theme")
    assert perfect.loc["all", "alpha"] == pytest.approx(1.0)
    assert perfect.loc["trust", "kappa"] == pytest.approx(1.0)
    b = a.assign(themes=["trust", "trust", "funding;trust", ""])
    table = pt.agreement(a, b, themes=THEMES).set_index("theme")
    # trust: a = 1,0,1,0 ; b = 1,1,1,0 -> po = .75, pe = .5*.75 + .5*.25 = .5, kappa = .5
    assert table.loc["trust", "kappa"] == pytest.approx(0.5)
    assert table.loc["power", "percent_agreement"] == pytest.approx(0.75)
    assert table.loc["all", "alpha"] < 1
    assert table.attrs["n_segments"] == 4


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sets(st.sampled_from(THEMES)), st.sets(st.sampled_from(THEMES))),
                min_size=2, max_size=25))
def test_agreement_symmetric_and_bounded(pairs):
    ids = [str(i) for i in range(len(pairs))]
    a = pd.DataFrame({"segment_id": ids, "themes": [";".join(sorted(x)) for x, _ in pairs]})
    b = pd.DataFrame({"segment_id": ids, "themes": [";".join(sorted(y)) for _, y in pairs]})
    ab = pt.agreement(a, b, themes=THEMES)
    ba = pt.agreement(b, a, themes=THEMES)
    assert ab["kappa"].tolist() == pytest.approx(ba["kappa"].tolist(), nan_ok=True)
    assert ab["alpha"].tolist() == pytest.approx(ba["alpha"].tolist(), nan_ok=True)
    assert (ab["kappa"].dropna() <= 1 + 1e-9).all() and (ab["alpha"].dropna() <= 1 + 1e-9).all()
