"""How well the machine codes: rules, classifier and their combinations against a hand coding.

Every figure is measured on text the model did not see: either a model trained
elsewhere is scored on a hand-coded table, or the table is split into K folds by
multi-label iterative stratification (each fold keeps every theme's share) and each
fold is coded by a coder trained on the others.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .agreement import agreement
from .codebook import load_codebook
from .codes import join_themes, parse_themes
from .coder import Coder, theme_matrix
from .errors import PipthemesError, SchemaError
from .schema import require_columns

__all__ = ["METHODS", "predict_methods", "cross_val_methods", "evaluate", "disagreements", "learning_curve"]

log = logging.getLogger("pipthemes")

METHODS = ("rules", "model", "union", "stack")


def predict_methods(coder, texts, contexts=None):
    """0/1 predictions of every method in :data:`METHODS` from one fitted coder.

    Returns
    -------
    dict
        ``{method: ndarray of shape (n_texts, n_themes)}``; no ``stack`` for a coder
        trained with another ``combine``.
    """
    inputs = coder._inputs([str(t) for t in texts], contexts)
    stacked = all(c is not None for c, cal in zip(coder.combiners_, coder.classifier_.calibrators_) if cal is not None)
    out = {"rules": (inputs["hits"] > 0).astype(int)}
    for method in ("model", "union", "stack") if stacked else ("model", "union"):
        out[method] = coder._combine(inputs, method)[1].astype(int)
    return {m: out[m] for m in METHODS if m in out}


def cross_val_methods(coded, *, codebook=None, k=5, text_col="text", themes_col="themes",
                      random_state=0, path=None, progress=False, extra=None, extra_path=None, **coder_params):
    """Out-of-fold predictions of every method, from K-fold iterative stratification.

    Parameters
    ----------
    extra : pandas.DataFrame, optional
        More hand-coded segments (same text and themes columns) added to the training
        side of every fold and never scored: supplementary text that is not part of
        the table being evaluated.
    extra_path : str or Path, optional
        The file ``extra`` came from, named in error messages.

    Returns
    -------
    y : ndarray
        The hand coding as a 0/1 matrix.
    predictions : dict
        ``{method: 0/1 matrix}``, each row predicted by a coder not trained on it.
    """
    from iterstrat.ml_stratifiers import MultilabelStratifiedKFold

    codebook = codebook if hasattr(codebook, "themes") else load_codebook(codebook)
    coded = coded.reset_index(drop=True)
    y = theme_matrix(coded[themes_col].fillna("").astype(str), codebook.ids, path=path, column=themes_col)
    if k < 2 or k > len(coded):
        raise PipthemesError(f"cross-validation needs between 2 and {len(coded)} folds; got {k}")
    texts = coded[text_col].astype(str).to_numpy()
    if extra is not None:
        require_columns(extra, (text_col, themes_col), path=extra_path)
        theme_matrix(extra[themes_col].fillna("").astype(str), codebook.ids, path=extra_path, column=themes_col)
    predictions = {m: np.zeros_like(y) for m in METHODS}
    folds = MultilabelStratifiedKFold(n_splits=k, shuffle=True, random_state=random_state).split(texts, y)
    for train, test in tqdm(list(folds), desc="cross-validation", unit="fold", disable=None if progress else True):
        coder = Coder(codebook, combine="stack", random_state=random_state, **coder_params)
        fold = coded.iloc[train] if extra is None else pd.concat([coded.iloc[train], extra], ignore_index=True)
        coder.fit(fold, text_col=text_col, themes_col=themes_col, path=path)
        contexts = coder.contexts(coded.iloc[test])
        for method, pred in predict_methods(coder, texts[test], contexts).items():
            predictions[method][test] = pred
    return y, predictions


def _scores(y, pred, ids, method):
    index = [str(i) for i in range(len(y))]
    truth = pd.Series([frozenset(t for t, v in zip(ids, row) if v) for row in y], index=index)
    machine = pd.Series([frozenset(t for t, v in zip(ids, row) if v) for row in pred], index=index)
    table = agreement(truth, machine, themes=ids)
    table.insert(0, "method", method)
    return table


def evaluate(coded, *, codebook=None, model=None, cv=None, text_col="text", themes_col="themes",
             path=None, progress=False, extra=None, extra_path=None, **coder_params):
    """Score rules alone, the classifier alone, their union and the stacked combination.

    Parameters
    ----------
    coded : pandas.DataFrame
        Hand-coded table: a text column and a ``;``-joined themes column.
    codebook : Codebook, str or Path, optional
    model : Coder, optional
        A fitted coder (e.g. from :func:`load_model`) to score on ``coded``. Give this or ``cv``.
    cv : int, optional
        Number of cross-validation folds instead of a fitted model.
    extra : pandas.DataFrame, optional
        With ``cv``: more hand-coded segments added to every fold's training data and
        never scored (see :func:`cross_val_methods`); ``extra_path`` names its file in errors.
    coder_params
        Passed to :class:`Coder` when cross-validating (``C``, ``embeddings``...).

    Returns
    -------
    pandas.DataFrame
        Per method, a row per theme and an ``all`` row, with the columns of
        :func:`agreement` (hand coding as ``a``, machine as ``b``): precision, recall,
        F1, Cohen's kappa, binary alpha per theme; MASI alpha over theme sets on ``all``.
    """
    codebook = codebook if hasattr(codebook, "themes") else load_codebook(codebook)
    require_columns(coded, (text_col, themes_col), path=path)
    if (model is None) == (cv is None):
        raise ValueError("give either a fitted model or a number of cross-validation folds")
    if extra is not None and cv is None:
        raise ValueError("extra training segments only apply to cross-validation (cv=K)")
    if cv is not None:
        y, predictions = cross_val_methods(coded, codebook=codebook, k=cv, text_col=text_col,
                                           themes_col=themes_col, path=path, progress=progress, extra=extra,
                                           extra_path=extra_path, **coder_params)
    else:
        y = theme_matrix(coded[themes_col].fillna("").astype(str), codebook.ids, path=path, column=themes_col)
        predictions = predict_methods(model, coded[text_col].astype(str).tolist(), model.contexts(coded))
    table = pd.concat([_scores(y, predictions[m], codebook.ids, m) for m in METHODS if m in predictions],
                      ignore_index=True)
    table.attrs["n_segments"] = len(y)
    return table


def disagreements(a, b, *, themes, id_col="segment_id", themes_col="themes"):
    """The segments on which two codings differ, with the themes only one of them gave.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``themes_a``, ``themes_b``, ``only_a``, ``only_b``, one row per segment
        coded differently, in the order of ``a``.
    """
    for name, table in (("A", a), ("B", b)):
        for column in (id_col, themes_col):
            if column not in table.columns:
                raise SchemaError(f"coding {name}", [column])
    sb = dict(zip(b[id_col].astype(str), b[themes_col].fillna("").astype(str)))
    rows = []
    for segment_id, cell in zip(a[id_col].astype(str), a[themes_col].fillna("").astype(str)):
        if segment_id not in sb:
            continue
        ta, tb = set(parse_themes(cell)), set(parse_themes(sb[segment_id]))
        if ta != tb:
            rows.append({"id": segment_id, "themes_a": join_themes(ta, themes), "themes_b": join_themes(tb, themes),
                         "only_a": join_themes(ta - tb, themes), "only_b": join_themes(tb - ta, themes)})
    return pd.DataFrame(rows, columns=["id", "themes_a", "themes_b", "only_a", "only_b"])



def learning_curve(coded, test, *, sizes=(50, 100, 200, 400), repeats=3, codebook=None, text_col="text",
                   themes_col="themes", random_state=0, progress=False, **coder_params):
    """Quality on ``test`` against the number of hand-coded segments trained on.

    For each size, ``repeats`` random samples of ``coded`` train a coder, scored on
    ``test`` (which must share no segment with ``coded``).

    Returns
    -------
    pandas.DataFrame
        ``n_train``, ``repeat``, ``method``, ``macro_f1``, ``alpha`` (MASI), one row per
        (size, repeat, method); sizes larger than ``coded`` are skipped.
    """
    codebook = codebook if hasattr(codebook, "themes") else load_codebook(codebook)
    y = theme_matrix(test[themes_col].fillna("").astype(str), codebook.ids, column=themes_col)
    texts = test[text_col].astype(str).tolist()
    rng = np.random.default_rng(random_state)
    runs = [(n, r) for n in sizes if n <= len(coded) for r in range(repeats)]
    rows = []
    for n, r in tqdm(runs, desc="learning curve", unit="fit", disable=None if progress else True):
        sample = coded.iloc[np.sort(rng.choice(len(coded), size=n, replace=False))]
        coder = Coder(codebook, random_state=random_state, **coder_params)
        coder.fit(sample, text_col=text_col, themes_col=themes_col)
        for method, pred in predict_methods(coder, texts, coder.contexts(test)).items():
            overall = _scores(y, pred, codebook.ids, method).iloc[-1]
            rows.append({"n_train": n, "repeat": r, "method": method, "macro_f1": float(overall["f1"]),
                         "alpha": float(overall["alpha"])})
    return pd.DataFrame(rows, columns=["n_train", "repeat", "method", "macro_f1", "alpha"])
