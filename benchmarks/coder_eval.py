"""Rules, classifier and three ways to combine them, measured on text the model did not see.

1. 5-fold cross-validation (multi-label iterative stratification) on the whole hand-coded set:
   rules alone, classifier alone, union, rule hits as extra features, and the learned
   combination (stacking), per theme and macro.
2. The held-out interviews (``corpora/pip2010/heldout_interviews.txt``, one per area):
   a coder trained on everything else, scored on them; and the supplementary text by
   other writers (interviews in ``hand_coded_extra.csv``, standalone answers and report
   sentences in ``hand_coded_answers.csv``), scored by a coder trained without them; and the
   held-out answers (``heldout_answers.csv``, never trained on), scored by the coder trained on everything else.
3. Training time of that coder and its coding speed in segments per second.

With ``--cv-extra`` every fold of the cross-validation also trains on the supplementary
text (never scored), as the shipped model does.

Run ``python benchmarks/coder_eval.py [--embeddings] [--finetune] [--skip-cv | --only-cv] [--cv-extra] [--seed N] [--save MODEL]`` from the repository root.
"""

import argparse
import time

import pandas as pd

import pipthemes as pt
from pipthemes.coder import rule_hits, theme_matrix
from pipthemes.data import EXTRA_TRAINING
from pipthemes.evaluation import _scores, cross_val_methods

parser = argparse.ArgumentParser()
parser.add_argument("--embeddings", action="store_true", help="add sentence embeddings (needs the extra)")
parser.add_argument("--finetune", action="store_true", help="also fine-tune the encoder (needs the extra; slow)")
parser.add_argument("--folds", type=int, default=5)
parser.add_argument("--skip-cv", action="store_true", help="only the held-out sets (CV with --finetune takes ~30 min)")
parser.add_argument("--only-cv", action="store_true", help="only the cross-validation")
parser.add_argument("--seed", type=int, default=0, help="random_state of the coders and the CV folds (default 0, as the shipped model)")
parser.add_argument("--save", metavar="MODEL", help="save the coder trained on the full training split to this file")
parser.add_argument("--cv-extra", action="store_true",
                    help="add the supplementary training text to every fold's training (it is never scored)")
args = parser.parse_args()
params = {"embeddings": args.embeddings, "finetune": args.finetune, "random_state": args.seed}

cb = pt.load_codebook()
ids = cb.ids
gold = pd.read_csv(pt.bundled_corpus() / "hand_coded.csv", dtype=str, keep_default_na=False)
features = " + ".join(["TF-IDF"] + [n for n, on in (("sentence embeddings", args.embeddings), ("fine-tuned encoder", args.finetune)) if on])
print(f"Synthetic PIP 2010 hand-coded set: {len(gold)} segments; features: {features}\n")


def show(title, tables):
    table = pd.concat(tables, ignore_index=True)
    f1 = table.pivot_table(index="method", columns="theme", values="f1", sort=False)[ids]
    summary = table[table["theme"] == "all"].set_index("method")[["precision", "recall", "f1", "kappa", "alpha"]]
    summary.columns = ["macro_P", "macro_R", "macro_F1", "mean_kappa", "alpha_MASI"]
    print(title)
    print(pd.concat([summary, f1], axis=1).round(3).to_string(), "\n")


def scored(coder, table):
    """evaluate() on a table, plus the fine-tuned encoder alone (probability >= 0.5) when there is one."""
    tables = [pt.evaluate(table, codebook=cb, model=coder)]
    if getattr(coder, "finetuned_", None) is not None:
        proba = coder.finetuned_.predict_proba(table["text"].tolist(), context=coder.contexts(table))
        tables.append(_scores(theme_matrix(table["themes"], ids), (proba >= 0.5).astype(int), ids, "finetuned"))
    return tables


others = {name: pd.read_csv(pt.bundled_corpus() / name, dtype=str, keep_default_na=False)
          for name in EXTRA_TRAINING if (pt.bundled_corpus() / name).is_file()}

# 1. cross-validation
if not args.skip_cv:
    extra = pd.concat(others.values(), ignore_index=True) if args.cv_extra else None
    start = time.perf_counter()
    y, pred = cross_val_methods(gold, codebook=cb, k=args.folds, extra=extra, **params)
    print(f"{args.folds}-fold CV took {time.perf_counter() - start:.0f} s")
    tables = [_scores(y, pred[m], ids, m) for m in ("rules", "model", "union")]
    if not args.finetune and extra is None:  # rule hits as features: each hit becomes a pseudo-word
        hits, _ = rule_hits(pt.RuleCoder(cb), gold["text"].tolist())
        marked = gold.assign(text=[t + "".join(f" __rule_{th}__" * int(n) for th, n in zip(ids, row))
                                   for t, row in zip(gold["text"], hits)])
        _, pred_features = cross_val_methods(marked, codebook=cb, k=args.folds, **params)
        tables.append(_scores(y, pred_features["model"], ids, "features"))
    tables.append(_scores(y, pred["stack"], ids, "stack"))
    trained = "" if extra is None else f"; every fold also trains on the {len(extra)} supplementary segments"
    show(f"Cross-validation ({args.folds} folds, {len(gold)} segments{trained})", tables)
    for source in ("transcript", "survey"):
        rows = (gold["source"] == source).to_numpy()
        parts = [_scores(y[rows], pred[m][rows], ids, m) for m in ("rules", "model", "stack")]
        words = int(gold.loc[rows, "text"].str.split().str.len().median())
        show(f"... of which {source} segments ({rows.sum()}, median {words} words)", parts)

if args.only_cv:
    raise SystemExit(0)

# 2. held-out interviews and text by other writers, and 3. speed
base, held = pt.training_split(extra=False)
small = pt.Coder(cb, **params).fit(base)
show(f"Held-out interviews ({held['doc_id'].nunique()} interviews, {len(held)} segments; "
     f"trained on the other {len(base)} corpus segments only)", scored(small, held))
for name, table in others.items():
    show(f"Text by other writers, {name} ({len(table)} segments, median "
         f"{int(table['text'].str.split().str.len().median())} words; trained on the {len(base)} corpus "
         "segments only)", scored(small, table))
train, held = pt.training_split()
start = time.perf_counter()
coder = pt.Coder(cb, **params).fit(train)
fit_seconds = time.perf_counter() - start
if args.save:
    pt.save_model(coder, args.save, codebook=cb)
show(f"Held-out interviews ({held['doc_id'].nunique()} interviews, {len(held)} segments; "
     f"trained on the other {len(train)}, supplementary text included)", scored(coder, held))
unseen = pt.bundled_corpus() / "heldout_answers.csv"
if unseen.is_file():
    table = pd.read_csv(unseen, dtype=str, keep_default_na=False)
    show(f"Held-out answers by five other writers, heldout_answers.csv ({len(table)} segments; trained on the "
         f"{len(train)} above)", scored(coder, table))
segments = pt.read_corpus()
coder.code(segments.iloc[:20])  # warm-up: load the embedding model, if any, before timing
start = time.perf_counter()
coder.code(segments)
code_seconds = time.perf_counter() - start
n = int(segments["to_code"].sum())
print(f"training on {len(train)} segments: {fit_seconds:.1f} s")
print(f"coding {n} segments: {code_seconds:.1f} s = {n / code_seconds:.0f} segments/s")
