"""The ``pipthemes`` command line: thin wrappers over the library's functions.

Errors the user can fix are printed as one line (``pipthemes: error: ...``) with exit
status 1 and no traceback; no output file is left half-written.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import pandas as pd

from . import __version__
from .codebook import load_codebook
from .codes import codes_from_themes
from .corpus import read_transcripts, segments_from_table
from .errors import CorpusError, PipthemesError
from .schema import require_columns
from .export import write_csv, write_quotes
from .files import read_table
from .quotes import representative_quotes
from .report import analyse, frequency_tables, write_frequency_report
from .agreement import agreement
from .anonymise import anonymise, review_words
from .register import Register, load_register, write_log
from .classifier import MIN_POSITIVES
from .coder import COMBINE_METHODS, Coder, code_segments, theme_matrix
from .evaluation import disagreements, evaluate
from .model_io import load_coder, save_model

log = logging.getLogger("pipthemes")

_METHOD_NAMES = {"rules": "keyword rules alone", "model": "classifier alone",
                 "union": "rules or classifier", "stack": "learned combination, the default"}

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
    coder = None if args.rules_only else load_coder(args.model or "default", codebook=codebook)
    _, wide = code_segments(segments, codebook=codebook, coder=coder, progress=True)
    write_csv(pd.concat([base, wide.reset_index(drop=True)], axis=1), args.out)
    log.info("coded %d rows with %s -> %s", len(base), "rules only" if coder is None else "rules + model", args.out)


def _read_coded(path, args):
    table = read_table(Path(path), encoding=getattr(args, "encoding", None))
    require_columns(table, (args.text_col, args.themes_col), path=path)
    return table


def _cmd_train(args):
    codebook = load_codebook(args.codebook)
    table = _read_coded(args.input, args)
    started = time.perf_counter()
    log.info("training on %d segments (%d themes)...", len(table), len(codebook))
    coder = Coder(codebook, combine=args.combine, embeddings=args.embeddings, finetune=args.finetune).fit(
        table, text_col=args.text_col, themes_col=args.themes_col, path=args.input)
    save_model(coder, args.out, codebook=codebook)
    skipped = [t for t, c in zip(coder.classes_, coder.classifier_.calibrators_) if c is None]
    if skipped:
        log.warning("too few hand-coded examples to train %s (need %d with and %d without); "
                    "the rules alone code %s", ", ".join(skipped), MIN_POSITIVES, MIN_POSITIVES,
                    "it" if len(skipped) == 1 else "them")
    log.info("trained in %.1f s -> %s", time.perf_counter() - started, args.out)


def _print_table(table, args, title):
    if args.json:
        return
    print(title)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()


def _cmd_evaluate(args):
    codebook = load_codebook(args.codebook)
    table = _read_coded(args.input, args)
    if args.model and args.cv:
        raise PipthemesError("give --model or --cv, not both")
    if args.model and args.train_extra:
        raise PipthemesError("--train-extra adds training data to cross-validation; it does not go with --model")
    model = load_coder(args.model, codebook=codebook) if args.model else None
    cv = None if model is not None else (args.cv or 5)
    extra = _read_coded(args.train_extra, args) if args.train_extra else None
    scores = evaluate(table, codebook=codebook, model=model, cv=cv, text_col=args.text_col,
                      themes_col=args.themes_col, path=args.input, progress=True, extra=extra,
                      extra_path=args.train_extra, embeddings=args.embeddings, finetune=args.finetune)
    how = f"model {args.model}" if model is not None else f"{cv}-fold cross-validation"
    if extra is not None:
        how += f", {len(extra)} more segments from {args.train_extra} in every fold's training"
    if args.json:
        print(json.dumps({"n_segments": scores.attrs["n_segments"], "evaluation": how,
                          "scores": scores.to_dict(orient="records")}, indent=2))
    else:
        columns = ["theme", "precision", "recall", "f1", "kappa", "alpha"]
        for method, part in scores.groupby("method", sort=False):
            _print_table(part[columns], args, f"{method} ({_METHOD_NAMES[method]}), {how}:")
        print("alpha on the 'all' row is Krippendorff's alpha over theme sets (MASI distance); "
              "per theme it is binary alpha. Reliable: >= 0.80; tentative: 0.667-0.80.")
    if args.out:
        write_csv(scores, args.out)


def _cmd_agree(args):
    codebook = load_codebook(args.codebook)
    a = read_table(Path(args.a), encoding=args.encoding)
    b = read_table(Path(args.b), encoding=args.encoding)
    id_col = args.id_col or next((c for c in ("id", "segment_id") if c in a.columns and c in b.columns), "id")
    for path, table in ((args.a, a), (args.b, b)):
        require_columns(table, (id_col, args.themes_col), path=path)
        dup = table[id_col][table[id_col].duplicated()]
        if len(dup):
            raise CorpusError(f"duplicate id {dup.iloc[0]!r} (each segment needs its own id)",
                              path=path, row=int(dup.index[0]) + 2, column=id_col)
        theme_matrix(table[args.themes_col].fillna(""), codebook.ids, path=path, column=args.themes_col)
    stats = agreement(a, b, themes=codebook.ids, id_col=id_col, themes_col=args.themes_col)
    differ = disagreements(a, b, themes=codebook.ids, id_col=id_col, themes_col=args.themes_col)
    only_one = len(set(a[id_col].astype(str)) ^ set(b[id_col].astype(str)))
    if args.json:
        print(json.dumps({"n_segments": stats.attrs["n_segments"], "ids_in_one_file_only": only_one,
                          "agreement": stats.to_dict(orient="records"),
                          "disagreements": differ.to_dict(orient="records")}, indent=2))
    else:
        print(f"{stats.attrs['n_segments']} segments in both codings ({only_one} ids in one file only)\n")
        columns = ["theme", "n_a", "n_b", "both", "percent_agreement", "kappa", "alpha", "precision", "recall", "f1"]
        _print_table(stats[columns], args, "agreement (precision and recall are B's against A):")
        _print_table(differ, args, f"{len(differ)} segments coded differently:")
    if args.out:
        write_csv(differ, args.out)


def _truthy(values):
    return values.astype(str).str.strip().str.lower().isin({"true", "1", "yes"})


def _table_segments(table, *, id_col=None, text_col="text"):
    """A segments table over a coded table's rows: ids from ``id_col`` (else row numbers), blanks filled in."""
    segments = table.copy()
    segments["segment_id"] = table[id_col].astype(str) if id_col else [str(i + 1) for i in range(len(table))]
    segments["text"] = table[text_col].astype(str) if text_col in table.columns else ""
    for column in ("source", "position", "speaker", "question"):
        if column not in segments.columns:
            segments[column] = ""
    if "doc_id" not in segments.columns:
        segments["doc_id"] = segments["segment_id"]
    return segments


