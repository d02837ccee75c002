"""Look for row slips in the hand-coded training files: runs of rows whose codes fit the next or
the previous row's text better than their own.

A coder who skips one row in a spreadsheet shifts every later code by one. Agreement on a small
second-coded sample does not catch it if the slip starts after the sample. This script trains a
coder on every other file, codes each file, and compares each row's model codes with the row's
own hand codes and with its neighbours' (Jaccard similarity, averaged over 10-row windows). A
window where a neighbour's codes fit clearly better than the row's own is reported.

Run ``python benchmarks/label_slip.py`` from the repository root. It prints the mean similarity
at each offset and the flagged segment ids; "no slips found" when there are none.
"""

import pandas as pd

import pipthemes as pt
from pipthemes.data import EXTRA_TRAINING

WINDOW = 10
MARGIN = 0.2


def read(name):
    return pd.read_csv(pt.bundled_corpus() / name, dtype=str, keep_default_na=False)


def jaccard(a, b):
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def offsets(gold, pred):
    """Similarity of each row's model codes with the hand codes of the row at offset -1, 0 and +1."""
    n = len(gold)
    return pd.DataFrame({k: [jaccard(gold[i + k], pred[i]) if 0 <= i + k < n else float("nan")
                             for i in range(n)] for k in (-1, 0, 1)})


cb = pt.load_codebook()
files = ("hand_coded.csv", *EXTRA_TRAINING)
tables = {name: read(name) for name in files if (pt.bundled_corpus() / name).is_file()}
for name, table in tables.items():
    others = pd.concat([t for n, t in tables.items() if n != name], ignore_index=True)
    coder = pt.Coder(cb).fit(others)
    pred = [frozenset(p) for p in coder.predict(table["text"].tolist())]
    gold = [frozenset(pt.parse_themes(v)) for v in table["themes"]]
    sims = offsets(gold, pred)
    rolling = sims.rolling(WINDOW, center=True, min_periods=WINDOW // 2).mean()
    flagged = (rolling[-1] > rolling[0] + MARGIN) | (rolling[1] > rolling[0] + MARGIN)
    means = ", ".join(f"{k:+d}: {sims[k].mean():.3f}" for k in (-1, 0, 1))
    print(f"{name} ({len(table)} rows, trained on {len(others)} others) mean similarity at offset {means}")
    ids = table["segment_id"][flagged.to_numpy()].tolist()
    print(f"  flagged: {', '.join(ids)}" if ids else "  no slips found")
