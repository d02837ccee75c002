"""The coder: keyword rules and the trained classifier combined, with provenance on every code.

Three ways to combine them, chosen by measurement (see README, "Measured results"):

- ``"stack"`` (default): per theme, a logistic regression on the classifier's
  out-of-fold decision values and the log of the rule-hit count learns how much to
  trust each; its F1-best threshold out of fold decides;
- ``"union"``: a theme is coded when the rules fire or the classifier says so;
- ``"model"``: the classifier alone (the rules only supply evidence).

With ``finetune=True`` (the embeddings extra), a fine-tuned sentence encoder is trained
as well. Its probability is averaged with the classifier's score and with the stacked
score, and each threshold becomes the mean of the tuned threshold and 0.5.

Codes carry ``coder="machine"`` and a ``provenance`` column saying where each came
from: ``rules`` (a rule fired; the classifier alone would not have coded it),
``model`` (no rule fired) or ``both``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .classifier import ThemeClassifier, calibrate
from .codebook import load_codebook
from .codes import parse_themes, to_wide
from .errors import CorpusError
from .rules import RuleCoder
from .schema import check_segments, empty_codes, require_columns
from .text import lemmatise

__all__ = ["Coder", "COMBINE_METHODS", "code_segments", "rule_hits", "theme_matrix"]

COMBINE_METHODS = ("stack", "union", "model")


def rule_hits(rules, texts):
    """Rule-hit counts, shape (n_texts, n_themes), and the first hit per (text, theme).

    Returns
    -------
    counts : ndarray of int
    evidence : dict
        ``{(row, theme): Span}`` for the first surviving hit.
    """
    ids = rules.codebook.ids
    counts = np.zeros((len(texts), len(ids)), dtype=int)
    evidence = {}
    for i, doc in enumerate(lemmatise([str(t) for t in texts])):
        for theme, spans in rules.match_doc(doc).items():
            counts[i, ids.index(theme)] = len(spans)
            evidence[i, theme] = spans[0]
    return counts, evidence


def theme_matrix(values, theme_ids, *, path=None, column="themes"):
    """0/1 matrix (n_rows, n_themes) from ``;``-joined theme cells, refusing unknown ids.

    Raises
    ------
    CorpusError
        Naming the file row (the header is row 1) of the first unknown theme id.
    """
    known = set(theme_ids)
    rows = []
    for i, cell in enumerate(values):
        themes = parse_themes(cell)
        unknown = [t for t in themes if t not in known]
        if unknown:
            raise CorpusError(
                f"unknown theme {unknown[0]!r} (the codebook's themes are: {', '.join(theme_ids)})",
                path=path, row=i + 2, column=column,
            )
        rows.append([int(t in themes) for t in theme_ids])
    return np.asarray(rows, dtype=int).reshape(len(rows), len(theme_ids))


class Coder(BaseEstimator):
    """Code segments with the codebook's rules and a classifier trained on hand-coded segments.

    Parameters
    ----------
    codebook : Codebook, str or Path, optional
        The codebook (default: the bundled PIP codebook).
    combine : {"stack", "union", "model"}, default "stack"
        How rules and classifier are combined (see module docstring).
    C, embeddings, cv, random_state
        Passed to :class:`ThemeClassifier`.
    finetune : bool, default False
        Also fine-tune the sentence encoder (:class:`~pipthemes.finetune.FineTunedEncoder`,
        needs ``pipthemes[embeddings]``; minutes, not seconds). With ``combine="stack"``
        the score becomes the mean of the stacked score and the encoder's probability,
        and the threshold the mean of the stack's threshold and 0.5.
    context_col : str or None, default "question"
        The column the fine-tuned encoder reads as each segment's context, where the
        table has it (the interviewer's question; the keyword rules and the TF-IDF
        classifier read the text alone).

    Attributes
    ----------
    classifier_ : ThemeClassifier
    combiners_ : list
        Per theme, the stacking regression (``None`` where the classifier has no model).
    thresholds_ : ndarray of float
        Per-theme thresholds on the combined score.
    finetuned_ : FineTunedEncoder or None
    n_training_segments_ : int

    Examples
    --------
    >>> import pandas as pd
    >>> coded = pd.DataFrame({"text": ["The grant ran out.", "Our budget was cut.",
    ...                                "We trust them now.", "They were honest with us."] * 4,
    ...                       "themes": ["funding", "funding", "trust", "trust"] * 4})
    >>> coder = Coder(cv=2).fit(coded)
    >>> coder.predict(["Our funding was cut."])
    [['funding']]
    """

    coder_name = "machine"

    def __init__(self, codebook=None, *, combine="stack", C=10.0, embeddings=False, finetune=False,
                 context_col="question", cv=5, random_state=0):
        self.codebook = codebook
        self.combine = combine
        self.C = C
        self.embeddings = embeddings
        self.finetune = finetune
        self.context_col = context_col
        self.cv = cv
        self.random_state = random_state

    def __getstate__(self):
        # The codebook and the spaCy matchers are rebuilt from the codebook on load.
        state = dict(self.__dict__)
        state.pop("_rules", None)
        state["codebook"] = None
        return state

    def _codebook(self):
        if not hasattr(self.codebook, "themes"):
            self.codebook = load_codebook(self.codebook)
        return self.codebook

    def _rule_coder(self):
        if getattr(self, "_rules", None) is None or self._rules.codebook is not self._codebook():
            self._rules = RuleCoder(self._codebook())
        return self._rules

    def fit(self, coded, *, text_col="text", themes_col="themes", path=None):
        """Train on a hand-coded table.

        Parameters
        ----------
        coded : pandas.DataFrame
            One row per segment with a text column and a column of theme ids joined by ``;``
            (an empty cell means no theme).
        text_col, themes_col : str
            Column names.
        path : str or Path, optional
            The table's file, named in error messages.

        Returns
        -------
        self
        """
        if self.combine not in COMBINE_METHODS:
            raise ValueError(f"combine must be one of {', '.join(COMBINE_METHODS)}; got {self.combine!r}")
        require_columns(coded, (text_col, themes_col), path=path)
        ids = self._codebook().ids
        texts = coded[text_col].astype(str).tolist()
        empty = [i for i, t in enumerate(texts) if not t.strip()]
        if empty:
            raise CorpusError("empty text in a training row (drop it or fill it in)", path=path,
                              row=empty[0] + 2, column=text_col)
        y = theme_matrix(coded[themes_col].fillna("").astype(str), ids, path=path, column=themes_col)
        self.classes_ = np.asarray(ids)
        self.classifier_ = ThemeClassifier(
            C=self.C, embeddings=self.embeddings, cv=self.cv, random_state=self.random_state
        ).fit(texts, y, themes=ids)
        hits, _ = rule_hits(self._rule_coder(), texts)
        self.combiners_, thresholds = [], []
        for j in range(len(ids)):
            if self.combine != "stack" or self.classifier_.calibrators_[j] is None:
                self.combiners_.append(None)
                thresholds.append(float(self.classifier_.thresholds_[j]))
                continue
            z = self._stack_inputs(self.classifier_.oof_decisions_[:, j, :], hits[:, j])
            combiner, threshold = calibrate(z, y[:, j])
            self.combiners_.append(combiner)
            thresholds.append(threshold)
        self.thresholds_ = np.asarray(thresholds)
        self.finetuned_ = None
        if self.finetune:
            from .finetune import FineTunedEncoder

            self.finetuned_ = FineTunedEncoder(random_state=self.random_state).fit(
                texts, y, context=self.contexts(coded))
        self.n_training_segments_ = len(texts)
        return self

    @staticmethod
    def _stack_inputs(decisions, hits):
        return np.column_stack([decisions, np.log1p(hits)])

    def contexts(self, table):
        """The context column of ``table`` as a list, or None where there is none."""
        column = getattr(self, "context_col", None)
        return table[column].fillna("").astype(str).tolist() if column and column in table.columns else None

    def _inputs(self, texts, contexts=None):
        """What every combination works from: rule hits and evidence, classifier decisions and scores."""
        check_is_fitted(self, "classifier_")
        rules = self._rule_coder()
        if list(rules.codebook.ids) != list(self.classes_):
            raise ValueError("the coder's codebook does not have the themes it was trained on")
        hits, evidence = rule_hits(rules, texts)
        decisions = self.classifier_.decision_values(texts)
        finetuned = getattr(self, "finetuned_", None)
        return {"hits": hits, "evidence": evidence, "decisions": decisions,
                "model_scores": self.classifier_.calibrated(decisions),
                "finetuned": None if finetuned is None else finetuned.predict_proba(texts, context=contexts)}

    def _combine(self, inputs, method):
        """Combined scores, 0/1 decisions and model-alone decisions for one ``combine`` method."""
        hits, decisions, finetuned = inputs["hits"], inputs["decisions"], inputs["finetuned"]
        model_scores, model_thresholds = inputs["model_scores"], self.classifier_.thresholds_
        if finetuned is not None:  # the model side is the mean of both models
            model_scores, model_thresholds = (model_scores + finetuned) / 2, (model_thresholds + 0.5) / 2
        model_says = model_scores >= model_thresholds
        scores = np.zeros(hits.shape)
        assigned = np.zeros(hits.shape, dtype=bool)
        for j in range(len(self.classes_)):
            if self.classifier_.calibrators_[j] is None:  # no model for this theme: rules alone
                scores[:, j] = 1.0 - 0.5 ** hits[:, j]
                assigned[:, j] = hits[:, j] > 0
            elif method == "stack":
                z = self._stack_inputs(decisions[:, j, :], hits[:, j])
                scores[:, j] = self.combiners_[j].predict_proba(z)[:, 1] if len(hits) else 0.0
                threshold = self.thresholds_[j]
                if finetuned is not None:
                    scores[:, j], threshold = (scores[:, j] + finetuned[:, j]) / 2, (threshold + 0.5) / 2
                assigned[:, j] = scores[:, j] >= threshold
            elif method == "union":
                scores[:, j] = np.maximum(model_scores[:, j], 1.0 - 0.5 ** hits[:, j])
                assigned[:, j] = model_says[:, j] | (hits[:, j] > 0)
            else:
                scores[:, j] = model_scores[:, j]
                assigned[:, j] = model_says[:, j]
        return scores, assigned, model_says

    def predict(self, texts, contexts=None):
        """The list of theme ids coded for each text.

        Parameters
        ----------
        texts : sequence of str
        contexts : sequence of str, optional
            Each text's context (see ``context_col``), read only by a fine-tuned encoder.

        Returns
        -------
        list of list of str
        """
        _, assigned, _ = self._combine(self._inputs([str(t) for t in texts], contexts), self.combine)
        return [[str(t) for t, a in zip(self.classes_, row) if a] for row in assigned]

    def code_and_score(self, segments):
        """Code the segments marked ``to_code``; return ``(codes, scores)``.

        ``codes`` is the long codes table (one row per coded theme, with ``coder``
        ``"machine"``, ``score``, ``evidence`` and character offsets of the first rule
        hit where a rule fired, ``provenance`` and ``n_hits``). ``scores`` has one row per
        input segment and a ``score_<theme>`` column per theme (missing where not coded).
        """
        segments = check_segments(segments)
        mask = segments["to_code"].astype(bool).to_numpy()
        todo = segments[mask]
        texts = todo["text"].astype(str).tolist()
        inputs = self._inputs(texts, self.contexts(todo))
        scores, assigned, model_says = self._combine(inputs, self.combine)
        hits, evidence = inputs["hits"], inputs["evidence"]
        rows = []
        for i, segment_id in enumerate(todo["segment_id"]):
            for j, theme in enumerate(self.classes_):
                if not assigned[i, j]:
                    continue
                span = evidence.get((i, theme))
                provenance = "both" if span is not None and model_says[i, j] else (
                    "rules" if span is not None else "model")
                rows.append({
                    "segment_id": segment_id, "theme": str(theme), "coder": self.coder_name,
                    "score": round(float(scores[i, j]), 6),
                    "evidence": span.text if span is not None else "",
                    "start_char": span.start_char if span is not None else None,
                    "end_char": span.end_char if span is not None else None,
                    "provenance": provenance, "n_hits": int(hits[i, j]),
                })
        codes = pd.DataFrame(rows) if rows else empty_codes().assign(
            provenance=pd.Series(dtype=object), n_hits=pd.Series(dtype=int))
        codes[["start_char", "end_char"]] = codes[["start_char", "end_char"]].astype("Int64")
        ids = [str(t) for t in self.classes_]
        themes = np.full(len(segments), "", dtype=object)
        themes[mask] = [";".join(t for t, a in zip(ids, row) if a) for row in assigned]
        table = pd.DataFrame({"themes": themes}, index=segments.index)
        for j, theme in enumerate(ids):
            column = np.full(len(segments), np.nan)
            column[mask] = np.round(scores[:, j], 4)
            table[f"score_{theme}"] = pd.array(column, dtype="Float64")
        return codes, table

    def code(self, segments):
        """Code the segments marked ``to_code``; return the long codes table (see :meth:`code_and_score`)."""
        return self.code_and_score(segments)[0]


def code_segments(segments, *, codebook, coder=None, progress=False):
    """Code segments with a fitted :class:`Coder`, or with the rules alone when ``coder`` is None.

    Returns
    -------
    codes : pandas.DataFrame
        The long codes table.
    wide : pandas.DataFrame
        One row per segment: ``themes`` and ``score_<theme>`` per theme.
    """
    if coder is None:
        codes = RuleCoder(codebook).code(segments, progress=progress)
        return codes, to_wide(codes, segments, codebook.ids)
    coder.codebook = codebook
    return coder.code_and_score(segments)