def _coded_segments(table, path, args, codebook):
    """A segments table and long codes from a coded CSV (``themes``, optional ``score_<theme>``)."""
    require_columns(table, (args.text_col, args.themes_col), path=path)
    id_col = args.id_col or next((c for c in ("id", "segment_id") if c in table.columns), None)
    segments = _table_segments(table, id_col=id_col, text_col=args.text_col)
    codes = codes_from_themes(segments, themes_col=args.themes_col, theme_ids=codebook.ids, path=path)
    scores = {t: f"score_{t}" for t in codebook.ids if f"score_{t}" in table.columns}
    if scores and len(codes):
        lookup = segments.set_index("segment_id")
        codes["score"] = [float(pd.to_numeric(lookup.at[s, scores[t]], errors="coerce") or 1.0) if t in scores else 1.0
                          for s, t in zip(codes["segment_id"], codes["theme"])]
    return segments, codes


def _cmd_quotes(args):
    codebook = load_codebook(args.codebook)
    path = Path(args.input)
    table = read_table(path, encoding=args.encoding)
    segments, codes = _coded_segments(table, path, args, codebook)
    register = load_register(args.register) if args.register else None
    quotes = representative_quotes(codes, segments, themes=args.theme, n=args.n, by=args.by, codebook=codebook,
                                   max_words=args.max_words, hide_areas=args.hide_areas, register=register)
    missing = [t for t in (args.theme or codebook.ids) if t not in set(quotes["theme"])]
    write_quotes(quotes, args.out, codebook=codebook)
    log.info("wrote %d quotes for %d themes -> %s", len(quotes), quotes["theme"].nunique(), args.out)
    if missing:
        log.warning("no coded segments for: %s", ", ".join(missing))
    flagged = quotes["review"].astype(bool).sum()
    if flagged:
        log.warning("%d quote(s) still have capitalised words to check (column 'review')", flagged)


