"""A small trained multi-label classifier: per theme, logistic regression stacked and calibrated.

Features are TF-IDF word uni- and bigrams plus character 2-5-grams within words, which
carry over to unfamiliar inflections and spellings; optionally also frozen sentence
embeddings (see :mod:`pipthemes.embeddings`). The vectoriser is fitted once and shared
by every theme. For each theme and each feature set a logistic regression weighs the
few positives up (``class_weight="balanced"``); its out-of-fold decision values, from
cross-validation on the training data, train a small logistic "calibrator" that turns
them into one calibrated score, and the threshold on that score that maximised F1 out
of fold becomes the theme's decision threshold.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

__all__ = ["ThemeClassifier"]

MIN_POSITIVES = 4


def _vectoriser():
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode",
                                      max_features=20000, dtype=np.float64)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                      max_features=20000, dtype=np.float64)),
        ]
    )


def best_threshold(y, scores):
    """The score threshold (on a 0.025 grid) that gives the highest F1 for labels ``y``.

    Where several thresholds tie, the middle one of them is taken, away from both edges.
    """
    y = np.asarray(y) == 1
    grid = np.round(np.arange(0.05, 0.951, 0.025), 3)
    f1 = np.zeros(len(grid))
    for i, threshold in enumerate(grid):
        pred = scores >= threshold
        denominator = pred.sum() + y.sum()
        f1[i] = 2 * float(np.sum(pred & y)) / denominator if denominator else 0.0
    best = grid[np.isclose(f1, f1.max())]
    return float(best[len(best) // 2])


def out_of_fold(model, X, y, folds):
    """Fit ``model`` on each training fold; return its decision values on the held-out folds."""
    oof = np.zeros(X.shape[0])
    for train, test in folds:
        oof[test] = model.fit(X[train], y[train]).decision_function(X[test])
    return oof


def calibrate(oof, y):
    """Fit a logistic calibrator on out-of-fold values; return it and its F1-best threshold."""
    calibrator = LogisticRegression(C=1.0, max_iter=1000).fit(oof, y)
    return calibrator, best_threshold(y, calibrator.predict_proba(oof)[:, 1])


def theme_folds(y, cv, random_state):
    """Stratified folds for one theme's 0/1 labels (fewer folds when positives are few)."""
    n_minority = int(min(y.sum(), len(y) - y.sum()))
    n_splits = max(2, min(cv, n_minority // 2))
    return list(StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state).split(y, y))


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label theme classifier with calibrated scores and tuned thresholds.

    Parameters
    ----------
    C : float, default 10.0
        Inverse regularisation strength of the logistic regression on TF-IDF features.
    embeddings : bool, default False
        Also use frozen sentence embeddings (needs ``pipthemes[embeddings]``); their
        regression's scores are stacked with the TF-IDF ones.
    embedding_C : float, default 1.0
        Inverse regularisation strength of the regression on embeddings.
    cv : int, default 5
        Folds of the cross-validation that gives out-of-fold scores for calibration
        and thresholds (fewer for a theme with few positives).
    random_state : int, default 0
        Seed for the fold split; the same data and seed give the same model.

    Attributes
    ----------
    classes_ : ndarray of str
        Theme ids, in the order of the columns of ``y``.
    vectoriser_ : FeatureUnion
        The fitted TF-IDF vectoriser shared by all themes.
    estimators_ : list
        Per theme, a list of fitted regressions (one per feature set), or ``None`` for
        a theme with fewer than 4 positives or negatives, which is never predicted.
    calibrators_ : list
        Per theme, the logistic regression mapping decision values to a score.
    thresholds_ : ndarray of float
        Per-theme decision thresholds on the calibrated score.
    oof_decisions_ : ndarray of shape (n_texts, n_themes, n_feature_sets)
        Out-of-fold decision values on the training texts (used by :class:`Coder`).

    Examples
    --------
    >>> clf = ThemeClassifier(cv=2)
    >>> X = ["we got money", "a grant came", "the funding ended", "we trust them",
    ...      "trust grew", "they were honest", "no money left", "good trust"]
    >>> y = [[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [1, 0], [0, 1]]
    >>> clf.fit(X, y, themes=["funding", "trust"]).predict(["more money please"]).shape
    (1, 2)
    """

    def __init__(self, *, C=10.0, embeddings=False, embedding_C=1.0, cv=5, random_state=0):
        self.C = C
        self.embeddings = embeddings
        self.embedding_C = embedding_C
        self.cv = cv
        self.random_state = random_state

    def _regressions(self):
        models = [LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=3000)]
        if self.embeddings:
            models.append(LogisticRegression(C=self.embedding_C, class_weight="balanced", solver="liblinear",
                                             max_iter=3000))
        return models

    def _feature_sets(self, texts):
        sets = [self.vectoriser_.transform(texts)]
        if self.embeddings:
            from .embeddings import embed

            sets.append(embed(texts))
        return sets

    def fit(self, X, y, *, themes=None):
        """Fit one stacked, calibrated model per theme.

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
        texts = [str(x) for x in X]
        y = np.asarray(y, dtype=int)
        if y.ndim != 2 or y.shape[0] != len(texts):
            raise ValueError(f"y must be a 0/1 matrix with one row per text; got shape {y.shape} for {len(texts)} texts")
        self.classes_ = np.asarray(themes if themes is not None else [f"theme_{i}" for i in range(y.shape[1])])
        if len(self.classes_) != y.shape[1]:
            raise ValueError(f"{len(self.classes_)} theme ids given for {y.shape[1]} columns of y")
        self.vectoriser_ = _vectoriser().fit(texts)
        for _, vectoriser in self.vectoriser_.transformer_list:
            vectoriser.stop_words_ = None  # the dropped n-grams: only bulk in the model file
            vectoriser.vocabulary_ = {term: int(i) for term, i in sorted(vectoriser.vocabulary_.items())}
        features = self._feature_sets(texts)
        self.oof_decisions_ = np.zeros((len(texts), y.shape[1], len(features)))
        self.estimators_, self.calibrators_, thresholds = [], [], []
        for j in range(y.shape[1]):
            target = y[:, j]
            n_pos = int(target.sum())
            if n_pos < MIN_POSITIVES or n_pos > len(target) - MIN_POSITIVES:
                self.estimators_.append(None)
                self.calibrators_.append(None)
                thresholds.append(1.0)
                continue
            folds = theme_folds(target, self.cv, self.random_state)
            for k, (model, F) in enumerate(zip(self._regressions(), features)):
                self.oof_decisions_[:, j, k] = out_of_fold(model, F, target, folds)
            calibrator, threshold = calibrate(self.oof_decisions_[:, j, :], target)
            self.estimators_.append([m.fit(F, target) for m, F in zip(self._regressions(), features)])
            self.calibrators_.append(calibrator)
            thresholds.append(threshold)
        self.thresholds_ = np.asarray(thresholds, dtype=float)
        return self

    def decision_values(self, X):
        """Raw decision values, shape (n_texts, n_themes, n_feature_sets); zeros for unfitted themes."""
        check_is_fitted(self, "estimators_")
        texts = [str(x) for x in X]
        n_sets = self.oof_decisions_.shape[2]
        out = np.zeros((len(texts), len(self.classes_), n_sets))
        if not texts:
            return out
        features = self._feature_sets(texts)
        for j, models in enumerate(self.estimators_):
            if models is not None:
                for k, (model, F) in enumerate(zip(models, features)):
                    out[:, j, k] = model.decision_function(F)
        return out

    def predict_proba(self, X):
        """Calibrated score of each theme for each text, shape (n_texts, n_themes)."""
        return self.calibrated(self.decision_values(X))

    def calibrated(self, decisions):
        """Calibrated scores from the output of :meth:`decision_values`."""
        out = np.zeros(decisions.shape[:2])
        for j, calibrator in enumerate(self.calibrators_):
            if calibrator is not None and len(out):
                out[:, j] = calibrator.predict_proba(decisions[:, j, :])[:, 1]
        return out

    def predict(self, X):
        """0/1 matrix: a theme is predicted where its score reaches its threshold."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)
