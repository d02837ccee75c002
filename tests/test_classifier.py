import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from pipthemes.classifier import ThemeClassifier

TEXTS = [
    "the grant money ran out", "we bid for the contract", "funding was cut again", "commissioning budget shrank",
    "a new funding stream", "money is tight", "we trust them now", "relationships are honest",
    "there was suspicion", "we respect each other", "trust has grown", "they were open with us",
]
Y = np.array([[1, 0]] * 6 + [[0, 1]] * 6)


def test_classifier_fit_returns_self_and_sets_attributes():
    clf = ThemeClassifier(cv=2)
    assert clf.fit(TEXTS, Y, themes=["funding", "trust"]) is clf
    assert list(clf.classes_) == ["funding", "trust"]
    assert clf.thresholds_.shape == (2,) and ((clf.thresholds_ > 0) & (clf.thresholds_ < 1)).all()
    scores = clf.predict_proba(["the grant was cut", "we trust each other"])
    assert scores.shape == (2, 2) and ((scores >= 0) & (scores <= 1)).all()
    assert scores[0, 0] > scores[0, 1] and scores[1, 1] > scores[1, 0]


def test_classifier_not_fitted_error():
    with pytest.raises(NotFittedError):
        ThemeClassifier().predict(["text"])


def test_classifier_same_data_and_seed_same_output():
    a = ThemeClassifier(cv=2, random_state=3).fit(TEXTS, Y, themes=["funding", "trust"])
    b = ThemeClassifier(cv=2, random_state=3).fit(TEXTS, Y, themes=["funding", "trust"])
    probe = ["budget cuts and trust", "nothing here"]
    assert np.array_equal(a.predict_proba(probe), b.predict_proba(probe))
    assert np.array_equal(a.thresholds_, b.thresholds_)


def test_classifier_theme_with_too_few_positives_is_never_predicted():
    y = np.c_[Y, np.r_[1, np.zeros(11, dtype=int)]]
    clf = ThemeClassifier(cv=2).fit(TEXTS, y, themes=["funding", "trust", "rare"])
    assert clf.estimators_[2] is None and clf.predict(TEXTS)[:, 2].sum() == 0


def test_classifier_rejects_mismatched_y():
    with pytest.raises(ValueError, match="one row per text"):
        ThemeClassifier().fit(TEXTS, Y[:5])
