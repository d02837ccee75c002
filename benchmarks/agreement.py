"""Agreement between the two independent hand codings of the bundled corpus (and of the supplementary set)."""

import pandas as pd

import pipthemes as pt

corpus = pt.bundled_corpus()
first = pd.read_csv(corpus / "hand_coded.csv", dtype=str, keep_default_na=False)
second = pd.read_csv(corpus / "hand_coded_second.csv", dtype=str, keep_default_na=False)
table = pt.agreement(first, second, themes=pt.load_codebook().ids)
print(f"segments coded twice: {table.attrs['n_segments']}")
print(table[["theme", "n_a", "n_b", "both", "percent_agreement", "kappa", "alpha"]].round(3).to_string(index=False))
print("alpha (MASI, theme sets):", round(table.iloc[-1]["alpha"], 3))

extra = corpus / "hand_coded_extra.csv"
if extra.is_file():
    table = pt.agreement(pd.read_csv(extra, dtype=str, keep_default_na=False),
                         pd.read_csv(corpus / "hand_coded_extra_second.csv", dtype=str, keep_default_na=False),
                         themes=pt.load_codebook().ids)
    print(f"\nsupplementary training interviews, segments coded twice: {table.attrs['n_segments']}")
    print(table[["theme", "n_a", "n_b", "both", "percent_agreement", "kappa", "alpha"]].round(3).to_string(index=False))
    print("alpha (MASI, theme sets):", round(table.iloc[-1]["alpha"], 3))
