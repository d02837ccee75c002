"""Move between long codes and the wide ``themes`` column people read and write.

The wide form is one row per segment with ``themes`` (theme ids joined by ``;`` in
codebook order, empty for none) and a ``score_<theme>`` column per theme.
"""

from __future__ import annotations

import pandas as pd

from .errors import CorpusError
from .schema import check_codes, check_segments

__all__ = ["parse_themes", "join_themes", "codes_from_themes", "to_wide"]


def parse_themes(value):
    """Split a ``themes`` cell into a list of theme ids.

    Examples
    --------
    >>> parse_themes("trust; funding")
    ['trust', 'funding']
    >>> parse_themes("")
    []
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def join_themes(themes, order):
    """Join theme ids with ``;`` in the order of ``order`` (codebook order)."""
    chosen = set(themes)
    return ";".join(t for t in order if t in chosen)


def codes_from_themes(table, *, themes_col="themes", id_col="segment_id", coder="human",
                      theme_ids=None, path=None):
    """Turn a table with a ``themes`` column into a long codes table.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per segment.
    themes_col, id_col : str
        Columns holding the themes and the segment id.
    coder : str
        Name recorded in the ``coder`` column.
    theme_ids : list of str, optional
        Allowed theme ids; an unknown id is an error naming its row.
    path : str, optional
        File name used in error messages.
    """
    for column in (themes_col, id_col):
        if column not in table.columns:
            raise CorpusError(
                f"no such column (columns are: {', '.join(map(str, table.columns))})",
                path=path, column=column,
            )
    allowed = None if theme_ids is None else set(theme_ids)
    rows = []
    for i, (segment_id, cell) in enumerate(zip(table[id_col], table[themes_col])):
        for theme in parse_themes(cell):
            if allowed is not None and theme not in allowed:
                raise CorpusError(
                    f"unknown theme {theme!r} (the codebook's themes are: {', '.join(theme_ids)})",
                    path=path, row=i + 2, column=themes_col,
                )
            rows.append({"segment_id": str(segment_id), "theme": theme, "coder": coder, "score": 1.0})
    if not rows:
        return pd.DataFrame(columns=["segment_id", "theme", "coder", "score"])
    return pd.DataFrame(rows).drop_duplicates(["segment_id", "theme"], ignore_index=True)


def to_wide(codes, segments, theme_ids, *, threshold=0.5):
    """One row per segment, in order, with ``themes`` and ``score_<theme>`` columns.

    A theme is listed in ``themes`` when its score is at least ``threshold``. Segments
    not coded (``to_code`` false) get an empty ``themes`` and empty scores.
    """
    segments = check_segments(segments)
    codes = check_codes(codes)
    scores = (
        codes.pivot_table(index="segment_id", columns="theme", values="score", aggfunc="max")
        if len(codes) else pd.DataFrame()
    )
    scores = scores.reindex(index=segments["segment_id"], columns=theme_ids).fillna(0.0)
    coded = segments["to_code"].astype(bool).to_numpy()
    wide = pd.DataFrame(index=segments.index)
    wide["themes"] = [
        join_themes([t for t in theme_ids if row[t] >= threshold], theme_ids) if ok else ""
        for ok, (_, row) in zip(coded, scores.iterrows())
    ]
    for theme in theme_ids:
        values = scores[theme].to_numpy().astype(float)
        wide[f"score_{theme}"] = pd.array(
            [round(v, 4) if ok else None for v, ok in zip(values, coded)], dtype="Float64"
        )
    return wide
