"""Learning curve: quality on the held-out interviews against the number of hand-coded training segments.

Trains on random samples (3 per size) of ``pt.training_split()`` -- the corpus less the
held-out interviews, plus the supplementary training text -- and scores each on the
held-out interviews. Run ``python benchmarks/learning_curve.py`` from the repository root.
"""

import pipthemes as pt

train, held = pt.training_split()
sizes = (50, 100, 200, 400, 800, 1600, 3200, len(train))
curve = pt.learning_curve(train, held, sizes=sizes, repeats=3, progress=True)
curve = curve[curve["method"].isin(["rules", "stack"])]
print(f"held-out interviews: {len(held)} segments; training pool: {len(train)} segments")
print(curve.groupby(["n_train", "method"])[["macro_f1", "alpha"]].mean().unstack("method").round(3).to_string())
