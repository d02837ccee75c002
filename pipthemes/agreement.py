"""Agreement between two codings of the same segments.

Krippendorff's alpha over theme sets uses the MASI distance (Passonneau 2006), with
two empty sets counted as full agreement (NLTK's ``masi_distance`` divides by zero
there). Per theme, Cohen's kappa and binary Krippendorff's alpha are reported.
"""

from __future__ import annotations

import warnings

import pandas as pd
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, masi_distance
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

from .codes import parse_themes
from .errors import SchemaError

__all__ = ["masi", "alpha", "agreement", "theme_sets"]


def masi(a, b):
    """MASI distance between two theme sets; 0.0 when both are empty.

    Examples
    --------
    >>> masi(frozenset(), frozenset())
    0.0
    >>> round(masi(frozenset({"trust"}), frozenset({"trust", "power"})), 3)
    0.667
    """
    if not a and not b:
        return 0.0
    return masi_distance(set(a), set(b))


def alpha(a, b, *, distance=masi):
    """Krippendorff's alpha for two coders over the same items.

    Parameters
    ----------
    a, b : sequence
        The two codings, aligned (frozensets for MASI, any labels otherwise).
    distance : callable, default :func:`masi`

    Returns
    -------
    float
        1.0 when both coders always used one and the same value.
    """
    data = [("a", i, x) for i, x in enumerate(a)] + [("b", i, y) for i, y in enumerate(b)]
    if not data:
        return float("nan")
    return float(AnnotationTask(data=data, distance=distance).alpha())


def theme_sets(table, *, id_col="segment_id", themes_col="themes"):
    """Return a Series mapping segment id to the frozenset of its themes."""
    for column in (id_col, themes_col):
        if column not in table.columns:
            raise SchemaError("coding", [column])
    return pd.Series(
        [frozenset(parse_themes(v)) for v in table[themes_col]],
        index=table[id_col].astype(str).to_numpy(),
    )


def agreement(a, b, *, themes, id_col="segment_id", themes_col="themes"):
    """Agreement of two codings over the segments both coded.

    Parameters
    ----------
    a, b : pandas.DataFrame or pandas.Series
        Tables with an id and a ``themes`` column, or Series from :func:`theme_sets`.
        When ``a`` is a reference coding, precision and recall are those of ``b``
        against it.
    themes : list of str
        Theme ids, in the order to report.

    Returns
    -------
    pandas.DataFrame
        One row per theme (``n_a``, ``n_b``, ``both``, ``percent_agreement``,
        ``kappa``, ``alpha``, ``precision``, ``recall``, ``f1``) and a last row
        ``all`` with the MASI alpha over theme sets, mean kappa and macro scores.
        ``attrs["n_segments"]`` is the number of segments compared.
    """
    sa = a if isinstance(a, pd.Series) else theme_sets(a, id_col=id_col, themes_col=themes_col)
    sb = b if isinstance(b, pd.Series) else theme_sets(b, id_col=id_col, themes_col=themes_col)
    common = [i for i in sa.index if i in set(sb.index)]
    if not common:
        raise SchemaError("coding", message="the two codings share no segment ids")
    sa, sb = sa.loc[common], sb.loc[common]
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for theme in themes:
            ya = [int(theme in s) for s in sa]
            yb = [int(theme in s) for s in sb]
            same = sum(x == y for x, y in zip(ya, yb))
            kappa = cohen_kappa_score(ya, yb) if len(set(ya) | set(yb)) > 1 else 1.0
            rows.append(
                {
                    "theme": theme,
                    "n_a": sum(ya),
                    "n_b": sum(yb),
                    "both": sum(x and y for x, y in zip(ya, yb)),
                    "percent_agreement": same / len(ya),
                    "kappa": float(kappa),
                    "alpha": alpha(ya, yb, distance=binary_distance),
                    "precision": precision_score(ya, yb, zero_division=0),
                    "recall": recall_score(ya, yb, zero_division=0),
                    "f1": f1_score(ya, yb, zero_division=0),
                }
            )
    table = pd.DataFrame(rows)
    exact = sum(x == y for x, y in zip(sa, sb)) / len(common)
    overall = {
        "theme": "all",
        "n_a": int(table["n_a"].sum()),
        "n_b": int(table["n_b"].sum()),
        "both": int(table["both"].sum()),
        "percent_agreement": exact,
        "kappa": float(table["kappa"].mean()),
        "alpha": alpha(list(sa), list(sb)),
        "precision": float(table["precision"].mean()),
        "recall": float(table["recall"].mean()),
        "f1": float(table["f1"].mean()),
    }
    table = pd.concat([table, pd.DataFrame([overall])], ignore_index=True)
    table.attrs["n_segments"] = len(common)
    return table
