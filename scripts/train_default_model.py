"""Rebuild the bundled default model, ``pipthemes/models/default.skops``.

Trains a :class:`pipthemes.Coder` (rules + TF-IDF classifier, stacked) with default
settings on the bundled synthetic hand coding, less the held-out interviews listed in
``corpora/pip2010/heldout_interviews.txt``. Deterministic: the same data give the same
model. ``tests/test_default_model.py`` checks the shipped file matches a retrained one.

Run from the repository root: ``python scripts/train_default_model.py``.
"""

import time

import pipthemes as pt


def train_default():
    """Return the default coder, freshly trained."""
    train, _ = pt.training_split()
    return pt.Coder(pt.load_codebook()).fit(train)


if __name__ == "__main__":
    start = time.perf_counter()
    coder = train_default()
    path = pt.save_model(coder, pt.bundled_model(), codebook=pt.load_codebook())
    print(f"trained on {coder.n_training_segments_} segments in {time.perf_counter() - start:.1f} s -> {path}")
