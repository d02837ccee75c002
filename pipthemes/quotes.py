"""Representative, anonymised quotes for report writers.

For each theme, every coded segment is a candidate. Each candidate is trimmed to the
sentences that carry the theme, within a word limit, and scored on three things:
- **confidence**: the code's score;
- **typicality**: cosine similarity to the centre (mean TF-IDF vector) of all that
  theme's segments, scaled so the most typical is 1;
- **length**: 1 within the target range of words, less for shorter or cut quotes.

Quotes are then picked greedily by ``total`` (the weighted sum), taking turns across
the ``by`` groups where there are any. A candidate is skipped when it is a
near-duplicate of a quote already picked (**diversity**: one minus the highest
similarity to those, must reach ``1 - max_similarity``) or when its respondent already
gave a quote. Quote text is always anonymised; attributions follow the evaluation
reports ("voluntary sector participant, North Yorkshire", or "Area 3" with
``hide_areas``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from .anonymise import anonymise_text, area_pseudonyms, review_words
from .register import Register, load_register
from .codebook import load_codebook
from .errors import CorpusError
from .rules import RuleCoder
from .schema import check_codes, check_segments
from .text import make_doc

__all__ = ["representative_quotes", "QUOTE_COLUMNS"]

QUOTE_COLUMNS = ["theme", "rank", "id", "quote", "attribution", "group", "confidence", "typicality", "diversity",
                 "length_score", "n_words", "total", "review"]
WEIGHTS = {"confidence": 0.4, "typicality": 0.4, "length_score": 0.2}


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _sentences(text):
    return [s.text.strip() for s in _sentencizer()(text).sents if s.text.strip()]


def _trim(text, theme, rules, vectoriser, centre, max_words):
    """The run of sentences that best carries ``theme``, within ``max_words``; and whether it was cut."""
    sentences = _sentences(text) or [text]
    hits = np.array([len(rules.match_doc(make_doc(s)).get(theme, [])) if rules else 0 for s in sentences])
    sims = (vectoriser.transform(sentences) @ centre).ravel()
    best = int(np.argmax(hits * 1.0 + sims))
    chosen = [best]
    n_words = len(sentences[best].split())
    for step in (1, -1, 2, -2):  # grow around the best sentence while it fits
        j = best + step
        if 0 <= j < len(sentences) and (hits[j] or sims[j] > 0.1) and n_words + len(sentences[j].split()) <= max_words:
            if (j == min(chosen) - 1) or (j == max(chosen) + 1):
                chosen.append(j)
                n_words += len(sentences[j].split())
    chosen.sort()
    words = " ".join(sentences[i] for i in chosen).split()
    cut = len(words) > max_words
    quote = " ".join(words[:max_words]) + (" …" if cut else "")
    if chosen[0] > 0:
        quote = "… " + quote
    return quote, min(len(words), max_words), cut


def _length_score(n_words, cut, min_words, max_words):
    if cut:
        return 0.5
    if n_words < min_words:
        return n_words / min_words
    return 1.0


def _attribution(row, areas, hide_areas):
    sector = str(row.get("sector") or "").strip()
    who = f"{sector} sector participant" if sector in {"public", "voluntary"} else "participant"
    area = str(row.get("area") or "").strip()
    if area and area != "(not stated)":
        who += f", {areas.get(area, area) if hide_areas else area}"
    return who


def representative_quotes(codes, segments, *, themes=None, n=3, by=None, codebook=None, max_words=60,
                          min_words=12, per_respondent=1, max_similarity=0.5, hide_areas=False, register=None):
    """Pick ``n`` short, typical, varied and anonymised quotes per theme.

    Parameters
    ----------
    codes : pandas.DataFrame
        Long codes (from a coder, or :func:`codes_from_themes` for a hand coding).
    segments : pandas.DataFrame
        The segments coded, with ``sector``, ``area`` and ``respondent_id`` where known.
    themes : list of str, optional
        Themes to quote (default: every theme in the codebook that has codes).
    n : int, default 3
        Quotes per theme.
    by : str, optional
        A segments column to balance across (e.g. ``"sector"``): groups take turns.
    codebook : Codebook, str or Path, optional
        Used to find the sentences that carry a theme (default: bundled codebook).
    max_words, min_words : int
        Target length range of a quote, in words.
    per_respondent : int, default 1
        Most quotes per respondent within a theme.
    max_similarity : float, default 0.5
        Candidates more similar than this (cosine, TF-IDF) to a picked quote are skipped.
    hide_areas : bool, default False
        Attribute to "Area 1", "Area 2"... (numbered by first appearance in ``segments``).
    register : Register, str or Path, optional
        Project register for anonymisation.

    Returns
    -------
    pandas.DataFrame
        :data:`QUOTE_COLUMNS`: one row per quote, with its score components. ``quote``
        is anonymised text only; ``review`` lists capitalised words a person should check.
    """
    segments = check_segments(segments)
    codes = check_codes(codes)
    codebook = codebook if hasattr(codebook, "themes") else load_codebook(codebook)
    if register is not None and not isinstance(register, Register):
        register = load_register(register)
    if by is not None and by not in segments.columns:
        raise CorpusError(f"no such column to balance by (columns are: {', '.join(map(str, segments.columns))})",
                          column=by)
    themes = list(themes) if themes else [t for t in codebook.ids if t in set(codes["theme"])]
    unknown = [t for t in themes if t not in codebook.ids]
    if unknown:
        raise CorpusError(f"unknown theme {unknown[0]!r} (themes are: {', '.join(codebook.ids)})", column="theme")
    rules = RuleCoder(codebook)
    areas = area_pseudonyms(segments["area"]) if "area" in segments.columns else {}
    table = segments.set_index(segments["segment_id"].astype(str))
    rows = []
    for theme in themes:
        scored = codes[codes["theme"] == theme].groupby("segment_id")["score"].max()
        scored = scored[scored.index.isin(table.index)]
        if scored.empty:
            continue
        texts = table.loc[scored.index, "text"].astype(str)
        vectoriser = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(texts)
        matrix = vectoriser.transform(texts)
        centre = np.asarray(matrix.mean(axis=0)).ravel()
        centre = centre / (np.linalg.norm(centre) or 1.0)
        typical = matrix @ centre
        typical = typical / (typical.max() or 1.0)
        candidates = []
        for k, segment_id in enumerate(scored.index):
            quote, n_words, cut = _trim(texts.iloc[k], theme, rules, vectoriser, centre, max_words)
            record = table.loc[segment_id]
            candidates.append({
                "theme": theme, "id": segment_id, "raw": quote,
                "respondent": str(record.get("respondent_id") or record.get("doc_id") or segment_id),
                "group": str(record[by]) if by else "", "confidence": float(scored.iloc[k]),
                "typicality": float(typical[k]), "length_score": _length_score(n_words, cut, min_words, max_words),
                "n_words": n_words, "attribution": _attribution(record, areas, hide_areas),
            })
        for c in candidates:
            c["total"] = sum(WEIGHTS[key] * c[key] for key in WEIGHTS)
        rows += _pick(candidates, vectoriser, n, per_respondent, max_similarity)
    for row in rows:
        row["quote"] = anonymise_text(row.pop("raw"), register=register)
        row["review"] = "; ".join(review_words(row["quote"]))
    quotes = pd.DataFrame(rows, columns=QUOTE_COLUMNS + ["respondent"]).drop(columns="respondent")
    for column in ("confidence", "typicality", "diversity", "length_score", "total"):
        quotes[column] = quotes[column].astype(float).round(4)
    return quotes


def _pick(candidates, vectoriser, n, per_respondent, max_similarity):
    """Greedy pick by total, groups taking turns, skipping near-duplicates and repeat respondents."""
    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i]["total"], candidates[i]["id"]))
    groups = list(dict.fromkeys(candidates[i]["group"] for i in order))
    groups.sort(key=lambda g: (g == "" or g == "(not stated)", g))
    vectors = vectoriser.transform([c["raw"] for c in candidates])
    picked, used = [], {}
    while len(picked) < n:
        progress = False
        for group in groups:
            if len(picked) >= n:
                break
            for i in order:
                c = candidates[i]
                if c["group"] != group or any(i == p for p in picked) or used.get(c["respondent"], 0) >= per_respondent:
                    continue
                similarity = max((float((vectors[i] @ vectors[p].T).toarray()[0, 0]) for p in picked), default=0.0)
                if similarity > max_similarity:
                    continue
                c["diversity"] = 1.0 - similarity
                picked.append(i)
                used[c["respondent"]] = used.get(c["respondent"], 0) + 1
                progress = True
                break
        if not progress:
            break
    return [dict(candidates[i], rank=r + 1) for r, i in enumerate(picked)]
