"""How often each theme comes up, by group, and whether it differs between groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .errors import SchemaError
from .schema import check_codes, check_segments

__all__ = ["theme_frequencies", "compare_groups", "NOT_STATED"]

NOT_STATED = "(not stated)"
_UNITS = {"segment": "segment_id", "respondent": "respondent_id", "interview": "doc_id"}


def _unit_column(segments, unit):
    column = _UNITS.get(unit, unit)
    if column not in segments.columns:
        raise SchemaError(
            "segments", [column],
            message=f"unit {unit!r} needs column {column!r} in segments "
            f"(units: {', '.join(_UNITS)} or any column name)",
        )
    return column


def _theme_list(codes, themes):
    if themes is not None:
        return list(themes)
    return list(dict.fromkeys(codes["theme"]))


def _unit_flags(codes, segments, *, by, unit, themes, coder):
    """Return (units, flags): one row per unit with its groups, and a unit x theme 0/1 table."""
    segments = check_segments(segments)
    codes = check_codes(codes)
    if coder is not None:
        codes = codes[codes["coder"] == coder]
    elif codes["coder"].nunique() > 1:
        raise SchemaError(
            "codes", message=f"codes come from several coders ({', '.join(sorted(codes['coder'].unique()))}); "
            "pass coder=... to choose one"
        )
    by = [by] if isinstance(by, str) else list(by or [])
    missing = [c for c in by if c not in segments.columns]
    if missing:
        raise SchemaError("segments", missing)
    unit_col = _unit_column(segments, unit)
    segs = segments[segments["to_code"].astype(bool)].copy()
    for column in by:
        values = segs[column].astype("string").str.strip()
        segs[column] = values.mask(values.isna() | (values == ""), NOT_STATED).astype(object)
    themes = _theme_list(codes, themes)
    hit = codes[codes["theme"].isin(themes)][["segment_id", "theme"]].drop_duplicates()
    per_seg = pd.crosstab(hit["segment_id"], hit["theme"]).clip(upper=1)
    per_seg = per_seg.reindex(index=segs["segment_id"], columns=themes, fill_value=0)
    per_seg.index = segs.index
    keys = [unit_col] + [c for c in by if c != unit_col]
    flags = pd.concat([segs[keys], per_seg], axis=1).groupby(keys, sort=True).max()
    return flags.reset_index(), themes, by


def theme_frequencies(codes, segments, *, by=None, unit="segment", themes=None, coder=None,
                      suppress_below=None):
    """Count, per group and theme, the units that raise the theme.

    Parameters
    ----------
    codes : pandas.DataFrame
        Long codes (``segment_id``, ``theme``, ``coder``).
    segments : pandas.DataFrame
        The segments that were coded; only rows with ``to_code`` true count.
    by : str or list of str, optional
        Segment columns to group by (``sector``, ``area``, ...). Empty values are
        grouped as ``"(not stated)"`` so no row is lost.
    unit : {"segment", "respondent", "interview"} or str, default "segment"
        What is counted. A respondent or interview counts once for a theme however
        many of its segments raise it.
    themes : list of str, optional
        Themes to report, in order (default: those present in ``codes``). Pass
        ``codebook.ids`` to list themes nobody raised too.
    coder : str, optional
        Which coder's codes to use when ``codes`` holds several.
    suppress_below : int, optional
        Small-cell suppression: where ``n_units`` or a non-zero ``n_coded`` is below
        this, ``n_coded`` and ``share`` are blanked and ``suppressed`` is true.

    Returns
    -------
    pandas.DataFrame
        Group columns, ``theme``, ``n_units``, ``n_coded``, ``share`` (and
        ``suppressed`` when suppression was asked for).

    Examples
    --------
    >>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "doc_id": ["p", "p", "q"],
    ...     "source": "survey", "position": 1, "speaker": "", "question": "", "text": "x",
    ...     "respondent_id": ["p", "p", "q"], "sector": ["public", "public", "voluntary"]})
    >>> codes = pd.DataFrame({"segment_id": ["a", "b"], "theme": "trust", "coder": "rules"})
    >>> theme_frequencies(codes, segs, by="sector", unit="respondent")[["sector", "n_units", "n_coded"]].values.tolist()
    [['public', 1, 1], ['voluntary', 1, 0]]
    """
    flags, themes, by = _unit_flags(codes, segments, by=by, unit=unit, themes=themes, coder=coder)
    if by:
        grouped = flags.groupby(by, sort=True)
        n_units = grouped.size().rename("n_units")
        n_coded = grouped[themes].sum()
        table = n_coded.join(n_units).reset_index()
    else:
        table = pd.DataFrame([{**flags[themes].sum().to_dict(), "n_units": len(flags)}])
    long = table.melt(id_vars=by + ["n_units"], value_vars=themes, var_name="theme", value_name="n_coded")
    long["theme"] = pd.Categorical(long["theme"], categories=themes, ordered=True)
    long = long.sort_values(by + ["theme"], kind="stable").reset_index(drop=True)
    long["theme"] = long["theme"].astype(str)
    long["n_units"] = long["n_units"].astype("Int64")
    long["n_coded"] = long["n_coded"].astype("Int64")
    long["share"] = (long["n_coded"] / long["n_units"].replace(0, pd.NA)).astype("Float64")
    long = long[by + ["theme", "n_units", "n_coded", "share"]]
    if suppress_below:
        small = (long["n_units"] < suppress_below) | (
            (long["n_coded"] > 0) & (long["n_coded"] < suppress_below)
        )
        long["suppressed"] = small.astype(bool)
        long.loc[small, "n_coded"] = pd.NA
        long.loc[small, "share"] = pd.NA
    return long


def compare_groups(codes, segments, *, by="sector", unit="segment", themes=None, coder=None):
    """Test, per theme, whether the share raising it differs between groups.

    A chi-square test of independence on the groups x (coded, not coded) table, or
    Fisher's exact test when the table is 2 x 2 and an expected count is below 5.
    Groups named ``"(not stated)"`` are left out of the test.

    Returns
    -------
    pandas.DataFrame
        ``theme``, ``test``, ``statistic``, ``p_value``, ``n_units`` and the share in
        each group (``share_<group>``).
    """
    flags, themes, by_cols = _unit_flags(codes, segments, by=[by], unit=unit, themes=themes, coder=coder)
    flags = flags[flags[by] != NOT_STATED]
    rows = []
    for theme in themes:
        table = pd.crosstab(flags[by], flags[theme]).reindex(columns=[0, 1], fill_value=0)
        row = {"theme": theme, "n_units": int(table.to_numpy().sum())}
        counts = table.to_numpy()
        if counts.shape[0] < 2 or (counts.sum(axis=0) == 0).any():
            row.update(test="none (one group or no variation)", statistic=np.nan, p_value=np.nan)
        else:
            expected = stats.contingency.expected_freq(counts)
            if counts.shape == (2, 2) and (expected < 5).any():
                result = stats.fisher_exact(counts)
                row.update(test="fisher", statistic=float(result.statistic), p_value=float(result.pvalue))
            else:
                result = stats.chi2_contingency(counts, correction=counts.shape == (2, 2))
                row.update(test="chi-square", statistic=float(result.statistic), p_value=float(result.pvalue))
        for group, values in table.iterrows():
            total = values.sum()
            row[f"share_{group}"] = float(values[1] / total) if total else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
