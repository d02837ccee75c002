"""Read text files and tables whatever their encoding, with errors that name the place.

UTF-8 (with or without a byte-order mark) is tried first, then Windows-1252, the usual
encoding of spreadsheets exported by council systems. A file that mixes the two, or is
UTF-16 or binary, is refused with the line and column of the first bad byte.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pandas as pd

from .errors import CorpusError

__all__ = ["read_text", "read_table"]

log = logging.getLogger(__name__)

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _line_col(data, offset):
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode(data, path, *, encoding=None):
    """Decode ``data`` (bytes of ``path``) to text; see the module docstring."""
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise CorpusError(f"unknown encoding {encoding!r}", path=path) from None
        except UnicodeDecodeError as exc:
            line, col = _line_col(data, exc.start)
            raise CorpusError(
                f"byte 0x{data[exc.start]:02x} at character {col} is not valid {encoding} "
                "(check the file's encoding)",
                path=path,
                row=line,
            ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise CorpusError(
            f"contains a NUL byte at character {col}: the file is binary or UTF-16 "
            "(save it as UTF-8 text or CSV UTF-8)",
            path=path,
            row=line,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    line, col = _line_col(data, bad)
    if _UTF8_MULTIBYTE.search(data):
        raise CorpusError(
            f"byte 0x{data[bad]:02x} at character {col} is not UTF-8, but other parts of the "
            "file are: the file mixes encodings (re-save it as UTF-8)",
            path=path,
            row=line,
        )
    undefined = next((i for i, b in enumerate(data) if b in _CP1252_UNDEFINED), None)
    if undefined is not None:
        line, col = _line_col(data, undefined)
        raise CorpusError(
            f"byte 0x{data[undefined]:02x} at character {col} is neither UTF-8 nor Windows-1252 "
            "(re-save the file as UTF-8)",
            path=path,
            row=line,
        )
    log.info("%s: not UTF-8, read as Windows-1252", path)
    return data.decode("cp1252")


def read_text(path, *, encoding=None):
    """Return the text of ``path``, decoded as described in the module docstring."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found (check the path)", path=path) from None
    except IsADirectoryError:
        raise CorpusError("is a folder, expected a file", path=path) from None
    except OSError as exc:
        raise CorpusError(f"cannot be read ({exc.strerror})", path=path) from None
    return decode(data, path, encoding=encoding)


def _row_of(message):
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def read_table(path, *, encoding=None, sheet=0):
    """Read a CSV or XLSX file as a table of strings, keeping every row and column.

    Empty cells become empty strings; nothing is converted to numbers, so values are
    written back exactly as they were read.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (or ``.txt``/``.tsv``) or ``.xlsx`` file.
    encoding : str, optional
        Force a text encoding (CSV only). Default: detect (see module docstring).
    sheet : int or str, default 0
        The worksheet of an XLSX file.

    Returns
    -------
    pandas.DataFrame
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise CorpusError("file not found (check the path)", path=path)
    if path.is_dir():
        raise CorpusError("is a folder, expected a CSV or XLSX file", path=path)
    if suffix in (".xlsx", ".xlsm"):
        try:
            table = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
        except Exception as exc:  # openpyxl and zipfile raise many types
            raise CorpusError(f"cannot be read as an Excel workbook ({exc})", path=path) from None
        return table.fillna("")
    if suffix == ".xls":
        raise CorpusError("old .xls workbooks are not supported (save as .xlsx or CSV)", path=path)
    text = read_text(path, encoding=encoding)
    sep = "\t" if suffix == ".tsv" else ","
    try:
        table = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False
        )
    except pd.errors.EmptyDataError:
        raise CorpusError("is empty (expected a header row and data rows)", path=path) from None
    except pd.errors.ParserError as exc:
        raise CorpusError(
            f"is not a well-formed CSV table ({str(exc).strip()})", path=path, row=_row_of(str(exc))
        ) from None
    unnamed = [c for c in table.columns if str(c).startswith("Unnamed:")]
    if unnamed:
        raise CorpusError("header row has an empty column name", path=path, row=1)
    return table
