"""Rules, classifier and their union under 5-fold multi-label stratified cross-validation.

The classifier is trained on four fifths of the hand-coded set and scored on the fifth
it did not see; the rules are not trained. Prints macro-F1, alpha (MASI) and per-theme F1.
"""

import time

import numpy as np
import pandas as pd
from iterstrat.ml_stratifiers import MultilabelStratifiedKFold
from sklearn.metrics import f1_score

import pipthemes as pt

cb = pt.load_codebook()
ids = cb.ids
gold = pd.read_csv(pt.bundled_corpus() / "hand_coded.csv", dtype=str, keep_default_na=False)
X = gold["text"].to_numpy()
Y = np.array([[int(t in pt.parse_themes(s)) for t in ids] for s in gold["themes"]])
segs = pt.read_corpus()
rule_themes = dict(zip(segs["segment_id"], pt.to_wide(pt.RuleCoder(cb).code(segs), segs, ids)["themes"]))
R = np.array([[int(t in pt.parse_themes(rule_themes[s])) for t in ids] for s in gold["segment_id"]])
P = np.zeros_like(Y)
start = time.perf_counter()
for train, test in MultilabelStratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(X, Y):
    P[test] = pt.ThemeClassifier().fit(X[train], Y[train], themes=ids).predict(X[test])
print(f"5-fold CV on {len(X)} segments: {time.perf_counter() - start:.0f} s (5 fits)")


def report(name, pred):
    f1 = f1_score(Y, pred, average=None, zero_division=0)
    machine = gold.assign(themes=[pt.codes.join_themes([t for t, v in zip(ids, row) if v], ids) for row in pred])
    alpha = pt.agreement(gold, machine, themes=ids).iloc[-1]["alpha"]
    per_theme = " ".join(f"{t}={x:.2f}" for t, x in zip(ids, f1))
    print(f"{name:6s} macro-F1={f1.mean():.3f} alpha(MASI)={alpha:.3f}  {per_theme}")


report("rules", R)
report("model", P)
report("union", np.maximum(R, P))
