"""Agreement between the two independent hand codings of the bundled corpus and of the supplementary training text.

Run ``python benchmarks/agreement.py`` from the repository root.
"""

import pandas as pd

import pipthemes as pt

corpus = pt.bundled_corpus()
PAIRS = [
    ("corpus", "hand_coded.csv", "hand_coded_second.csv"),
    ("supplementary training interviews", "hand_coded_extra.csv", "hand_coded_extra_second.csv"),
    ("supplementary answers and report sentences", "hand_coded_answers.csv", "hand_coded_answers_second.csv"),
    ("held-out answers by other writers (never trained on)", "heldout_answers.csv", "heldout_answers_second.csv"),
]
for title, first, second in PAIRS:
    if not (corpus / second).is_file():
        continue
    table = pt.agreement(pd.read_csv(corpus / first, dtype=str, keep_default_na=False),
                         pd.read_csv(corpus / second, dtype=str, keep_default_na=False),
                         themes=pt.load_codebook().ids)
    print(f"{title}, segments coded twice: {table.attrs['n_segments']}")
    print(table[["theme", "n_a", "n_b", "both", "percent_agreement", "kappa", "alpha"]].round(3).to_string(index=False))
    print("alpha (MASI, theme sets):", round(table.iloc[-1]["alpha"], 3), "\n")
