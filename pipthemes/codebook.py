"""Load, validate and save codebooks.

A codebook is a YAML file with a list of themes; each theme has coding guidance for
people (definition, include, exclude, examples) and keyword rules for the machine.
See the README section "Codebook format".
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CodebookError

__all__ = ["Theme", "Codebook", "load_codebook", "write_codebook"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_THEME_KEYS = {"id", "label", "definition", "include", "exclude", "examples", "colour", "rules"}
_RULE_KEYS = {"keywords", "patterns", "exclusions"}


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook (see the README for each field)."""

    id: str
    label: str
    definition: str
    colour: str = "#777777"
    include: tuple = ()
    exclude: tuple = ()
    examples: tuple = ()
    keywords: tuple = ()
    patterns: tuple = ()
    exclusions: tuple = ()

    def to_dict(self):
        """Return the theme as plain data, in the file layout."""
        return {
            "id": self.id,
            "label": self.label,
            "colour": self.colour,
            "definition": self.definition,
            "include": list(self.include),
            "exclude": list(self.exclude),
            "examples": list(self.examples),
            "rules": {
                "keywords": list(self.keywords),
                "patterns": [list(p) for p in self.patterns],
                "exclusions": list(self.exclusions),
            },
        }


@dataclass(frozen=True)
class Codebook:
    """A validated codebook: an ordered tuple of :class:`Theme`.

    Use :func:`load_codebook` to make one.
    """

    name: str
    themes: tuple
    version: str = "1"
    description: str = ""
    path: str | None = field(default=None, compare=False)

    @property
    def ids(self):
        """Theme ids in codebook order."""
        return [t.id for t in self.themes]

    def __getitem__(self, theme_id):
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(f"no theme {theme_id!r} in codebook (themes: {', '.join(self.ids)})")

    def __len__(self):
        return len(self.themes)

    def to_dict(self):
        """Return the codebook as plain data, in the file layout."""
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "themes": [t.to_dict() for t in self.themes],
        }

    @property
    def hash(self):
        """SHA-256 of the codebook's content (not of its file's formatting)."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _strings(value, where, problems, *, allow_empty_list=True):
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{where} must be a list of strings, got {type(value).__name__}")
        return ()
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problems.append(
                f"{where}[{i}] is {item!r} (entries must be non-empty strings)"
            )
        else:
            out.append(item.strip())
    if not out and not allow_empty_list:
        problems.append(f"{where} is empty (give at least one entry)")
    return tuple(out)


def _keywords(value, where, problems):
    words = _strings(value, where, problems)
    for word in words:
        if word.strip("*").strip() == "" or "**" in word:
            problems.append(f"{where}: {word!r} is not a phrase (a '*' must end a word)")
        elif re.search(r"\*\S", word) or word.startswith("*"):
            problems.append(
                f"{where}: {word!r} has '*' inside or before a word "
                "(only a trailing '*' is allowed, as in 'commission*')"
            )
    seen = set()
    for word in words:
        key = word.lower()
        if key in seen:
            problems.append(f"{where}: {word!r} is listed twice")
        seen.add(key)
    return words


def _patterns(value, where, problems):
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{where} must be a list of token patterns, got {type(value).__name__}")
        return ()
    from spacy.matcher import Matcher

    from .text import get_nlp

    out = []
    for i, pattern in enumerate(value):
        if not isinstance(pattern, list) or not pattern or not all(
            isinstance(tok, dict) for tok in pattern
        ):
            problems.append(
                f"{where}[{i}] is {pattern!r} (a pattern is a non-empty list of token dicts)"
            )
            continue
        try:
            Matcher(get_nlp().vocab, validate=True).add("check", [pattern])
        except Exception as exc:  # spaCy raises several types for bad patterns
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            problems.append(f"{where}[{i}] is not a valid spaCy token pattern: {first}")
            continue
        out.append(tuple(pattern))
    return tuple(out)


def _theme(raw, i, problems):
    where = f"theme {i + 1}"
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a mapping with keys id, label, definition, got {raw!r}")
        return None
    theme_id = raw.get("id")
    if isinstance(theme_id, str) and _ID.match(theme_id):
        where = f"theme {theme_id!r}"
    else:
        problems.append(
            f"{where}: id {theme_id!r} is not valid "
            "(use lower-case letters, digits and '_', starting with a letter)"
        )
    for key in sorted(set(raw) - _THEME_KEYS):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(_THEME_KEYS))})")
    for key in ("label", "definition"):
        if not isinstance(raw.get(key), str) or not raw.get(key).strip():
            problems.append(f"{where}: {key} is missing or empty (give a non-empty text)")
    colour = raw.get("colour", "#777777")
    if not isinstance(colour, str) or not _COLOUR.match(colour):
        problems.append(f"{where}: colour {colour!r} is not a hex colour like '#1b9e77'")
    rules = raw.get("rules") or {}
    if not isinstance(rules, dict):
        problems.append(f"{where}: rules must be a mapping with keys keywords, patterns, exclusions")
        rules = {}
    for key in sorted(set(rules) - _RULE_KEYS):
        problems.append(
            f"{where}: unknown rules key {key!r} (allowed: {', '.join(sorted(_RULE_KEYS))})"
        )
    keywords = _keywords(rules.get("keywords"), f"{where}: keyword", problems)
    patterns = _patterns(rules.get("patterns"), f"{where}: pattern", problems)
    if not keywords and not patterns:
        problems.append(f"{where}: no keywords or patterns (a theme needs at least one rule)")
    return Theme(
        id=str(theme_id),
        label=str(raw.get("label", "")).strip(),
        definition=" ".join(str(raw.get("definition", "")).split()),
        colour=str(colour),
        include=_strings(raw.get("include"), f"{where}: include", problems),
        exclude=_strings(raw.get("exclude"), f"{where}: exclude", problems),
        examples=_strings(raw.get("examples"), f"{where}: example", problems),
        keywords=keywords,
        patterns=patterns,
        exclusions=_keywords(rules.get("exclusions"), f"{where}: exclusion", problems),
    )


def _from_data(data, path):
    problems = []
    if not isinstance(data, dict):
        raise CodebookError(path, ["the file must hold a mapping with keys name and themes"])
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise CodebookError(path, ["'themes' is missing or empty (give a list of themes)"])
    for key in sorted(set(data) - {"name", "version", "description", "themes"}):
        problems.append(f"unknown top-level key {key!r} (allowed: name, version, description, themes)")
    themes = [_theme(raw, i, problems) for i, raw in enumerate(raw_themes)]
    ids = [t.id for t in themes if t is not None]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        problems.append(f"theme id {dup!r} is used more than once (ids must be unique)")
    if problems:
        raise CodebookError(path, problems)
    return Codebook(
        name=str(data.get("name") or Path(str(path)).stem),
        version=str(data.get("version", "1")),
        description=" ".join(str(data.get("description", "")).split()),
        themes=tuple(themes),
        path=str(path),
    )


def load_codebook(source=None):
    """Read and validate a codebook, reporting every problem at once.

    Parameters
    ----------
    source : str, Path or dict, optional
        A YAML file, or the already-parsed data. Default: the bundled PIP codebook.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        With ``.problems`` listing everything wrong.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.ids[:3]
    ['trust', 'representation', 'capacity']
    """
    if source is None:
        from .data import bundled_codebook

        source = bundled_codebook()
    if isinstance(source, dict):
        return _from_data(source, "<codebook>")
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodebookError(path, ["file not found (check the path given with --codebook)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(path, [f"cannot be read as UTF-8 text ({exc})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(path, [f"{where}not valid YAML ({problem})"]) from None
    return _from_data(data, path)


def write_codebook(codebook, path):
    """Write ``codebook`` as YAML that :func:`load_codebook` reads back unchanged."""
    text = yaml.safe_dump(codebook.to_dict(), sort_keys=False, allow_unicode=True, width=100)
    Path(path).write_text(text, encoding="utf-8")
