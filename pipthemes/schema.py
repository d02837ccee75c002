"""Data contracts for the tables pipthemes passes around (see README, "Data contracts")."""

from __future__ import annotations

import pandas as pd

from .errors import SchemaError

__all__ = ["SEGMENT_COLUMNS", "CODE_COLUMNS", "check_segments", "check_codes"]

SEGMENT_COLUMNS = ["segment_id", "doc_id", "source", "position", "speaker", "question", "text"]
CODE_COLUMNS = ["segment_id", "theme", "coder", "score", "evidence", "start_char", "end_char"]


def check_segments(segments):
    """Check a segments table and return it with a boolean ``to_code`` column.

    Raises
    ------
    SchemaError
        When a required column is missing or ``segment_id`` is not unique.
    """
    if not isinstance(segments, pd.DataFrame):
        raise SchemaError("segments", message=f"segments must be a pandas DataFrame, got {type(segments).__name__}")
    missing = [c for c in SEGMENT_COLUMNS if c not in segments.columns]
    if missing:
        raise SchemaError("segments", missing)
    dup = segments["segment_id"][segments["segment_id"].duplicated()]
    if len(dup):
        raise SchemaError(
            "segments",
            message=f"segments table has duplicate segment_id {dup.iloc[0]!r} "
            f"({len(dup)} duplicate(s)); every segment needs its own id",
        )
    if "to_code" not in segments.columns:
        segments = segments.assign(to_code=True)
    return segments


def check_codes(codes):
    """Check a long codes table (one row per segment, theme and coder)."""
    if not isinstance(codes, pd.DataFrame):
        raise SchemaError("codes", message=f"codes must be a pandas DataFrame, got {type(codes).__name__}")
    missing = [c for c in ("segment_id", "theme", "coder") if c not in codes.columns]
    if missing:
        raise SchemaError("codes", missing)
    return codes


def empty_codes():
    """An empty codes table with the contract's columns."""
    return pd.DataFrame(
        {
            "segment_id": pd.Series(dtype=object),
            "theme": pd.Series(dtype=object),
            "coder": pd.Series(dtype=object),
            "score": pd.Series(dtype=float),
            "evidence": pd.Series(dtype=object),
            "start_char": pd.Series(dtype="Int64"),
            "end_char": pd.Series(dtype="Int64"),
        }
    )


def require_columns(table, columns, *, path=None):
    """Raise a :class:`CorpusError` naming the first of ``columns`` missing from ``table``."""
    from .errors import CorpusError

    for column in columns:
        if column not in table.columns:
            raise CorpusError(f"no such column (columns are: {', '.join(map(str, table.columns))})",
                              path=path, column=column)
