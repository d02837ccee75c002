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
codes = pt.RuleCoder(cb).code(segs)
row_of = {s: i for i, s in enumerate(gold["segment_id"])}
R = np.zeros_like(Y)
for sid, theme in zip(codes["segment_id"], codes["theme"]):
    if sid in row_of:
        R[row_of[sid], ids.index(theme)] = 1
P = np.zeros_like(Y)
start = time.perf_counter()
for train, test in MultilabelStratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(X, Y):
    P[test] = pt.ThemeClassifier().fit(X[train], Y[train], themes=ids).predict(X[test])
print(f"5-fold CV on {len(X)} segments: {time.perf_counter() - start:.0f} s (5 fits)")


def report(name, pred):
    f1 = f1_score(Y, pred, average=None, zero_division=0)
    machine = gold.assign(themes=[";".join(t for t, v in zip(ids, row) if v) for row in pred])
    alpha = pt.agreement(gold, machine, themes=ids).iloc[-1]["alpha"]
    per_theme = " ".join(f"{t}={x:.2f}" for t, x in zip(ids, f1))
    print(f"{name:6s} macro-F1={f1.mean():.3f} alpha(MASI)={alpha:.3f}  {per_theme}")


report("rules", R)
report("model", P)
report("union", np.maximum(R, P))
