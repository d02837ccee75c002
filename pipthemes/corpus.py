"""Readers that turn transcripts, surveys and tables into a segments table.

A segment is one codable unit: a speaker turn of an interview or one answer to a
survey question. See the README, "Data contracts", for the columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from .errors import CorpusError
from .files import read_table, read_text
from .schema import SEGMENT_COLUMNS

__all__ = ["read_transcripts", "read_survey", "read_corpus", "segments_from_table"]

_TURN = re.compile(r"^([A-Za-z][\w .'-]{0,40}?):\s*(.*)$")
_REQUIRED_HEADER = ("interview_id", "area", "sector", "role", "date")
_TRANSCRIPT_SUFFIXES = (".txt", ".md")


def _parse_header(lines, path):
    header, body_start = {}, None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == "---":
            body_start = number
            break
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition(":")
        if not sep or not key.strip():
            raise CorpusError(
                f"header line {stripped!r} is not 'key: value' (end the header with a line '---')",
                path=path,
                row=number,
            )
        header[key.strip().lower()] = value.strip()
    if body_start is None:
        raise CorpusError(
            "no '---' line ends the header (see corpora/pip2010/TRANSCRIPT_FORMAT.md)", path=path
        )
    missing = [k for k in _REQUIRED_HEADER if not header.get(k)]
    if missing:
        raise CorpusError(
            f"header lacks {', '.join(missing)} (required: {', '.join(_REQUIRED_HEADER)})",
            path=path,
        )
    return header, body_start


def _read_one_transcript(path, encoding):
    text = read_text(path, encoding=encoding)
    lines = text.splitlines()
    header, body_start = _parse_header(lines, path)
    interviewer = header.get("interviewer", "Interviewer")
    doc_id = header["interview_id"]
    turns = []
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        stripped = line.strip()
        if not stripped:
            continue
        match = _TURN.match(stripped)
        if match:
            turns.append([match.group(1).strip(), match.group(2).strip(), number])
        elif turns:
            turns[-1][1] = f"{turns[-1][1]} {stripped}".strip()
        else:
            raise CorpusError(
                "the first line after '---' must start with a speaker label such as 'Interviewer:'",
                path=path,
                row=number,
            )
    rows, question = [], ""
    for position, (speaker, said, line_no) in enumerate(turns, start=1):
        is_interviewer = speaker.lower() == interviewer.lower()
        if not said:
            raise CorpusError(f"the turn of {speaker!r} is empty", path=path, row=line_no)
        rows.append(
            {
                "segment_id": f"{doc_id}:{position:03d}",
                "doc_id": doc_id,
                "source": "transcript",
                "position": position,
                "speaker": speaker,
                "question": "" if is_interviewer else question,
                "text": said,
                "to_code": not is_interviewer,
                "respondent_id": doc_id,
                "area": header["area"],
                "sector": header["sector"],
                "role": header["role"],
                "date": header["date"],
                "file": path.name,
                "line": line_no,
            }
        )
        if is_interviewer:
            question = said
    if not rows:
        raise CorpusError("has a header but no speaker turns", path=path)
    return rows


def read_transcripts(path, *, encoding=None):
    """Read one interview transcript or a folder of them into a segments table.

    Parameters
    ----------
    path : str or Path
        A transcript file (``.txt``), or a folder whose ``.txt`` files are transcripts
        (read in file-name order). The format is documented in the README.
    encoding : str, optional
        Force an encoding. Default: UTF-8 (with or without BOM), else Windows-1252.

    Returns
    -------
    pandas.DataFrame
        One row per speaker turn. Interviewer turns are kept with ``to_code=False``
        and each respondent turn carries the interviewer's preceding question.

    Examples
    --------
    >>> from pipthemes.data import bundled_corpus
    >>> segs = read_transcripts(bundled_corpus() / "interviews")
    >>> sorted(segs["sector"].unique())
    ['public', 'voluntary']
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in _TRANSCRIPT_SUFFIXES)
        if not files:
            raise CorpusError("folder holds no .txt transcripts", path=path)
    elif path.exists():
        files = [path]
    else:
        raise CorpusError("file or folder not found (check the path)", path=path)
    rows, seen = [], {}
    for file in files:
        one = _read_one_transcript(file, encoding)
        doc_id = one[0]["doc_id"]
        if doc_id in seen:
            raise CorpusError(
                f"interview_id {doc_id!r} is also used by {seen[doc_id]} (ids must be unique)",
                path=file,
            )
        seen[doc_id] = file.name
        rows.extend(one)
    return pd.DataFrame(rows)


def _check_columns(table, wanted, path):
    for column in wanted:
        if column not in table.columns:
            raise CorpusError(
                f"no such column (columns are: {', '.join(map(str, table.columns))})",
                path=path,
                column=column,
            )


def _ids(table, column, path, *, default):
    """Row ids from ``column`` (non-empty and unique), else numbered with ``default``."""
    if not column:
        return pd.Series([default.format(i + 1) for i in range(len(table))], index=table.index)
    ids = table[column].astype(str).str.strip()
    for bad, problem in ((ids == "", "id is empty"), (ids.duplicated(), "id {!r} appears twice (ids must be unique)")):
        if bad.any():
            first = bad.to_numpy().nonzero()[0][0]
            raise CorpusError(problem.format(ids.iloc[first]), path=path, row=int(first) + 2, column=column)
    return ids


