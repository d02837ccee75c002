"""Quote precision: the share of picked quotes whose hand coding carries the quote's theme.

Quotes are picked from the bundled corpus's coded segments (3 per theme, balanced by
sector) with (a) the rules alone, (b) the default model over the whole corpus (which
includes segments it was trained on, so optimistic) and (c) the default model on the
six held-out interviews only, which it never saw. Also prints how long picking takes.

Run ``python benchmarks/quotes_eval.py`` from the repository root.
"""

import time

import pandas as pd

import pipthemes as pt

cb = pt.load_codebook()
segs = pt.read_corpus()
gold = pd.read_csv(pt.bundled_corpus() / "hand_coded.csv", dtype=str, keep_default_na=False)
truth = {s: set(pt.parse_themes(v)) for s, v in zip(gold["segment_id"], gold["themes"])}
_, held = pt.training_split()
held_segs = segs[segs["doc_id"].isin(set(held["doc_id"]))]
default = pt.load_coder("default", codebook=cb)

for name, coder, segments in [("rules alone", None, segs), ("default model, whole corpus", default, segs),
                              ("default model, held-out interviews", default, held_segs)]:
    codes = coder.code(segments) if coder is not None else pt.RuleCoder(cb).code(segments)
    start = time.perf_counter()
    quotes = pt.representative_quotes(codes, segments, n=3, by="sector", codebook=cb)
    seconds = time.perf_counter() - start
    hits = [theme in truth.get(segment_id, set()) for theme, segment_id in zip(quotes["theme"], quotes["id"])]
    per_theme = quotes.assign(ok=hits).groupby("theme", sort=False)["ok"].mean()
    print(f"{name}: {sum(hits)}/{len(hits)} quotes carry their theme in the hand coding "
          f"(precision {sum(hits) / len(hits):.3f}); themes with quotes: {quotes['theme'].nunique()}/7; "
          f"picked in {seconds:.1f} s")
    print("   " + ", ".join(f"{t} {v:.2f}" for t, v in per_theme.items()))
