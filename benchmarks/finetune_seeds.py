"""Two fine-tuned encoders that differ only in their seed, alone and averaged.

Train the two models first (about an hour each here), for example:

    python benchmarks/coder_eval.py --finetune --skip-cv --save ft0.skops
    python benchmarks/coder_eval.py --finetune --skip-cv --seed 1 --save ft1.skops

then run ``python benchmarks/finetune_seeds.py ft0.skops ft1.skops``. The script scores, on the
held-out interviews and the held-out answers, each encoder alone (probability >= 0.5), their
average, and the first model's stack combined with each encoder and with the average (as
``Coder`` combines them: the mean of the scores against the mean of the thresholds).
"""

import argparse

import pandas as pd

import pipthemes as pt
from pipthemes.coder import theme_matrix
from pipthemes.evaluation import _scores

parser = argparse.ArgumentParser()
parser.add_argument("models", nargs=2, metavar="MODEL", help="two model files trained with --finetune")
args = parser.parse_args()

cb = pt.load_codebook()
ids = cb.ids
coders = [pt.load_model(path, codebook=cb) for path in args.models]
if any(getattr(c, "finetuned_", None) is None for c in coders):
    raise SystemExit("error: both models must be trained with --finetune")
_, held = pt.training_split()
answers = pd.read_csv(pt.bundled_corpus() / "heldout_answers.csv", dtype=str, keep_default_na=False)



def with_encoder(inputs, encoder):
    """The first model's decisions with its encoder swapped for ``encoder`` (probabilities)."""
    return coders[0]._combine(dict(inputs, finetuned=encoder), "stack")[1]


rows = []
for test_name, table in (("held-out interviews", held), ("held-out answers", answers)):
    y = theme_matrix(table["themes"], ids)
    texts, contexts = table["text"].tolist(), coders[0].contexts(table)
    inputs = coders[0]._inputs(texts, contexts)
    encoders = [inputs["finetuned"], coders[1].finetuned_.predict_proba(texts, context=contexts)]
    average = (encoders[0] + encoders[1]) / 2

    decisions = {
        "encoder, seed A": encoders[0] >= 0.5,
        "encoder, seed B": encoders[1] >= 0.5,
        "encoders averaged": average >= 0.5,
        "stack + encoder A": with_encoder(inputs, encoders[0]),
        "stack + encoder B": with_encoder(inputs, encoders[1]),
        "stack + encoders averaged": with_encoder(inputs, average),
    }
    for name, decided in decisions.items():
        score = _scores(y, decided.astype(int), ids, name)
        score = score[score["theme"] == "all"].iloc[0]
        rows.append({"coder": name, "test set": test_name, "macro_F1": score["f1"], "alpha_MASI": score["alpha"]})

table = pd.DataFrame(rows).pivot_table(index="coder", columns="test set", values=["macro_F1", "alpha_MASI"],
                                       sort=False)
print(table.round(3).to_string())