def read_survey(path, *, text_columns, id_column=None, encoding=None, sheet=0):
    """Read a survey spreadsheet (CSV or XLSX) into a segments table.

    Parameters
    ----------
    path : str or Path
        The survey file, one row per respondent.
    text_columns : list of str
        The free-text questions to code. Each non-empty answer becomes a segment.
    id_column : str, optional
        Column holding the respondent id. Default: the data row number (``R0001``...).
    encoding : str, optional
        Force an encoding for CSV. Default: detect (UTF-8, UTF-8 with BOM, Windows-1252).
    sheet : int or str, default 0
        Worksheet of an XLSX file.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty answer, carrying every other column of the respondent's
        row (metadata and Likert items) and ``row``, the respondent's line in the file.
        ``attrs["n_rows"]`` and ``attrs["n_empty"]`` count respondents and empty answers.
    """
    if isinstance(text_columns, str):
        text_columns = [text_columns]
    if not text_columns:
        raise CorpusError("text_columns is empty (name at least one free-text column)", path=path)
    table = read_table(path, encoding=encoding, sheet=sheet)
    _check_columns(table, list(text_columns) + ([id_column] if id_column else []), path)
    ids = _ids(table, id_column, path, default="R{:04d}")
    meta_cols = [c for c in table.columns if c not in text_columns and c != id_column]
    reserved = set(SEGMENT_COLUMNS) | {"to_code", "respondent_id", "row"}
    rows, n_empty = [], 0
    for idx, record in table.iterrows():
        for position, column in enumerate(text_columns, start=1):
            answer = str(record[column]).strip()
            if not answer:
                n_empty += 1
                continue
            row = {
                "segment_id": f"{ids[idx]}:{column}",
                "doc_id": ids[idx],
                "source": "survey",
                "position": position,
                "speaker": ids[idx],
                "question": column,
                "text": answer,
                "to_code": True,
                "respondent_id": ids[idx],
                "row": int(idx) + 2,
            }
            for meta in meta_cols:
                row[meta if meta not in reserved else f"meta_{meta}"] = record[meta]
            rows.append(row)
    columns = SEGMENT_COLUMNS + ["to_code", "respondent_id", "row"] + [
        m if m not in reserved else f"meta_{m}" for m in meta_cols
    ]
    segments = pd.DataFrame(rows, columns=columns)
    segments.attrs.update(n_rows=len(table), n_empty=n_empty, path=str(path))
    return segments


def segments_from_table(table, *, text_col="text", id_col=None, path=None, allow_empty=False):
    """Make a segments table from a table with one text per row.

    Used by ``pipthemes code``: each row is a segment, in order. An empty text is an
    error naming its row unless ``allow_empty``, when the row is kept with
    ``to_code=False``.
    """
    _check_columns(table, [text_col] + ([id_col] if id_col else []), path)
    texts = table[text_col].fillna("").astype(str)
    empty = texts.str.strip() == ""
    if empty.any() and not allow_empty:
        first = int(empty.to_numpy().nonzero()[0][0])
        raise CorpusError(
            f"text is empty ({int(empty.sum())} empty row(s); use --skip-empty to keep them uncoded)",
            path=path,
            row=first + 2,
            column=text_col,
        )
    ids = _ids(table, id_col, path, default="{}")
    return pd.DataFrame(
        {
            "segment_id": ids.to_numpy(),
            "doc_id": ids.to_numpy(),
            "source": "table",
            "position": range(1, len(table) + 1),
            "speaker": "",
            "question": text_col,
            "text": texts.to_numpy(),
            "to_code": (~empty).to_numpy(),
            "respondent_id": ids.to_numpy(),
        }
    )


def read_corpus(path=None):
    """Read a corpus folder described by its ``corpus.yaml`` into one segments table.

    Parameters
    ----------
    path : str or Path, optional
        A folder with a ``corpus.yaml`` manifest. Default: the bundled synthetic
        PIP 2010 corpus.

    Returns
    -------
    pandas.DataFrame
        Transcript segments followed by survey segments. ``attrs`` holds the manifest's
        ``name`` and ``notice`` (for example that the corpus is synthetic).
    """
    if path is None:
        from .data import bundled_corpus

        path = bundled_corpus()
    path = Path(path)
    manifest_path = path / "corpus.yaml"
    if not manifest_path.exists():
        raise CorpusError("no corpus.yaml manifest in this folder (see the README)", path=path)
    try:
        manifest = yaml.safe_load(read_text(manifest_path)) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"not valid YAML ({exc})", path=manifest_path) from None
    parts = []
    if manifest.get("interviews"):
        parts.append(read_transcripts(path / manifest["interviews"]))
    survey = manifest.get("survey")
    if survey:
        parts.append(
            read_survey(
                path / survey["path"],
                text_columns=survey["text_columns"],
                id_column=survey.get("id_column"),
            )
        )
    if not parts:
        raise CorpusError("manifest names no interviews and no survey", path=manifest_path)
    segments = pd.concat(parts, ignore_index=True)
    segments.attrs = {
        "name": manifest.get("name", path.name),
        "notice": manifest.get("notice", ""),
        "path": str(path),
    }
    return segments
