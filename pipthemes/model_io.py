"""Save and load trained models without pickle.

Model files are written with skops (a zip of JSON and arrays). Loading checks every
type the file names against an allow-list (scikit-learn, NumPy, SciPy and pipthemes'
own estimator) before building anything, so a tampered file is refused without running
its code. A file records the library version and the codebook's hash; loading it with
another codebook is an error.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import skops.io as sio

from . import __version__
from .data import bundled_model
from .errors import PipthemesError
from .export import atomic_path, write_zip

__all__ = ["ModelError", "save_model", "load_model", "load_coder"]

log = logging.getLogger("pipthemes")

_FORMAT = "pipthemes-model/1"
_ALLOWED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.", "scipy.special.")
_ALLOWED = {"pipthemes.classifier.ThemeClassifier", "pipthemes.coder.Coder", "pipthemes.finetune.FineTunedEncoder"}


class ModelError(PipthemesError, ValueError):
    """A model file is missing, unsafe, or made for another codebook.

    ``other_codebook`` is true when the file is sound but was trained for another codebook.
    """

    def __init__(self, message, *, other_codebook=False):
        super().__init__(message)
        self.other_codebook = other_codebook


def save_model(model, path, *, codebook):
    """Write ``model`` (a fitted :class:`~pipthemes.ThemeClassifier`) to ``path``.

    Parameters
    ----------
    model : ThemeClassifier
    path : str or Path
        The model file (``.skops`` by convention); written atomically.
    codebook : Codebook
        The codebook the model was trained for; its hash is stored.
    """
    payload = {
        "format": _FORMAT,
        "pipthemes_version": __version__,
        "codebook_hash": codebook.hash,
        "themes": list(codebook.ids),
        "model": model,
    }
    with atomic_path(path) as tmp:
        sio.dump(payload, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        _make_reproducible(tmp)
    return Path(path)


def _make_reproducible(path):
    """Renumber skops' memory-address object ids in order of appearance; fix the timestamps.

    skops names objects (and the array files holding them) by ``id()``, which changes from
    run to run; renumbering makes the same model give the same bytes.
    """
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    schema = entries.pop("schema.json").decode("utf-8")
    # scikit-learn's text vectorisers cache id(stop_words) here; without it they just re-check.
    schema = re.sub(r'("_stop_words_id": \{[^{}]*?"content": )"\d+"', r'\1"null"', schema)
    ids = {}
    for match in re.finditer(r'"__id__": (\d+)|"file": "(\d+)\.npy"', schema):
        number = match.group(1) or match.group(2)
        ids.setdefault(number, str(len(ids) + 1))
    schema = re.sub(r'("__id__": )(\d+)', lambda m: m.group(1) + ids[m.group(2)], schema)
    schema = re.sub(r'("file": ")(\d+)(\.npy")', lambda m: m.group(1) + ids[m.group(2)] + m.group(3), schema)
    renamed = {"schema.json": schema.encode("utf-8")}
    for name, data in entries.items():
        stem = name[:-4] if name.endswith(".npy") else None
        renamed[f"{ids[stem]}.npy" if stem in ids else name] = data
    write_zip(path, sorted(renamed.items()), compresslevel=9)


def load_model(path, *, codebook):
    """Load a model file safely and check it matches ``codebook``.

    Raises
    ------
    ModelError
        When the file is missing or not a pipthemes model, names a type outside the
        allow-list, or was made for another codebook.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: model file not found (train one with 'pipthemes train')")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises several types for a corrupt file
        raise ModelError(f"{path}: not a readable model file ({type(exc).__name__}: {exc})") from None
    refused = [t for t in untrusted if not (t in _ALLOWED or t.startswith(_ALLOWED_PREFIXES))]
    if refused:
        raise ModelError(
            f"{path}: refusing to load: the file names types outside the allow-list "
            f"({', '.join(sorted(refused)[:5])}); it may have been tampered with"
        )
    try:
        payload = sio.load(path, trusted=untrusted)
    except Exception as exc:
        raise ModelError(f"{path}: not a readable model file ({type(exc).__name__}: {exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise ModelError(f"{path}: not a pipthemes model file")
    if payload["codebook_hash"] != codebook.hash:
        raise ModelError(
            f"{path}: the model was trained for another codebook (hash {payload['codebook_hash'][:12]}, "
            f"themes {', '.join(payload['themes'])}); this codebook's hash is {codebook.hash[:12]}. "
            "Retrain with 'pipthemes train' or pass the codebook it was made with",
            other_codebook=True,
        )
    model = payload["model"]
    if hasattr(model, "codebook"):
        model.codebook = codebook
    return model


def load_coder(model="default", *, codebook):
    """The coder to use: the bundled default model, a model file, or None for rules only.

    Parameters
    ----------
    model : "default", str, Path or None
        ``"default"`` loads the bundled model when it was made for ``codebook``, and
        otherwise returns None (rules only) with a log message; a path loads that file
        (an error if it does not match); None means rules only.
    codebook : Codebook
    """
    if model is None:
        return None
    if isinstance(model, str) and model == "default":
        path = bundled_model()
        try:
            return load_model(path, codebook=codebook)
        except ModelError as exc:
            if not exc.other_codebook:
                raise
            log.warning("the default model was trained for the bundled codebook; coding with the rules only "
                        "(train a model for this codebook with 'pipthemes train')")
            return None
    return load_model(model, codebook=codebook)
