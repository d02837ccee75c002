"""A small trained multi-label classifier: one calibrated logistic regression per theme.

Features are TF-IDF word uni- and bigrams plus character 2-5-grams within words, which
carry over to unfamiliar inflections and spellings. Each theme's model weighs its few
positives up (``class_weight="balanced"``); its scores are calibrated with Platt
scaling, and its decision threshold is the one that maximised F1 in cross-validation
on the training data.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.utils.validation import check_is_fitted

__all__ = ["ThemeClassifier"]


def _features():
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, strip_accents="unicode")),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=1, sublinear_tf=True,
                                      max_features=30000)),
        ]
    )


def _best_threshold(y, scores):
    best, best_f1 = 0.5, -1.0
    for threshold in np.round(np.arange(0.05, 0.951, 0.025), 3):
        pred = scores >= threshold
        tp = float(np.sum(pred & (y == 1)))
        f1 = 2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(threshold), f1
    return best


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label theme classifier with calibrated scores and tuned thresholds.

    Parameters
    ----------
    C : float, default 4.0
        Inverse regularisation strength of each logistic regression.
    cv : int, default 5
        Folds used to tune each theme's threshold (and 3 for calibration inside).
    random_state : int, default 0
        Seed for the fold split; the same data and seed give the same model.

    Attributes
    ----------
    classes_ : ndarray of str
        Theme ids, in the order of the columns of ``y``.
    thresholds_ : ndarray of float
        Per-theme decision thresholds.
    estimators_ : list
        One fitted pipeline per theme (``None`` for a theme with too few positives,
        which is then never predicted).

    Examples
    --------
    >>> clf = ThemeClassifier(cv=2)
    >>> X = ["we got money", "a grant came", "the funding ended", "we trust them",
    ...      "trust grew", "they were honest", "no money left", "good trust"]
    >>> y = [[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [1, 0], [0, 1]]
    >>> clf.fit(X, y, themes=["funding", "trust"]).predict(["more money please"]).shape
    (1, 2)
    """

    def __init__(self, *, C=4.0, cv=5, random_state=0):
        self.C = C
        self.cv = cv
        self.random_state = random_state

    def _pipeline(self, n_minority):
        base = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
        calibrated = CalibratedClassifierCV(base, method="sigmoid", cv=2 if n_minority < 15 else 3)
        return make_pipeline(_features(), calibrated)

    def fit(self, X, y, *, themes=None):
        """Fit one model per theme.

        Parameters
        ----------
        X : sequence of str
            Texts.
        y : array-like of shape (n_texts, n_themes)
            0/1 indicator matrix.
        themes : list of str, optional
            Theme ids of the columns (default ``theme_0``, ``theme_1``...).

        Returns
        -------
        self
        """
        X = np.asarray([str(x) for x in X], dtype=object)
        y = np.asarray(y, dtype=int)
        if y.ndim != 2 or y.shape[0] != len(X):
            raise ValueError(f"y must be a 0/1 matrix with one row per text; got shape {y.shape} for {len(X)} texts")
        self.classes_ = np.asarray(themes if themes is not None else [f"theme_{i}" for i in range(y.shape[1])])
        if len(self.classes_) != y.shape[1]:
            raise ValueError(f"{len(self.classes_)} theme ids given for {y.shape[1]} columns of y")
        self.estimators_, thresholds = [], []
        for j in range(y.shape[1]):
            target = y[:, j]
            n_pos = int(target.sum())
            if n_pos < 4 or n_pos > len(target) - 4:
                self.estimators_.append(None)
                thresholds.append(1.0)
                continue
            n_minority = min(n_pos, len(target) - n_pos)
            folds = StratifiedKFold(n_splits=max(2, min(self.cv, n_minority // 2)), shuffle=True,
                                    random_state=self.random_state)
            model = self._pipeline(n_minority)
            oof = cross_val_predict(clone(model), X, target, cv=folds, method="predict_proba")[:, 1]
            thresholds.append(_best_threshold(target, oof))
            self.estimators_.append(model.fit(X, target))
        self.thresholds_ = np.asarray(thresholds, dtype=float)
        return self

    def predict_proba(self, X):
        """Calibrated score of each theme for each text, shape (n_texts, n_themes)."""
        check_is_fitted(self, "estimators_")
        X = [str(x) for x in X]
        out = np.zeros((len(X), len(self.estimators_)))
        for j, model in enumerate(self.estimators_):
            if model is not None and len(X):
                out[:, j] = model.predict_proba(X)[:, 1]
        return out

    def predict(self, X):
        """0/1 matrix: a theme is predicted where its score reaches its threshold."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)
