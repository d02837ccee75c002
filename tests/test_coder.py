import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import pipthemes as pt
from pipthemes.coder import theme_matrix

from .conftest import make_segments


def _segs(texts):
    return make_segments([{"segment_id": f"s{i}", "text": t} for i, t in enumerate(texts)])


@pytest.fixture(scope="module")
def sample():
    train, held = pt.training_split()
    return train.iloc[:240].reset_index(drop=True), held.iloc[:40].reset_index(drop=True)


@pytest.fixture(scope="module")
def coder(sample):
    return pt.Coder(cv=3).fit(sample[0])


def test_coder_fit_returns_self_and_learns_per_theme(sample):
    coder = pt.Coder(cv=3)
    assert coder.fit(sample[0]) is coder
    assert list(coder.classes_) == pt.load_codebook().ids
    assert len(coder.combiners_) == len(coder.thresholds_) == 7
    assert coder.n_training_segments_ == 240


def test_coder_not_fitted_error():
    with pytest.raises(NotFittedError):
        pt.Coder().predict(["some text"])


def test_coder_is_a_cloneable_estimator(coder):
    params = clone(coder).get_params()
    assert params["combine"] == "stack" and params["cv"] == 3


def test_coder_same_data_and_seed_same_output(sample, coder):
    again = pt.Coder(cv=3).fit(sample[0])
    texts = sample[1]["text"].tolist()
    assert again.predict(texts) == coder.predict(texts)
    segs = _segs(texts)
    pd.testing.assert_frame_equal(again.code_and_score(segs)[1], coder.code_and_score(segs)[1])


def test_coder_codes_carry_provenance(sample, coder):
    segs = _segs(sample[1]["text"].tolist())
    codes, wide = coder.code_and_score(segs)
    assert set(codes["coder"]) == {"machine"}
    assert set(codes["provenance"]) <= {"rules", "model", "both"}
    ruled = codes["provenance"].isin(["rules", "both"])
    assert (codes.loc[ruled, "n_hits"] > 0).all() and (codes.loc[~ruled, "n_hits"] == 0).all()
    assert (codes.loc[ruled, "evidence"] != "").all()
    assert len(wide) == len(segs)
    listed = {(s, t) for s, themes in zip(segs["segment_id"], wide["themes"]) for t in pt.parse_themes(themes)}
    assert listed == set(zip(codes["segment_id"], codes["theme"]))


def test_coder_uncoded_segments_have_empty_scores(coder):
    segs = _segs(["Trust has grown between us.", "Interviewer question"]).assign(to_code=[True, False])
    _, wide = coder.code_and_score(segs)
    assert wide.loc[1, "themes"] == "" and wide.filter(like="score_").iloc[1].isna().all()
    assert wide.filter(like="score_").iloc[0].notna().all()


@pytest.mark.parametrize("combine", ["union", "model"])
def test_coder_other_combinations(sample, combine):
    coder = pt.Coder(combine=combine, cv=3).fit(sample[0])
    assert all(c is None for c in coder.combiners_)
    hits = coder.predict(["The grant was cut and the money ran out."])
    assert "funding" in hits[0]


def test_coder_union_contains_rules_and_model(sample, coder):
    from pipthemes.evaluation import predict_methods

    pred = predict_methods(coder, sample[1]["text"].tolist())
    assert (pred["union"] >= pred["rules"]).all() and (pred["union"] >= pred["model"]).all()


def test_coder_refuses_bad_training_table(sample):
    with pytest.raises(pt.CorpusError, match="no such column"):
        pt.Coder().fit(sample[0].drop(columns="themes"))
    bad = sample[0].copy()
    bad.loc[3, "themes"] = "trust;money"
    with pytest.raises(pt.CorpusError, match="unknown theme 'money'") as info:
        pt.Coder().fit(bad, path="coded.csv")
    assert info.value.row == 5 and info.value.column == "themes"  # file row: header is row 1
    with pytest.raises(ValueError, match="combine must be one of"):
        pt.Coder(combine="vote").fit(sample[0])


def test_coder_theme_matrix():
    y = theme_matrix(["trust;funding", "", " power "], ["trust", "power", "funding"])
    assert y.tolist() == [[1, 0, 1], [0, 0, 0], [0, 1, 0]]


def test_coder_rare_theme_falls_back_to_rules(sample):
    coded = sample[0].copy()
    coded["themes"] = [";".join(t for t in pt.parse_themes(v) if t != "exchange") for v in coded["themes"]]
    coder = pt.Coder(cv=3).fit(coded)
    j = list(coder.classes_).index("exchange")
    assert coder.classifier_.calibrators_[j] is None
    assert "exchange" in coder.predict(["They seconded a member of staff to us."])[0]
    assert np.isfinite(coder.thresholds_).all()
