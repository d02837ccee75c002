"""The keyword rules measured against the hand-coded set.

The rules were written without sight of the corpus; seven generic words were later removed after
one look at this script's --per-rule output (see the header of codebooks/pip.yaml).
"""

import sys

import pandas as pd

import pipthemes as pt

cb = pt.load_codebook()
segs = pt.read_corpus()
gold = pd.read_csv(pt.bundled_corpus() / "hand_coded.csv", dtype=str, keep_default_na=False)
codes = pt.RuleCoder(cb).code(segs)
summary = pt.rule_summary(codes, segs, gold=gold, themes=cb.ids)
print(f"hand-coded segments: {summary.iloc[-1]['n_segments']}")
print(summary[["theme", "support", "n_coded", "precision", "recall", "f1"]].round(3).to_string(index=False))
print("macro-F1:", round(summary.iloc[-1]["f1"], 3))
wide = pt.to_wide(codes, segs, cb.ids)
machine = segs[["segment_id"]].assign(themes=wide["themes"].to_numpy())
alpha = pt.agreement(gold, machine, themes=cb.ids).iloc[-1]["alpha"]
print("alpha (MASI) rules vs hand coding:", round(alpha, 3))
if "--per-rule" in sys.argv:
    per_rule = pt.rule_summary(codes, segs, gold=gold, by_rule=True)
    print(per_rule.to_string(index=False))
