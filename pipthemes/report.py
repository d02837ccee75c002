"""The main job: code a corpus and write frequency tables, tests and charts."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pandas as pd

from .analysis import compare_groups, theme_frequencies
from .codebook import load_codebook
from .corpus import read_corpus
from .export import atomic_path, write_csv, write_xlsx
from .plots import plot_frequencies, write_chart
from .coder import code_segments
from .model_io import load_coder

__all__ = ["frequency_tables", "write_frequency_report", "analyse"]

log = logging.getLogger(__name__)

GROUPINGS = {"sector": ["sector"], "area": ["area"], "sector_area": ["sector", "area"]}


def _slug(columns):
    return "_".join(re.sub(r"[^A-Za-z0-9]+", "-", c).strip("-").lower() for c in columns)


def frequency_tables(codes, segments, groupings, *, unit="segment", themes=None, suppress_below=None):
    """Return ``{name: table}`` of :func:`theme_frequencies` for several groupings."""
    return {
        name: theme_frequencies(codes, segments, by=by, unit=unit, themes=themes,
                                suppress_below=suppress_below)
        for name, by in groupings.items()
    }


def write_frequency_report(tables, groupings, out, *, codebook=None, notice=None, charts=True):
    """Write ``freq_by_<name>.csv`` per grouping, ``frequencies.xlsx`` and optional PNG charts.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out)
    figures = {}
    if charts:
        for name, table in tables.items():
            title = f"Theme share by {' x '.join(groupings[name])}"
            if notice:
                title += f"\n{notice}"
            figures[name] = plot_frequencies(table, by=groupings[name], codebook=codebook, title=title)
    written = []
    for name, table in tables.items():
        written.append(write_csv(table, out / f"freq_by_{name}.csv"))
    written.append(write_xlsx({f"by_{n}": t for n, t in tables.items()}, out / "frequencies.xlsx",
                              notes=[notice] if notice else None))
    for name, fig in figures.items():
        written.append(write_chart(fig, out / f"chart_by_{name}.png"))
    return written


def analyse(corpus=None, *, codebook=None, model="default", out, unit="respondent", suppress_below=None,
            progress=False):
    """Code a corpus with the rules and the classifier; write the coded segments, tables and charts.

    Parameters
    ----------
    corpus : str or Path, optional
        A corpus folder with ``corpus.yaml``. Default: the bundled synthetic corpus.
    codebook : str, Path or Codebook, optional
        Default: the bundled PIP codebook.
    model : "default", str, Path, Coder or None, default "default"
        The trained model combined with the rules: the bundled default model, a
        model file, a fitted :class:`Coder`, or None for the rules alone.
    out : str or Path
        Output folder (created if needed).
    unit : str, default "respondent"
        Unit counted in the frequency tables.
    suppress_below : int, optional
        Small-cell suppression threshold.
    progress : bool, default False
        Show a progress bar while coding.

    Returns
    -------
    dict
        ``files`` written and ``counts`` (rows read, segments coded, seconds).
    """
    started = time.perf_counter()
    codebook = codebook if hasattr(codebook, "themes") else load_codebook(codebook)
    segments = read_corpus(corpus)
    notice = segments.attrs.get("notice", "")
    coder = model if hasattr(model, "code_and_score") else load_coder(model, codebook=codebook)
    codes, wide = code_segments(segments, codebook=codebook, coder=coder, progress=progress)
    coded = pd.concat([segments.reset_index(drop=True), wide.reset_index(drop=True)], axis=1)
    groupings = {name: ["source"] + by for name, by in GROUPINGS.items()}
    tables = frequency_tables(codes, segments, groupings, unit=unit, themes=codebook.ids,
                              suppress_below=suppress_below)
    tests = pd.concat(
        [compare_groups(codes, segments[segments["source"] == source], by="sector", unit=unit,
                        themes=codebook.ids).assign(source=source)
         for source in sorted(segments["source"].unique())],
        ignore_index=True,
    )
    tests = tests[["source"] + [c for c in tests.columns if c != "source"]]
    out = Path(out)
    files = [write_csv(coded, out / "coded_segments.csv"), write_csv(codes, out / "codes.csv")]
    files += write_frequency_report(tables, groupings, out, codebook=codebook, notice=notice)
    files.append(write_csv(tests, out / "sector_tests.csv"))
    counts = {
        "segments": len(segments),
        "segments_coded": int(segments["to_code"].sum()),
        "codes": len(codes),
        "seconds": round(time.perf_counter() - started, 2),
    }
    lines = [
        f"pipthemes analyse: {segments.attrs.get('name', '')}",
        notice,
        f"codebook: {codebook.name} ({Path(codebook.path or '').name}), sha256 {codebook.hash[:12]}",
        f"coder: {_describe(coder)}; frequency unit: {unit}",
        f"segments read: {counts['segments']} (coded: {counts['segments_coded']}; "
        "interviewer turns kept but not coded)",
        f"codes: {counts['codes']}",
        "files: " + ", ".join(sorted(p.name for p in files)),
    ]
    with atomic_path(out / "README.txt") as tmp:
        tmp.write_text("\n".join(line for line in lines if line) + "\n", encoding="utf-8")
    files.append(out / "README.txt")
    return {"files": files, "counts": counts}


def _describe(coder):
    if coder is None:
        return "keyword rules only"
    return (f"keyword rules + classifier ({coder.combine}, trained on {coder.n_training_segments_} "
            f"hand-coded segments{', with sentence embeddings' if coder.embeddings else ''})")
