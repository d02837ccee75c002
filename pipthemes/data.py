"""Where the bundled codebook and corpus live.

In an installed wheel they are copied into ``pipthemes/_data``; in a source checkout
(or an editable install) they are read from the project's ``codebooks/`` and
``corpora/`` folders.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_codebook", "bundled_corpus", "bundled_model", "training_split"]

_HERE = Path(__file__).resolve().parent


def _find(*parts):
    for root in (_HERE / "_data", _HERE.parent):
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError(
        f"bundled file {'/'.join(parts)} not found; reinstall pipthemes with 'pip install .'"
    )


def bundled_codebook():
    """Path of the bundled PIP codebook, ``codebooks/pip.yaml``."""
    return _find("codebooks", "pip.yaml")


def bundled_corpus():
    """Path of the bundled synthetic PIP 2010 corpus folder, ``corpora/pip2010``."""
    return _find("corpora", "pip2010")


def bundled_model():
    """Path of the default model file, trained on the bundled hand-coded set less the held-out interviews."""
    return _HERE / "models" / "default.skops"


EXTRA_TRAINING = ("hand_coded_extra.csv", "hand_coded_answers.csv")


def training_split(*, extra=True):
    """The bundled hand coding split into ``(train, heldout)`` tables.

    ``heldout`` holds the interviews listed in ``heldout_interviews.txt`` (one per
    area); no model pipthemes ships is trained on them. With ``extra``, ``train`` also
    holds the supplementary training text, which is not part of the analysed corpus:
    the interviews in ``training_extra/`` (coded in ``hand_coded_extra.csv``) and the
    standalone answers and report sentences in ``hand_coded_answers.csv``.
    """
    import pandas as pd

    folder = bundled_corpus()
    coded = pd.read_csv(folder / "hand_coded.csv", dtype=str, keep_default_na=False)
    lines = (folder / "heldout_interviews.txt").read_text(encoding="utf-8").splitlines()
    held = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    mask = coded["doc_id"].isin(held)
    parts = [coded[~mask]]
    for name in EXTRA_TRAINING if extra else ():
        if (folder / name).is_file():
            more = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
            parts.append(more[[c for c in coded.columns if c in more.columns]])
    return pd.concat(parts, ignore_index=True), coded[mask].reset_index(drop=True)
