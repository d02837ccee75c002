"""The project register: known people, organisations and places with their replacements.

A register is YAML (``entries:``, each with ``text``, ``type``, ``replacement`` and
optional ``aliases``) or CSV (the same columns, aliases joined by ``;``). It doubles as
the anonymisation log: :func:`pipthemes.anonymise` records every entity its automatic
layers replaced in ``Register.found``, and :func:`write_log` writes both out. The log
holds the original names, so keep it apart from the outputs.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import CorpusError

__all__ = ["Register", "load_register", "write_log"]


@dataclass
class Register:
    """Known entities and their replacements; doubles as the anonymisation log.

    Attributes
    ----------
    entries : list of dict
        ``text``, ``type`` (person, organisation, place), ``replacement``, ``aliases``.
    found : dict
        Every entity replaced by the automatic layers: ``{(type, text): placeholder}``.
        Write it out with :func:`write_log`, away from the outputs.
    """

    entries: list = field(default_factory=list)
    found: dict = field(default_factory=dict)
    path: str | None = None

    def patterns(self):
        items = []
        for entry in self.entries:
            for name in [entry["text"], *entry.get("aliases", [])]:
                if name:
                    items.append((name, entry["replacement"]))
        items.sort(key=lambda item: -len(item[0]))
        return [(re.compile(rf"(?<![\w]){re.escape(n)}(?![\w])", re.I), r) for n, r in items]


def load_register(path):
    """Read a register from YAML (``entries:`` list) or CSV (``text,type,replacement,aliases``).

    Raises
    ------
    CorpusError
        Naming the file and entry of the first problem.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError("register file not found", path=path)
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            rows = data.get("entries", []) if isinstance(data, dict) else None
        else:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
    except (yaml.YAMLError, UnicodeDecodeError, csv.Error) as exc:
        raise CorpusError(f"not a readable register ({type(exc).__name__}: {exc})", path=path) from None
    if not isinstance(rows, list):
        raise CorpusError("a YAML register needs a list under 'entries:'", path=path)
    entries = []
    first = 1 if path.suffix.lower() in {".yaml", ".yml"} else 2  # YAML: entry number; CSV: file row
    for i, row in enumerate(rows, start=first):
        if not isinstance(row, dict) or not str(row.get("text") or "").strip():
            raise CorpusError("every register entry needs a non-empty 'text'", path=path, row=i, column="text")
        aliases = row.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a.strip() for a in aliases.split(";") if a.strip()]
        kind = str(row.get("type") or "person").strip()
        replacement = str(row.get("replacement") or "").strip() or f"[{kind}]"
        if not (replacement.startswith("[") and replacement.endswith("]")):
            replacement = f"[{replacement}]"
        entries.append({"text": str(row["text"]).strip(), "type": kind, "replacement": replacement,
                        "aliases": [str(a) for a in aliases]})
    return Register(entries=entries, path=str(path))


def write_log(register, path):
    """Write the register's entries and every automatically found entity to a CSV."""
    from .export import write_csv

    rows = [{"text": e["text"], "type": e["type"], "replacement": e["replacement"], "source": "register"}
            for e in register.entries]
    rows += [{"text": text, "type": kind, "replacement": placeholder, "source": "found"}
             for (kind, text), placeholder in sorted(register.found.items())]
    return write_csv(pd.DataFrame(rows, columns=["text", "type", "replacement", "source"]), path)
