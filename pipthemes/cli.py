"""The ``pipthemes`` command line: thin wrappers over the library's functions.

Errors the user can fix are printed as one line (``pipthemes: error: ...``) with exit
status 1 and no traceback; no output file is left half-written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pandas as pd

from . import __version__
from .codebook import load_codebook
from .codes import codes_from_themes, to_wide
from .corpus import read_transcripts, segments_from_table
from .errors import CorpusError, PipthemesError
from .export import write_csv
from .files import read_table
from .report import analyse, frequency_tables, write_frequency_report
from .rules import RuleCoder

log = logging.getLogger("pipthemes")

_TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xlsm", ".xls"}


def _cmd_code(args):
    codebook = load_codebook(args.codebook)
    source = Path(args.input)
    if source.suffix.lower() in _TABLE_SUFFIXES:
        table = read_table(source, encoding=args.encoding)
        clash = [c for c in table.columns if c == "themes" or str(c).startswith("score_")]
        if clash:
            raise CorpusError(
                f"input already has column {clash[0]!r}, which code would overwrite "
                "(rename it, e.g. to 'themes_hand')",
                path=source, row=1, column=clash[0],
            )
        id_col = args.id_col
        if id_col is None and "id" in table.columns:
            id_col = "id"
        segments = segments_from_table(
            table, text_col=args.text_col, id_col=id_col, path=source, allow_empty=args.skip_empty
        )
        base = table.reset_index(drop=True)
    else:
        segments = read_transcripts(source, encoding=args.encoding)
        base = segments.reset_index(drop=True)
    codes = RuleCoder(codebook).code(segments, progress=True)
    wide = to_wide(codes, segments, codebook.ids).reset_index(drop=True)
    write_csv(pd.concat([base, wide], axis=1), args.out)
    log.info("coded %d rows -> %s", len(base), args.out)


def _truthy(values):
    return values.astype(str).str.strip().str.lower().isin({"true", "1", "yes"})


def _cmd_report(args):
    codebook = load_codebook(args.codebook)
    path = Path(args.input)
    table = read_table(path, encoding=args.encoding)
    for column in [c.strip() for spec in args.by for c in spec.split(",")] + (
        [args.unit_col] if args.unit_col else []
    ):
        if column not in table.columns:
            raise CorpusError(
                f"no such column (columns are: {', '.join(map(str, table.columns))})",
                path=path, column=column,
            )
    segments = table.copy()
    segments["segment_id"] = [str(i + 1) for i in range(len(table))]
    for column in ("doc_id", "source", "position", "speaker", "question", "text"):
        if column not in segments.columns:
            segments[column] = ""
    segments["to_code"] = _truthy(table["to_code"]) if "to_code" in table.columns else True
    if args.unit_col:
        segments["_unit"] = table[args.unit_col].astype(str)
    codes = codes_from_themes(segments, themes_col=args.themes_col, theme_ids=codebook.ids, path=path)
    groupings = {}
    for spec in args.by:
        columns = [c.strip() for c in spec.split(",") if c.strip()]
        groupings["_".join(columns)] = columns
    tables = frequency_tables(
        codes, segments, groupings, unit="_unit" if args.unit_col else "segment",
        themes=codebook.ids, suppress_below=args.suppress_below,
    )
    write_frequency_report(tables, groupings, args.out, codebook=codebook, charts=args.charts)
    log.info("wrote %d table(s) to %s", len(tables), args.out)


def _cmd_analyse(args):
    result = analyse(
        args.corpus, codebook=args.codebook, out=args.out, unit=args.unit,
        suppress_below=args.suppress_below, progress=True,
    )
    counts = result["counts"]
    log.info(
        "coded %d segments in %.1f s; wrote %d files to %s",
        counts["segments_coded"], counts["seconds"], len(result["files"]), args.out,
    )


def build_parser():
    """Return the argument parser of the ``pipthemes`` command."""
    parser = argparse.ArgumentParser(
        prog="pipthemes",
        description="Code qualitative text with a codebook of themes and report theme frequencies.",
    )
    parser.add_argument("--version", action="version", version=f"pipthemes {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    code = sub.add_parser("code", help="code a table of texts or interview transcripts",
                          description="Code each row of a CSV/XLSX table (or each turn of a transcript "
                          "file or folder); write the input with a 'themes' column and a "
                          "'score_<theme>' column per theme.")
    code.add_argument("input", help="CSV/XLSX table with a text column, or a transcript file or folder")
    code.add_argument("--out", required=True, help="output CSV file")
    code.add_argument("--codebook", help="codebook YAML (default: the bundled PIP codebook)")
    code.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    code.add_argument("--id-col", help="column holding a unique row id (default: 'id' if present)")
    code.add_argument("--skip-empty", action="store_true",
                      help="keep rows with an empty text uncoded instead of stopping with an error")
    code.add_argument("--encoding", help="force the input encoding (default: detect UTF-8 / Windows-1252)")
    code.set_defaults(func=_cmd_code)

    report = sub.add_parser("report", help="theme frequency tables from a coded table",
                            description="Count themes per group in a table with a 'themes' column "
                            "(from 'pipthemes code' or hand-coded); write a CSV per grouping and an XLSX.")
    report.add_argument("input", help="CSV/XLSX with a 'themes' column (theme ids joined by ';')")
    report.add_argument("--by", action="append", required=True, metavar="COL",
                        help="group column; repeat for more groupings; 'a,b' groups by both")
    report.add_argument("--unit-col", help="column identifying the unit (e.g. respondent); "
                        "each unit counts once per theme")
    report.add_argument("--themes-col", default="themes", help="column of themes (default: themes)")
    report.add_argument("--codebook", help="codebook YAML (default: the bundled PIP codebook)")
    report.add_argument("--suppress-below", type=int, metavar="N",
                        help="blank cells with fewer than N units or coded units")
    report.add_argument("--charts", action="store_true", help="also write a PNG chart per grouping")
    report.add_argument("--encoding", help="force the input encoding")
    report.add_argument("--out", required=True, help="output folder")
    report.set_defaults(func=_cmd_report)

    main_job = sub.add_parser("analyse", aliases=["analyze"], help="code a corpus and write tables and charts",
                              description="Code a corpus (default: the bundled synthetic PIP 2010 corpus) "
                              "and write coded segments, theme frequencies by sector, by area and by "
                              "sector x area, sector tests and charts.")
    main_job.add_argument("corpus", nargs="?", help="corpus folder with corpus.yaml (default: bundled corpus)")
    main_job.add_argument("--out", required=True, help="output folder")
    main_job.add_argument("--codebook", help="codebook YAML (default: the bundled PIP codebook)")
    main_job.add_argument("--unit", default="respondent", choices=["segment", "respondent", "interview"],
                          help="what the frequency tables count (default: respondent)")
    main_job.add_argument("--suppress-below", type=int, metavar="N", help="small-cell suppression threshold")
    main_job.set_defaults(func=_cmd_analyse)
    return parser


def main(argv=None):
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("pipthemes: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    try:
        args.func(args)
    except PipthemesError as exc:
        print(f"pipthemes: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"pipthemes: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pipthemes: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
