"""Variants of the TF-IDF stack that were measured and not adopted.

Each variant is trained on the full training split (6,524 segments, as the default model) and
scored on the held-out interviews and the held-out answers, next to the default settings:

- ``weight W``: the 526 corpus segments count W times in every regression (classifier,
  calibrator, stacker) and in the F1 used to pick thresholds, so the model leans towards the
  corpus's own interviews rather than the supplementary text by other writers;
- ``lemmas``: word n-grams of spaCy lookup lemmas instead of the surface words (the character
  n-grams stay);
- ``words + lemmas``: both.

The library has no switch for these; the script swaps the pieces in with ``unittest.mock``.
Run ``python benchmarks/attempts.py`` from the repository root (about 7 minutes here with the cores free).
"""

import time
from contextlib import ExitStack
from unittest import mock

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

import pipthemes as pt
import pipthemes.classifier as classifier
from pipthemes.text import lemmatise

cb = pt.load_codebook()
train, held = pt.training_split()
answers = pd.read_csv(pt.bundled_corpus() / "heldout_answers.csv", dtype=str, keep_default_na=False)
n_corpus = len(pt.training_split(extra=False)[0])  # the corpus rows come first in the split


def lemma_words(doc):
    words = [t.lemma_.lower() for t in doc if not (t.is_punct or t.is_space)]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


LEMMAS = {doc.text: lemma_words(doc)
          for doc in lemmatise(sorted(set(train["text"]) | set(held["text"]) | set(answers["text"])))}


def lemma_grams(text):
    """Lemma uni- and bigrams of a text (looked up for the texts above, worked out for others)."""
    return LEMMAS[text] if text in LEMMAS else lemma_words(next(lemmatise([text])))


SHIPPED_VECTORISER = classifier._vectoriser


def vectoriser(surface, lemma):
    """The shipped vectoriser, without its word n-grams unless ``surface``, plus lemma n-grams if ``lemma``."""
    def make():
        union = SHIPPED_VECTORISER()
        parts = [(name, part) for name, part in union.transformer_list if surface or name != "words"]
        if lemma:
            parts.insert(-1, ("lemmas", TfidfVectorizer(analyzer=lemma_grams, min_df=2, sublinear_tf=True,
                                                        max_features=20000)))
        return union.set_params(transformer_list=parts)
    return make


def weighted(weights):
    """Replacements for the fitting steps that count each training row by ``weights``."""
    class Weighted(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            if sample_weight is None and X.shape[0] == len(weights):
                sample_weight = weights
            return super().fit(X, y, sample_weight=sample_weight)

    def regressions(self):
        return [Weighted(C=self.C, class_weight="balanced", solver="liblinear", max_iter=3000)]

    def out_of_fold(model, X, y, folds):
        oof = np.zeros(X.shape[0])
        for rows, rest in folds:
            oof[rest] = model.fit(X[rows], y[rows], sample_weight=weights[rows]).decision_function(X[rest])
        return oof

    def calibrate(z, y):
        calibrator = Weighted(C=1.0, max_iter=1000).fit(z, y)
        scores, y = calibrator.predict_proba(z)[:, 1], np.asarray(y) == 1
        grid = np.round(np.arange(0.05, 0.951, 0.025), 3)
        f1 = np.array([2 * weights[(scores >= t) & y].sum() / (weights[scores >= t].sum() + weights[y].sum())
                       for t in grid])
        best = grid[np.isclose(f1, f1.max())]
        return calibrator, float(best[len(best) // 2])

    return [mock.patch.object(classifier.ThemeClassifier, "_regressions", regressions),
            mock.patch.object(classifier, "out_of_fold", out_of_fold),
            mock.patch.object(classifier, "calibrate", calibrate),
            mock.patch("pipthemes.coder.calibrate", calibrate)]


def variant(weight=1.0, surface=True, lemma=False):
    patches = [mock.patch.object(classifier, "_vectoriser", vectoriser(surface, lemma))]
    if weight != 1.0:
        patches += weighted(np.where(np.arange(len(train)) < n_corpus, weight, 1.0))
    return patches


VARIANTS = {
    "default": variant(),
    "weight 3": variant(weight=3.0),
    "weight 10": variant(weight=10.0),
    "lemmas": variant(surface=False, lemma=True),
    "words + lemmas": variant(lemma=True),
}

rows = []
for name, patches in VARIANTS.items():
    start = time.perf_counter()
    with ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        coder = pt.Coder(cb).fit(train)
        seconds = time.perf_counter() - start
        for test_name, table in (("held-out interviews", held), ("held-out answers", answers)):
            result = pt.evaluate(table, codebook=cb, model=coder)
            for method in ("model", "stack"):
                score = result[(result["theme"] == "all") & (result["method"] == method)].iloc[0]
                rows.append({"variant": name, "test set": test_name, "method": method,
                             "macro_F1": score["f1"], "alpha_MASI": score["alpha"]})
    print(f"{name}: trained on {len(train)} segments in {seconds:.0f} s", flush=True)

table = pd.DataFrame(rows).pivot_table(index=["variant", "method"], columns="test set",
                                       values=["macro_F1", "alpha_MASI"], sort=False)
print(table.round(3).to_string())