def _cmd_anonymise(args):
    path = Path(args.input)
    table = read_table(path, encoding=args.encoding)
    require_columns(table, [args.text_col], path=path)
    if args.log and Path(args.log).resolve() == Path(args.out).resolve():
        raise PipthemesError("--log must be a different file from --out (the log holds the original names)")
    register = load_register(args.register) if args.register else Register()
    out = anonymise(table, register=register, hide_areas=args.hide_areas, text_col=args.text_col,
                    doc_col=args.doc_col)
    write_csv(out, args.out)
    if args.log:
        write_log(register, args.log)
    review = [(i + 1, w) for i, text in enumerate(out[args.text_col]) for w in review_words(text)]
    if args.review:
        write_csv(pd.DataFrame(review, columns=["row", "word"]), args.review)
    log.info("anonymised %d rows -> %s; %d capitalised word(s) left to review%s", len(out), args.out, len(review),
             f" ({args.review})" if args.review else " (list them with --review FILE)")


def _cmd_report(args):
    codebook = load_codebook(args.codebook)
    path = Path(args.input)
    table = read_table(path, encoding=args.encoding)
    by = [c.strip() for spec in args.by for c in spec.split(",")]
    require_columns(table, by + ([args.unit_col] if args.unit_col else []), path=path)
    segments = _table_segments(table)
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
        args.corpus, codebook=args.codebook, model=None if args.rules_only else (args.model or "default"),
        out=args.out, unit=args.unit,
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
    _model_options(code)
    code.set_defaults(func=_cmd_code)

    train = sub.add_parser("train", help="train a model on a hand-coded table",
                           description="Train the classifier (combined with the codebook's rules) on a "
                           "CSV/XLSX with a text column and a 'themes' column of theme ids joined by ';'; "
                           "save it as a model file that cannot run code when loaded.")
    train.add_argument("input", metavar="CODED", help="hand-coded CSV/XLSX")
    train.add_argument("--out", required=True, metavar="MODEL", help="model file to write (.skops)")
    _coded_options(train)
    train.add_argument("--combine", default="stack", choices=list(COMBINE_METHODS),
                       help="how rules and classifier are combined (default: stack)")
    train.set_defaults(func=_cmd_train)

    ev = sub.add_parser("evaluate", help="score rules, classifier and combination against a hand coding",
                        description="Per theme precision, recall, F1, Cohen's kappa and binary "
                        "Krippendorff's alpha, and alpha over theme sets (MASI), for the rules alone, the "
                        "classifier alone, their union and the stacked combination. Scores a model file on "
                        "CODED (--model), or cross-validates on CODED (--cv K, default 5).")
    ev.add_argument("input", metavar="CODED", help="hand-coded CSV/XLSX")
    group = ev.add_mutually_exclusive_group()
    group.add_argument("--model", metavar="MODEL", help="model file to score (must not be trained on CODED)")
    group.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation with iterative stratification")
    ev.add_argument("--train-extra", metavar="FILE",
                    help="with --cv: more hand-coded segments added to every fold's training, never scored")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument("--out", help="also write the figures to this CSV")
    _coded_options(ev)
    ev.set_defaults(func=_cmd_evaluate)

    agree = sub.add_parser("agree", help="agreement between two codings, and where they differ",
                           description="Compare two codings of the same segments (two people, or a person "
                           "and the machine): per-theme kappa, binary alpha, precision/recall/F1 of B "
                           "against A, alpha over theme sets (MASI); then every segment coded differently.")
    agree.add_argument("a", metavar="A", help="first coding (CSV/XLSX with an id and a themes column)")
    agree.add_argument("b", metavar="B", help="second coding")
    agree.add_argument("--id-col", help="id column in both files (default: 'id', else 'segment_id')")
    agree.add_argument("--themes-col", default="themes", help="themes column in both files (default: themes)")
    agree.add_argument("--codebook", help="codebook YAML (default: the bundled PIP codebook)")
    agree.add_argument("--json", action="store_true", help="print the figures as JSON")
    agree.add_argument("--out", help="also write the disagreements to this CSV")
    agree.add_argument("--encoding", help="force the input encoding")
    agree.set_defaults(func=_cmd_agree)

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

    quotes = sub.add_parser("quotes", help="representative anonymised quotes per theme",
                            description="Pick short, typical, varied quotes per theme from a coded table "
                            "(from 'pipthemes code', or hand-coded), anonymise them and attribute them as "
                            "evaluation reports do. OUT may be .csv (with score components), .md or .docx "
                            "(a quote bank with a section per theme).")
    quotes.add_argument("input", metavar="CODED", help="CSV/XLSX with a text and a 'themes' column")
    quotes.add_argument("--theme", action="append", metavar="T", help="theme id; repeat for more (default: all)")
    quotes.add_argument("-n", type=int, default=3, help="quotes per theme (default: 3)")
    quotes.add_argument("--by", help="balance quotes across this column's groups, e.g. sector")
    quotes.add_argument("--hide-areas", action="store_true", help="attribute to 'Area 1', 'Area 2'... not area names")
    quotes.add_argument("--register", help="project register of known names (YAML or CSV)")
    quotes.add_argument("--max-words", type=int, default=60, help="longest quote in words (default: 60)")
    quotes.add_argument("--codebook", help="codebook YAML (default: the bundled PIP codebook)")
    quotes.add_argument("--text-col", default="text", help="text column (default: text)")
    quotes.add_argument("--themes-col", default="themes", help="themes column (default: themes)")
    quotes.add_argument("--id-col", help="id column (default: 'id' or 'segment_id' if present, else the row number)")
    quotes.add_argument("--encoding", help="force the input encoding")
    quotes.add_argument("--out", required=True, help="output file: .csv, .md or .docx")
    quotes.set_defaults(func=_cmd_quotes)

    anon = sub.add_parser("anonymise", aliases=["anonymize"], help="anonymise a text column",
                          description="Replace names, organisations, places, contact details and identifying "
                          "job titles in one column with bracketed placeholders; one output row per input row, "
                          "other columns unchanged.")
    anon.add_argument("input", help="CSV/XLSX table")
    anon.add_argument("--text-col", default="text", help="column to anonymise (default: text)")
    anon.add_argument("--doc-col", default="doc_id",
                      help="rows sharing this column's value are one document: same person, same placeholder "
                      "(default: doc_id, if present)")
    anon.add_argument("--register", help="project register of known names (YAML or CSV)")
    anon.add_argument("--hide-areas", action="store_true", help="also replace the 'area' column with Area 1, 2...")
    anon.add_argument("--log", help="write what was replaced to this CSV (keep it apart from the outputs)")
    anon.add_argument("--review", help="write the capitalised words left for a person to check to this CSV")
    anon.add_argument("--encoding", help="force the input encoding")
    anon.add_argument("--out", required=True, help="output CSV")
    anon.set_defaults(func=_cmd_anonymise)

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
    _model_options(main_job)
    main_job.set_defaults(func=_cmd_analyse)
    return parser


def _model_options(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--model", metavar="FILE", help="model file from 'pipthemes train' (default: the bundled "
                       "model, trained on the synthetic PIP 2010 hand coding)")
    group.add_argument("--rules-only", action="store_true", help="code with the codebook's keyword rules alone")


def _coded_options(parser):
    parser.add_argument("--codebook", help="codebook YAML (default: the bundled PIP codebook)")
    parser.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    parser.add_argument("--themes-col", default="themes", help="column of theme ids joined by ';' (default: themes)")
    parser.add_argument("--embeddings", action="store_true",
                        help="add sentence embeddings to the features (needs pipthemes[embeddings])")
    parser.add_argument("--finetune", action="store_true",
                        help="also fine-tune the sentence encoder and average it with the stack: better, "
                        "but minutes per fit and a model file of about 45 MB (needs pipthemes[embeddings])")
    parser.add_argument("--encoding", help="force the input encoding")


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (it may be replaced, e.g. by a test)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def main(argv=None):
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not log.handlers:
        handler = _StderrHandler()
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
