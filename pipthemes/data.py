"""Where the bundled codebook and corpus live.

In an installed wheel they are copied into ``pipthemes/_data``; in a source checkout
(or an editable install) they are read from the project's ``codebooks/`` and
``corpora/`` folders.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_codebook", "bundled_corpus"]

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
