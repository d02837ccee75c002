"""Write tables and workbooks all-or-nothing, byte for byte the same for the same input.

Files are written to a temporary name beside the target and renamed into place only
when complete, so an error never leaves a half-written output. XLSX files get fixed
timestamps so the same tables always give the same bytes.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import PipthemesError

__all__ = ["atomic_path", "write_csv", "write_xlsx", "write_quotes"]

@contextmanager
def atomic_path(path):
    """Yield a temporary path; on success it is renamed to ``path``, on error removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_csv(table, path):
    """Write ``table`` as UTF-8 CSV with ``\\n`` line ends, atomically."""
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    return Path(path)


def _sheet_name(name, used):
    base = "".join(c for c in str(name) if c not in "[]:*?/\\")[:31] or "sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f"_{i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def _normalise_zip(path):
    """Rewrite a ZIP container with fixed entry timestamps, in a stable order."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    stamp = rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)"
    entries = [
        (info, re.sub(stamp, rb"\g<1>2010-01-01T00:00:00Z\g<2>", data) if info.filename == "docProps/core.xml" else data)
        for info, data in entries
    ]
    write_zip(path, [(info.filename, data) for info, data in entries])


def write_zip(path, entries, *, compresslevel=None):
    """Write ``(name, bytes)`` entries, in order, as a ZIP with fixed timestamps and modes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            fixed = zipfile.ZipInfo(name, date_time=(2010, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data, compresslevel=compresslevel)


def write_xlsx(sheets, path, *, notes=None):
    """Write several tables to one workbook, a sheet each, atomically.

    Parameters
    ----------
    sheets : dict of str to pandas.DataFrame
        Sheet name to table, in order.
    path : str or Path
        The ``.xlsx`` file.
    notes : list of str, optional
        Lines for a first sheet named ``about`` (for example a synthetic-data notice).
    """
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            used = set()
            if notes:
                pd.DataFrame({"about": list(notes)}).to_excel(
                    writer, sheet_name=_sheet_name("about", used), index=False
                )
            for name, table in sheets.items():
                table.to_excel(writer, sheet_name=_sheet_name(name, used), index=False)
            writer.book.properties.creator = "pipthemes"
        _normalise_zip(tmp)
    return Path(path)


def write_quotes(quotes, path, *, codebook=None, notice=None):
    """Write a quotes table as ``.csv``, ``.md`` or ``.docx`` (a quote bank, a section per theme).

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`representative_quotes`.
    path : str or Path
        The suffix chooses the format.
    codebook : Codebook, optional
        For theme labels in headings.
    notice : str, optional
        A line at the top (for example that the data are synthetic).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_csv(quotes, path)
    labels = {t.id: t.label for t in codebook.themes} if codebook is not None else {}
    sections = [(theme, labels.get(theme, theme), part) for theme, part in quotes.groupby("theme", sort=False)]
    if suffix == ".md":
        lines = ["# Quote bank", ""] + ([f"*{notice}*", ""] if notice else [])
        for _, label, part in sections:
            lines += [f"## {label}", ""]
            for _, row in part.iterrows():
                lines += [f"> {row['quote']}", ">", f"> — {row['attribution']}", ""]
        with atomic_path(path) as tmp:
            tmp.write_text("\n".join(lines), encoding="utf-8")
        return path
    if suffix == ".docx":
        import docx

        document = docx.Document()
        document.core_properties.author = "pipthemes"
        document.add_heading("Quote bank", level=0)
        if notice:
            document.add_paragraph(notice).runs[0].italic = True
        document.add_paragraph("Quotes are anonymised. Each was picked for confidence that the theme is present, "
                               "typicality and length, avoiding near-duplicates and repeat respondents.")
        for _, label, part in sections:
            document.add_heading(label, level=1)
            for _, row in part.iterrows():
                quote = document.add_paragraph(style="Quote")
                quote.add_run(f"\u201c{row['quote']}\u201d")
                document.add_paragraph(f"\u2014 {row['attribution']}")
        with atomic_path(path) as tmp:
            document.save(tmp)
            _normalise_zip(tmp)
        return path
    raise PipthemesError(f"{path}: quotes can be written as .csv, .md or .docx, not {suffix or 'no suffix'!r}")
