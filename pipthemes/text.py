"""spaCy set-up shared by the rule coder and the classifier.

A blank English pipeline with spaCy's lookup lemmatizer (tables from
``spacy-lookups-data``), so nothing is ever downloaded. Lemmas are looked up on the
lower-cased word, so "Commissioned" and "commissioned" both give "commission".
"""

from __future__ import annotations

from functools import lru_cache

import spacy

__all__ = ["get_nlp", "lemmatise", "make_doc"]


@lru_cache(maxsize=1)
def get_nlp():
    """Return the shared blank English pipeline with a lookup lemmatizer.

    Returns
    -------
    spacy.language.Language
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def _lemma_table():
    return get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def _set_lemmas(doc):
    table = _lemma_table()
    for token in doc:
        lower = token.lower_
        token.lemma_ = table.get(lower, lower).lower()
    return doc


def make_doc(text):
    """Tokenise ``text`` and give every token its lower-case lookup lemma.

    Examples
    --------
    >>> [t.lemma_ for t in make_doc("Commissioned services")]
    ['commission', 'service']
    """
    return _set_lemmas(get_nlp().make_doc(text))


def lemmatise(texts, *, batch_size=256):
    """Yield a lemmatised ``Doc`` for each text, in order."""
    nlp = get_nlp()
    for doc in nlp.pipe(texts, batch_size=batch_size, disable=["lemmatizer"]):
        yield _set_lemmas(doc)
