import pandas as pd
import pytest

import pipthemes as pt
from pipthemes.evaluation import METHODS


@pytest.fixture(scope="module")
def coded():
    train, _ = pt.training_split()
    return train.iloc[:150].reset_index(drop=True)


def test_evaluation_cv_reports_every_method_and_theme(coded):
    table = pt.evaluate(coded, cv=2)
    ids = pt.load_codebook().ids
    assert list(table["method"].unique()) == list(METHODS)
    for _, part in table.groupby("method"):
        assert part["theme"].tolist() == ids + ["all"]
    scores = table[["precision", "recall", "f1", "kappa", "alpha"]]
    assert (scores.le(1.0)).all().all() and scores["f1"].ge(0).all()
    assert table.attrs["n_segments"] == len(coded)


def test_evaluation_rules_row_matches_rule_coder(coded):
    table = pt.evaluate(coded, cv=2)
    rules = table[(table["method"] == "rules") & (table["theme"] != "all")].set_index("theme")
    segs = coded.assign(position=1, speaker="", to_code=True)
    summary = pt.rule_summary(pt.RuleCoder().code(segs), segs, gold=coded).set_index("theme")
    for theme in pt.load_codebook().ids:
        assert rules.loc[theme, "f1"] == pytest.approx(summary.loc[theme, "f1"])


def test_evaluation_needs_model_or_cv(coded):
    with pytest.raises(ValueError, match="either a fitted model or"):
        pt.evaluate(coded)
    with pytest.raises(pt.CorpusError, match="no such column"):
        pt.evaluate(coded.drop(columns="text"), cv=2)


def test_evaluation_cv_trains_on_extra_segments_but_scores_only_the_table(coded, monkeypatch):
    sizes = []
    fit = pt.Coder.fit

    def recording_fit(self, table, **kwargs):
        sizes.append(len(table))
        return fit(self, table, **kwargs)

    monkeypatch.setattr(pt.Coder, "fit", recording_fit)
    extra = pt.training_split()[0].iloc[150:250]
    table = pt.evaluate(coded, cv=2, extra=extra)
    assert table.attrs["n_segments"] == len(coded)
    assert sorted(sizes) == sorted(n + len(extra) for n in (len(coded) // 2, len(coded) - len(coded) // 2))
    with pytest.raises(pt.CorpusError, match="unknown theme 'weather'"):
        pt.evaluate(coded, cv=2, extra=extra.assign(themes="weather"))
    with pytest.raises(ValueError, match="only apply to cross-validation"):
        pt.evaluate(coded, model=object(), extra=extra)


def test_evaluation_disagreements():
    a = pd.DataFrame({"id": ["1", "2", "3"], "themes": ["trust", "funding;power", ""]})
    b = pd.DataFrame({"id": ["3", "2", "1"], "themes": ["", "funding", "trust"]})
    table = pt.disagreements(a, b, themes=pt.load_codebook().ids, id_col="id")
    assert table.to_dict(orient="records") == [
        {"id": "2", "themes_a": "funding;power", "themes_b": "funding", "only_a": "power", "only_b": ""}]
