"""Keyword-rule coding with spaCy's PhraseMatcher and Matcher on lemmas.

Each theme's rules vote for the theme (keywords and token patterns) or veto a vote
(exclusion phrases overlapping it). Within a theme overlapping hits count once, the
longest winning. A theme is coded when at least one hit survives; its score is
``1 - 0.5 ** hits``, so one hit gives 0.5, two give 0.75 and so on.
"""

from __future__ import annotations

import logging

import pandas as pd
from spacy.matcher import Matcher, PhraseMatcher
from spacy.util import filter_spans
from tqdm.auto import tqdm

from .codebook import load_codebook
from .schema import check_segments, empty_codes
from .text import get_nlp, lemmatise, make_doc

__all__ = ["RuleCoder", "rule_summary"]

log = logging.getLogger(__name__)
_SEP = "\x1f"


def _lower_lemmas(value):
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, list):
        return [_lower_lemmas(v) for v in value]
    if isinstance(value, dict):
        return {k: _lower_lemmas(v) for k, v in value.items()}
    return value


def _pattern_for(phrase):
    """Token pattern for a keyword with a trailing-``*`` glob on some word."""
    tokens = []
    for word in phrase.split():
        if word.endswith("*"):
            stem = word[:-1].lower()
            tokens.append({"LOWER": {"REGEX": "^" + "".join("\\" + c if not c.isalnum() else c for c in stem)}})
        else:
            tokens.extend({"LEMMA": t.lemma_} for t in make_doc(word))
    return tokens


class RuleCoder:
    """Code segments with a codebook's keyword rules.

    Parameters
    ----------
    codebook : Codebook, str or Path, optional
        Default: the bundled PIP codebook.

    Examples
    --------
    >>> import pandas as pd
    >>> coder = RuleCoder()
    >>> segs = pd.DataFrame({"segment_id": ["a"], "doc_id": ["d"], "source": ["table"],
    ...     "position": [1], "speaker": [""], "question": [""],
    ...     "text": ["The council commissioned us to run it."]})
    >>> coder.code(segs)[["segment_id", "theme", "evidence"]].values.tolist()
    [['a', 'funding', 'commissioned']]
    """

    coder_name = "rules"

    def __init__(self, codebook=None):
        if not hasattr(codebook, "themes"):
            codebook = load_codebook(codebook)
        self.codebook = codebook
        nlp = get_nlp()
        self._phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._matcher = Matcher(nlp.vocab)
        for theme in codebook.themes:
            for kind, entries in (("hit", theme.keywords), ("veto", theme.exclusions)):
                for phrase in entries:
                    key = _SEP.join((kind, theme.id, phrase))
                    if "*" in phrase:
                        self._matcher.add(key, [_pattern_for(phrase)])
                    else:
                        self._phrases.add(key, [make_doc(phrase)])
            for i, pattern in enumerate(theme.patterns):
                key = _SEP.join(("hit", theme.id, f"pattern {i + 1}"))
                self._matcher.add(key, [_lower_lemmas([dict(t) for t in pattern])])

    def _matches(self, doc):
        strings = doc.vocab.strings
        found = {}
        for match_id, start, end in list(self._phrases(doc)) + list(self._matcher(doc)):
            kind, theme, rule = strings[match_id].split(_SEP)
            span = doc[start:end]
            span.label_ = rule
            found.setdefault(theme, {"hit": [], "veto": []})[kind].append(span)
        return found

    def match_doc(self, doc):
        """Return ``{theme: [Span, ...]}`` of surviving hits in a lemmatised ``Doc``."""
        result = {}
        for theme, spans in self._matches(doc).items():
            vetoes = spans["veto"]
            hits = [
                s for s in spans["hit"]
                if not any(s.start < v.end and v.start < s.end for v in vetoes)
            ]
            if hits:
                result[theme] = sorted(filter_spans(hits), key=lambda s: s.start)
        return result

    def code(self, segments, *, progress=False):
        """Code the segments marked ``to_code``; return a long codes table.

        Parameters
        ----------
        segments : pandas.DataFrame
            A segments table (see README, "Data contracts").
        progress : bool, default False
            Show a progress bar on standard error.

        Returns
        -------
        pandas.DataFrame
            One row per (segment, theme) with ``coder="rules"``, ``score``, the
            first hit's ``evidence``, ``start_char`` and ``end_char``, ``n_hits`` and
            ``rules`` (every rule that fired, joined by ``;``).
        """
        segments = check_segments(segments)
        todo = segments[segments["to_code"].astype(bool)]
        order = {t: i for i, t in enumerate(self.codebook.ids)}
        rows = []
        docs = lemmatise(todo["text"].astype(str).tolist())
        bar = tqdm(
            zip(todo["segment_id"], docs), total=len(todo), desc="coding (rules)",
            unit="seg", disable=None if progress else True, leave=False,
        )
        for segment_id, doc in bar:
            for theme, hits in sorted(self.match_doc(doc).items(), key=lambda kv: order[kv[0]]):
                first = hits[0]
                rows.append(
                    {
                        "segment_id": segment_id,
                        "theme": theme,
                        "coder": self.coder_name,
                        "score": 1.0 - 0.5 ** len(hits),
                        "evidence": first.text,
                        "start_char": first.start_char,
                        "end_char": first.end_char,
                        "n_hits": len(hits),
                        "rules": ";".join(dict.fromkeys(h.label_ for h in hits)),
                    }
                )
        if not rows:
            return empty_codes().assign(n_hits=pd.Series(dtype=int), rules=pd.Series(dtype=object))
        codes = pd.DataFrame(rows)
        codes[["start_char", "end_char"]] = codes[["start_char", "end_char"]].astype("Int64")
        return codes


