"""Exceptions and warnings raised by pipthemes.

Every error says what is wrong, where (file, row, column) and what is allowed, so that
the command line can print it as one line without a traceback.
"""

from __future__ import annotations

__all__ = ["PipthemesError", "CodebookError", "CorpusError", "SchemaError", "PipthemesWarning"]


class PipthemesError(Exception):
    """Base class of every error pipthemes raises on purpose."""


class CodebookError(PipthemesError, ValueError):
    """A codebook file is missing, unreadable or invalid.

    Parameters
    ----------
    path : str
        The codebook file.
    problems : list of str
        Every problem found, all at once.
    """

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        lines = [f"{self.path}: {p}" for p in self.problems]
        if len(lines) == 1:
            message = lines[0]
        else:
            message = f"{self.path}: {len(lines)} problems\n  " + "\n  ".join(lines)
        super().__init__(message)


class CorpusError(PipthemesError, ValueError):
    """An input file of texts cannot be read as asked.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    path : str, optional
        The file.
    row : int, optional
        The 1-based line or row of the file.
    column : str or int, optional
        The column name, or the 1-based character position in the line.
    """

    def __init__(self, message, *, path=None, row=None, column=None):
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        where = []
        if self.path is not None:
            where.append(self.path)
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}" if isinstance(column, str) else f"column {column}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class SchemaError(PipthemesError, ValueError):
    """A table does not follow a pipthemes data contract.

    Parameters
    ----------
    table : str
        Which contract (``segments``, ``codes``, ...).
    missing : list of str
        Columns that are required but absent.
    message : str, optional
        Other problem, when no column is missing.
    """

    def __init__(self, table, missing=(), message=None):
        self.table = table
        self.missing = list(missing)
        if message is None:
            message = (
                f"{table} table is missing column(s) {', '.join(map(repr, self.missing))}"
            )
        super().__init__(message)


class PipthemesWarning(UserWarning):
    """Something was accepted but deserves the user's attention."""
