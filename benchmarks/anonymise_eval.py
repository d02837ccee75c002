"""Recall per identifier type, over-redaction of ordinary words, and leaks, on the planted set.

``tests/data/planted_identifiers.csv`` was written independently of the anonymiser: each
sentence lists its planted identifiers (``type:text``) and the ordinary words that must
survive (``keep``). An identifier counts as caught when neither its text nor any of its
identifying words (capitalised words that are not ordinary, words with digits, emails)
is left in the output. Run with and without the test register, and on the second set, written later by
another author and never used to change the anonymiser:

    python benchmarks/anonymise_eval.py [--register tests/data/register.yaml]
    python benchmarks/anonymise_eval.py --file planted_identifiers_2.csv
"""

import argparse
import re
from pathlib import Path

import pandas as pd

import pipthemes as pt
from pipthemes.anonymise import KEEP

ROOT = Path(__file__).resolve().parents[1]
GENERIC = {"the", "of", "and", "at", "our", "their", "on", "off", "CVS", "CAB", "PCT", "Council", "Trust", "Forum",
           "Street", "Road", "Lane", "Avenue", "Close", "Drive", "estate", "Way"} | KEEP


def parse(cell):
    return [tuple(part.split(":", 1)) for part in cell.split(" | ") if part.strip()] if cell else []


def words(identifier):
    return [w for w in re.findall(r"[\w@.'’+-]+", identifier)
            if w not in GENERIC and (w[0].isupper() or any(c.isdigit() for c in w) or "@" in w)]


def leaked(identifier, output):
    if identifier in output:
        return True
    return any(re.search(rf"(?<![\w]){re.escape(w.strip('.'))}(?![\w])", output) for w in words(identifier))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--register")
    parser.add_argument("--file", default="planted_identifiers.csv",
                        help="planted set in tests/data (planted_identifiers_2.csv is the second, held-out set)")
    parser.add_argument("--show", action="store_true", help="print every miss and every lost word")
    args = parser.parse_args()
    table = pd.read_csv(ROOT / "tests" / "data" / args.file, dtype=str, keep_default_na=False)
    register = pt.load_register(args.register) if args.register else None
    out = pt.anonymise(table, register=register, text_col="text", doc_col="id")
    rows, lost, n_keep = [], [], 0
    for (_, row), result in zip(table.iterrows(), out["text"]):
        for kind, text in parse(row["identifiers"]):
            rows.append({"type": kind, "text": text, "caught": not leaked(text, result), "id": row["id"], "out": result})
        for word in [w for w in row["keep"].split(" | ") if w]:
            n_keep += 1
            if word not in result:
                lost.append((row["id"], word, result))
    found = pd.DataFrame(rows)
    recall = found.groupby("type")["caught"].agg(["size", "sum", "mean"]).rename(
        columns={"size": "planted", "sum": "caught", "mean": "recall"})
    print(f"{args.file}: {len(table)} sentences; register: {args.register or 'none'}\n")
    print(recall.round(3).to_string())
    print(f"\noverall recall {found['caught'].mean():.3f} ({found['caught'].sum()}/{len(found)})")
    print(f"over-redaction: {len(lost)} of {n_keep} ordinary words lost ({len(lost) / n_keep:.3f})")
    must = found[found["type"].isin(["email", "phone", "postcode"])]
    print(f"leaks of emails, phones and postcodes: {int((~must['caught']).sum())}")
    if register is not None:
        names = [n for e in register.entries for n in [e["text"], *e["aliases"]]]
        leaks = [(n, o) for n in names for o in out["text"] if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", o, re.I)]
        print(f"leaks of register entries: {len(leaks)}")
    if args.show:
        for _, miss in found[~found["caught"]].iterrows():
            print(f"MISS {miss['id']} {miss['type']}: {miss['text']!r} -> {miss['out']}")
        for rid, word, result in lost:
            print(f"LOST {rid} {word!r} -> {result}")


if __name__ == "__main__":
    main()