def rule_summary(codes, segments, *, gold=None, themes=None, by_rule=False):
    """Coverage, overlap and (against a hand-coded set) precision and recall per theme.

    Parameters
    ----------
    codes : pandas.DataFrame
        Codes from :meth:`RuleCoder.code`.
    segments : pandas.DataFrame
        The segments coded; only ``to_code`` rows count.
    gold : pandas.DataFrame, optional
        Hand coding: ``segment_id`` and ``themes`` (ids joined by ``;``). Scores are
        computed on the segments present in both.
    themes : list of str, optional
        Themes in order (default: those in ``codes``, then in ``gold``).
    by_rule : bool, default False
        One row per rule (keyword or pattern) instead of per theme: how many segments
        it fired on and, with ``gold``, how often its theme was right there.

    Returns
    -------
    pandas.DataFrame
        Per theme: ``n_segments``, ``n_coded``, ``coverage``, ``overlap`` (share of
        coded segments that carry another theme too) and, with ``gold``,
        ``support``, ``precision``, ``recall``, ``f1``; a last row ``macro`` averages them.
    """
    from .codes import parse_themes

    segments = check_segments(segments)
    ids = segments.loc[segments["to_code"].astype(bool), "segment_id"].astype(str)
    truth = None
    if gold is not None:
        truth = dict(zip(gold["segment_id"].astype(str), (set(parse_themes(v)) for v in gold["themes"])))
        ids = ids[ids.isin(truth)]
    ids = list(ids)
    codes = codes[codes["segment_id"].astype(str).isin(set(ids))]
    predicted = {i: set() for i in ids}
    for sid, theme in zip(codes["segment_id"].astype(str), codes["theme"]):
        predicted[sid].add(theme)
    if themes is None:
        themes = list(dict.fromkeys(list(codes["theme"]) + [t for s in (truth or {}).values() for t in sorted(s)]))
    if by_rule:
        return _per_rule(codes, truth)
    rows = []
    for theme in themes:
        hit = [i for i in ids if theme in predicted[i]]
        row = {
            "theme": theme,
            "n_segments": len(ids),
            "n_coded": len(hit),
            "coverage": len(hit) / len(ids) if ids else float("nan"),
            "overlap": (sum(len(predicted[i]) > 1 for i in hit) / len(hit)) if hit else 0.0,
        }
        if truth is not None:
            tp = sum(theme in truth[i] for i in hit)
            support = sum(theme in truth[i] for i in ids)
            precision = tp / len(hit) if hit else 0.0
            recall = tp / support if support else 0.0
            row.update(
                support=support,
                precision=precision,
                recall=recall,
                f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            )
        rows.append(row)
    table = pd.DataFrame(rows)
    macro = {"theme": "macro", "n_segments": len(ids), "n_coded": int(table["n_coded"].sum())}
    for column in ("coverage", "overlap", "precision", "recall", "f1"):
        if column in table:
            macro[column] = float(table[column].mean())
    if truth is not None:
        macro["support"] = int(table["support"].sum())
    return pd.concat([table, pd.DataFrame([macro])], ignore_index=True)


def _per_rule(codes, truth):
    rows = []
    for sid, theme, fired in zip(codes["segment_id"].astype(str), codes["theme"], codes["rules"]):
        for rule in str(fired).split(";"):
            rows.append({"theme": theme, "rule": rule, "segment_id": sid,
                         "correct": None if truth is None else theme in truth[sid]})
    if not rows:
        return pd.DataFrame(columns=["theme", "rule", "n_fired", "precision"])
    fired = pd.DataFrame(rows)
    table = fired.groupby(["theme", "rule"], sort=True).agg(
        n_fired=("segment_id", "nunique"), n_correct=("correct", "sum")
    ).reset_index()
    if truth is None:
        return table.drop(columns="n_correct")
    table["precision"] = table["n_correct"] / table["n_fired"]
    return table.sort_values(["theme", "n_fired"], ascending=[True, False], kind="stable").reset_index(drop=True)
