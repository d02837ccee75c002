"""Offline, layered anonymisation of quotes and segments.

Layers, in order (an earlier layer's replacement is never touched by a later one):

1. emails, URLs, UK phone numbers and postcodes;
2. identifying job titles ("the chief executive of Sutton CVS"), generalised;
3. the project **register** of known people, organisations and places, with their
   replacements (YAML or CSV; see :func:`load_register`);
4. titles with names ("Councillor Hughes", "Dr Patel") and street addresses;
5. organisations, by suffix (Council, Trust, CVS, CAB, Forum...) and by acronym;
6. place and local authority names, from the fact list ``pipthemes/lists/places.txt``;
7. first names and surnames from a public-domain name list (US Census 1990), and
   capitalised words that English text almost never writes in lower case;
8. optionally, a spaCy NER model, if one is already installed (nothing is downloaded).

A name that is also an ordinary word ("Mark", "Hope", "Reading") is redacted only in a
name context (after a title, next to another name, or as part of an organisation);
whether a word is ordinary comes from the word frequencies in ``spacy-lookups-data``.
Placeholders are bracketed: ``[person 1]``, ``[voluntary organisation]``, ``[council]``,
``[area]``, ``[email]``...; within a document the same person keeps the same number.
Anonymising anonymised text changes nothing.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import PipthemesError
from .register import Register, load_register
from .schema import require_columns

__all__ = ["anonymise", "anonymise_text", "review_words", "area_pseudonyms"]

_LISTS = Path(__file__).resolve().parent / "lists"

# Words and acronyms that are never identifying on their own.
KEEP = {
    "NHS", "LSP", "LSPs", "LAA", "LAAs", "CVS", "CVSs", "CAB", "PCT", "PCTs", "VCS", "VCSE", "BME", "IDeA", "PIP",
    "NCVO", "NAVCA", "DCLG", "DWP", "UK", "EU", "GP", "GPs", "MP", "MPs", "OK", "TV", "IT", "HR", "CEO", "CEOs",
    "ChangeUp", "Capacitybuilders", "Compact", "Government", "Labour", "Conservative", "Conservatives",
    "Liberal", "Democrats", "Lib", "Dem", "Dems", "Tory", "Tories", "Society", "Christmas", "Easter",
    "English", "England", "British", "Britain", "Whitehall", "Westminster", "Parliament", "Ofsted", "Audit",
    "Commission", "Lottery", "Council", "Councils", "Councillor", "Councillors", "Trust", "Trusts", "Forum",
    "Partnership", "Partnerships", "Voluntary", "Sector", "Community", "Local", "Strategic", "Thematic",
    "Children's", "Primary", "Care", "County", "City", "Borough", "District", "Cabinet", "Chief", "Executive",
    "Area", "Agreement", "Mr", "Mrs", "Ms", "Dr", "I", "I'm", "I've", "I'd", "I'll", "OK", "Yes", "No",
    "Mondays", "Fridays", "Programme", "Improvement", "Neighbourhood", "Renewal", "Sure", "Start",
    "Supporting", "People", "Comprehensive", "Spending", "Review", "Area", "Assessment", "CAA", "NI",
    "African", "Asian", "Caribbean", "Polish", "Russian", "Irish", "Scottish", "Welsh", "Indian", "Pakistani",
    "Bangladeshi", "Somali", "Chinese", "European", "Muslim", "Christian", "Hindu", "Sikh", "Jewish", "Catholic",
    "Urdu", "Punjabi", "Bengali", "Arabic", "Roma", "Gypsy", "Traveller", "Travellers", "Office", "Latvian",
    "AGM", "AGMs", "JSNA", "PCSO", "PCSOs", "NEET", "NEETs", "VAT", "WNF", "NRF", "SRB", "CDRP", "CRB", "ESOL", "ESF",
    "ERDF", "RDA", "HMRC", "BBC", "SLA", "SLAs", "KPI", "KPIs", "CIC", "CICs", "FCR", "PSA", "LDF", "MAA",
    "Oh", "Ah", "Aye", "Er", "Erm", "Um", "Yeah", "Hmm", "Lithuanian", "Romanian", "Slovak", "Czech", "Kurdish", "Afghan", "Iraqi", "Eritrean", "Sudanese", "Turkish",
}
_MONTHS_DAYS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}
# Generic words that may stand in an organisation's name without identifying it.
_GENERIC_ORG_WORDS = {
    "the", "of", "and", "for", "&", "County", "City", "Borough", "District", "Metropolitan", "Town", "Parish",
    "Primary", "Care", "Children's", "Local", "Strategic", "Voluntary", "Community", "Health", "Mental",
    "Housing", "Council", "Trust", "Forum", "Partnership", "Sector", "Action", "Service", "Services",
    "Thematic", "Safer", "Communities", "Foundation", "NHS", "CVS", "CAB", "Citizens", "Advice", "Bureau",
    "Association", "Network", "Centre", "Group", "Society", "Alliance", "Project", "Board", "Strategy",
    "Compact", "Voluntary", "Faith", "Older", "Young", "Youth", "Carers", "Disability", "Black", "Minority",
    "Ethnic", "Women's", "Environmental", "Infrastructure", "Development", "Agency", "Team", "Unit",
}
_ORG_SUFFIXES = {
    "Council": "council", "Councils": "council", "Trust": "voluntary organisation", "CVS": "voluntary organisation",
    "CAB": "voluntary organisation", "Forum": "voluntary organisation", "Association": "voluntary organisation",
    "Network": "voluntary organisation", "Centre": "voluntary organisation", "Society": "voluntary organisation",
    "Alliance": "voluntary organisation", "Project": "voluntary organisation", "Foundation": "voluntary organisation",
    "Concern": "voluntary organisation", "YMCA": "voluntary organisation", "Mind": "voluntary organisation",
    "Charity": "voluntary organisation", "Group": "organisation", "Housing": "organisation",
    "Partnership": "organisation", "Service": "organisation", "Services": "organisation",
}
_VOLUNTARY_HINTS = ("CVS", "CAB", "Trust", "Forum", "Charity", "Action", "Association", "Society", "Concern",
                    "voluntary", "community", "charity", "Carers", "Mind", "Age")
_TITLES = (r"(?:Councillor|Cllr|Dr|Mr|Mrs|Ms|Miss|Mx|Sir|Dame|Lord|Lady|Father|Fr|Revd|Rev|Reverend|Professor|Prof|"
           r"Canon|Bishop|Alderman|Baroness|Baron|Sister|Brother|Pastor|Imam|Rabbi)")
_CAP = r"[A-Z][A-Za-z'’\-]*[A-Za-z]"
_DEPT = (r"(?: of (?:[a-z']+ ){0,2}(?:services|care|health|housing|education|finance|resources|development|"
         r"regeneration|policy|partnerships|communities|operations|strategy|commissioning|people|children|"
         r"planning|procurement|service|department|directorate))?")
_SENIOR = (rf"chief executive|chief exec|chief officer|director{_DEPT}|deputy director|head{_DEPT}"
           r"|chair(?:man|woman|person)?|vice[- ]chair|leader|deputy leader|mayor|manager|coordinator|co-ordinator"
           r"|lead officer|portfolio holder|cabinet member(?: for [a-z ]{3,30}?)?|secretary|treasurer|president"
           r"|vicar|priest|imam|rabbi|headteacher|head teacher")
_PATTERNS = [
    ("email", re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)]", re.I)),
    ("phone", re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,5}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")),
    ("postcode", re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?)\s?[0-9][A-Z]{2}\b")),
]
_JOB = re.compile(
    rf"\b(?:[Tt]he|[Oo]ur|[Tt]heir|[Mm]y|[Ii]ts|[Hh]is|[Hh]er)\s+(?:(?:new|old|former|then|current|interim|acting)\s+)?"
    rf"(?:(?P<pre>council|CVS|PCT|LSP|NHS|county|CAB|trust|forum)\s+)?(?P<role>{_SENIOR})"
    rf"(?:\s+(?:of|at|for)\s+(?P<org>\[[^\]]+\]|(?:the\s+)?(?:{_CAP}|CVS|PCT|LSP|NHS|council|[A-Z]{{2,6}})"
    rf"(?:\s+(?:{_CAP}|[A-Z]{{2,6}}\b|and|of|&))*))?(?![a-z])",
)
_TITLE_NAME = re.compile(rf"\b{_TITLES}\.?\s+(?:{_CAP}\s+){{0,2}}{_CAP}\b")
_STREET = re.compile(
    rf"\b(?:\d{{1,4}}[a-z]?,?\s+)?(?:{_CAP}\s+){{1,2}}(?:Street|St(?!\s+[A-Z])|Road|Rd|Lane|Avenue|Ave|Way|Close|Drive|Terrace|"
    rf"Crescent|Grove|Square|Gardens|Row|Walk|Parade|Mews|Court|Hill|Green|Place)\b"
)
_ESTATE = re.compile(rf"\bthe\s+(?:{_CAP}\s+){{1,2}}(?:estate|Estate)\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,6}s?\b")
_WORD = re.compile(rf"{_CAP}|[A-Z]")
_BRACKET = re.compile(r"\[[^\[\]]*\]")


@lru_cache(maxsize=1)
def _word_probs():
    import spacy_lookups_data

    source = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        probs = json.load(fh)
    return {w: p for w, p in probs.items() if p > -17.5 and w.replace("'", "").isalpha()}


def _read_list(name):
    lines = (_LISTS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _names():
    return frozenset(_read_list("first_names.txt")), frozenset(_read_list("surnames.txt"))


@lru_cache(maxsize=1)
def _places():
    names = sorted(set(_read_list("places.txt")), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


def _ordinary(word, *, initial=False):
    """True when ``word`` is an ordinary English word rather than a name.

    It is when English text writes it in lower case nearly as often as capitalised
    (capitalised is allowed to be e**1 times more frequent, or e**2 at the start of a
    sentence, where "However" and "Oh" are capitalised anyway; a listed name must stay
    under e**1 there too). A word the frequency list does not know at all is taken to be
    a name; a hyphenated word is ordinary when its parts are.
    """
    word = re.sub(r"(?:['’](?:s|ve|ll|d|re|m|t)|n['’]t)$", "", word)
    if word in KEEP or word in _MONTHS_DAYS or word.rstrip("s") in _MONTHS_DAYS:
        return True
    if "-" in word:
        return all(_ordinary(part) or part.islower() for part in word.split("-") if part)
    probs = _word_probs()
    lower = probs.get(word.lower())
    if lower is None:
        return False
    margin = probs.get(word, -18.0) - lower
    first, last = _names()
    limit = 2.0 if initial and word not in first and word not in last else 1.0
    return margin < limit


def _sentence_start(text, start):
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:;\n—–-"


class _Doc:
    """Replacement spans chosen for one document, and its person numbering."""

    def __init__(self, text, register):
        self.text = text
        self.register = register
        self.spans = [(m.start(), m.end(), None) for m in _BRACKET.finditer(text)]  # existing placeholders
        self.people = {}

    def free(self, start, end):
        return all(end <= s or start >= e for s, e, _ in self.spans)

    def claim(self, start, end, replacement, kind=None):
        """Replace text[start:end] unless it overlaps an earlier claim; ``replacement`` may be a callable."""
        while start < end and self.text[start] in " ,":
            start += 1
        if start < end and self.free(start, end):
            if callable(replacement):
                replacement = replacement()
            self.spans.append((start, end, replacement))
            if kind:
                self.register.found[(kind, self.text[start:end])] = replacement
            return True
        return False

    def person(self, name):
        key = re.sub(rf"^{_TITLES}\.?\s+", "", name).strip()
        first = key.split()[0] if key else key
        for known, number in self.people.items():
            if key == known or first == known.split()[0] and (" " not in key or " " not in known) \
                    or key == known.split()[-1]:
                return f"[person {number}]"
        self.people[key] = len(self.people) + 1
        return f"[person {self.people[key]}]"

    def result(self):
        out, last = [], 0
        for start, end, replacement in sorted(self.spans):
            if replacement is None:
                continue
            out.append(self.text[last:start])
            out.append(replacement)
            last = end
        out.append(self.text[last:])
        return "".join(out)


def _org_kind(name):
    last = name.split()[-1]
    if last in _ORG_SUFFIXES and _ORG_SUFFIXES[last] != "organisation":
        return _ORG_SUFFIXES[last]
    return "voluntary organisation" if any(h in name for h in _VOLUNTARY_HINTS) else "organisation"


def _job_replacement(match):
    role, org, pre = match.group("role").lower(), match.group("org") or "", match.group("pre") or ""
    if role in {"leader", "deputy leader", "mayor"} or role.startswith("cabinet member") or role == "portfolio holder":
        return "[senior councillor]"
    context = f"{pre} {org}"
    if any(h in context for h in _VOLUNTARY_HINTS):
        return "[senior voluntary sector officer]"
    if re.search(r"council|county|borough|city|PCT|NHS|authority|LSP", context, re.I):
        return "[senior public sector officer]"
    return "[senior officer]"


def _specific_job(match):
    """Whether a job title points to one person.

    It does when it names its organisation ("the chair of Sutton CVS", "the CVS chair"),
    follows a possessive ("our director of housing"), or is a post every body has just one
    of ("the chief executive", "the council leader").
    """
    role = match.group("role").lower()
    if match.group("org") or match.group("pre"):
        return True
    if re.match(r"(?:our|their|my|his|her|its)\s", match.group(0), re.I):
        return not re.match(r"(?:manager|coordinator|co-ordinator|secretary)$", role)
    return bool(re.match(r"(?:chief executive|chief exec|chief officer|leader|deputy leader|mayor)$", role)
                or re.match(r"(?:director|head) of ", role))


def anonymise_text(text, *, register=None, ner=None, people=None):
    """Anonymise one text (see the module docstring for the layers).

    Parameters
    ----------
    text : str
    register : Register, optional
    ner : spacy.language.Language, optional
        A loaded spaCy pipeline with an ``ner`` component.
    people : dict, optional
        Person numbering to share across the texts of one document (updated in place).

    Returns
    -------
    str

    Examples
    --------
    >>> anonymise_text("Ring Sarah Whitfield at Sutton CVS on 01632 960123.")
    'Ring [person 1] at [voluntary organisation] on [phone].'
    """
    register = register if register is not None else Register()
    doc = _Doc(str(text), register)
    if people is not None:
        doc.people = people
    t = doc.text
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(t):
            doc.claim(m.start(), m.end(), f"[{kind}]", kind)
    for m in _JOB.finditer(t):
        if _specific_job(m):
            end = min([s for s, _, _ in doc.spans if m.start() < s < m.end()] + [m.end()])
            doc.claim(m.start(), len(t[:end].rstrip()), _job_replacement(m), "job title")
    for pattern, replacement in register.patterns():
        for m in pattern.finditer(t):
            doc.claim(m.start(), m.end(), replacement)
    for m in _TITLE_NAME.finditer(t):
        doc.claim(m.start(), m.end(), lambda m=m: doc.person(m.group(0)), "person")
    _organisations(doc)
    for m in _STREET.finditer(t):
        start = m.start()
        first_word = re.match(r"\S+", m.group(0)).group(0)
        if _sentence_start(t, start) and not first_word[0].isdigit() and _ordinary(first_word, initial=True) \
                and len(m.group(0).split()) > 2:
            start += len(first_word)
        doc.claim(start, m.end(), "[street]", "street")
    for m in _ESTATE.finditer(t):
        doc.claim(m.start(), m.end(), "the [place]", "place")
    for m in _places().finditer(t):
        if _sentence_start(t, m.start()) and " " not in m.group(0) and _ordinary(m.group(0)):
            continue
        doc.claim(m.start(), m.end(), "[area]", "place")
    _people(doc)
    if ner is not None:
        labels = {"PERSON": None, "ORG": "[organisation]", "GPE": "[area]", "LOC": "[place]", "FAC": "[place]"}
        for ent in ner(t).ents:
            if ent.label_ in labels and ent.text not in KEEP and not _ordinary_phrase(ent.text):
                doc.claim(ent.start_char, ent.end_char, labels[ent.label_] or (lambda e=ent: doc.person(e.text)),
                          ent.label_.lower())
    return doc.result()


def _ordinary_phrase(phrase):
    words = [w for w in re.findall(r"[A-Za-z'’]+", phrase) if w[0].isupper()]
    return all(_ordinary(w) for w in words)


def _organisations(doc):
    t = doc.text
    suffixes = "|".join(sorted(_ORG_SUFFIXES, key=len, reverse=True))
    chain = rf"(?:{_CAP}|[A-Z]{{2,6}})(?:\s+(?:and|of|for|&)\s+|\s+|['’]s\s+)"
    for m in re.finditer(rf"\b(?:{chain}){{1,4}}(?:{suffixes})\b", t):
        name = m.group(0)
        words = [w for w in re.findall(r"[A-Za-z'’&]+", name)]
        if _sentence_start(t, m.start()) and words[0] in {"The", "Our", "Their", "A", "This", "That"}:
            start = m.start() + len(words[0]) + 1
            name = t[start:m.end()]
            words = words[1:]
        else:
            start = m.start()
        if len(words) < 2 or all(w in _GENERIC_ORG_WORDS or w in KEEP for w in words):
            continue
        specific = [w for w in words if w not in _GENERIC_ORG_WORDS and w not in _MONTHS_DAYS]
        if all(_ordinary(w) for w in specific) and not _places().search(name) and len(specific) < 2:
            continue  # e.g. "Housing Partnership" or "Health Trust"
        doc.claim(start, m.end(), f"[{_org_kind(name)}]", "organisation")
    for m in _ACRONYM.finditer(t):
        word = m.group(0)
        if word in KEEP or word.rstrip("s") in KEEP or len(word.rstrip("s")) < 2 or word in {"I", "A"}:
            continue
        doc.claim(m.start(), m.end(), f"[{_org_kind(word)}]", "organisation")


def _people(doc):
    first, last = _names()
    t = doc.text
    words = [m for m in _WORD.finditer(t) if doc.free(m.start(), m.end())]
    i = 0
    while i < len(words):
        m = words[i]
        w = m.group(0)
        run = [m]
        while i + len(run) < len(words):
            nxt = words[i + len(run)]
            if t[run[-1].end():nxt.start()] in {" "} and nxt.group(0)[0].isupper() and len(nxt.group(0)) > 1:
                run.append(nxt)
            else:
                break
        i += len(run)
        tokens = [r.group(0) for r in run]
        if len(tokens) == 1 and len(w) == 1:
            continue
        start_of_sentence = _sentence_start(t, run[0].start())
        if start_of_sentence and len(run) > 1 and tokens[0] not in first and _ordinary(tokens[0], initial=True):
            run, tokens = run[1:], tokens[1:]  # "Ask Aleksandra": the name starts after the ordinary word
            start_of_sentence = False
        named = [tok in first or tok in last for tok in tokens]
        strong = [not _ordinary(tok, initial=start_of_sentence and k == 0) for k, tok in enumerate(tokens)]
        is_name = (
            len(tokens) >= 2 and tokens[0] in first and (strong[0] or strong[1])
            or len(tokens) >= 2 and (any(n and s for n, s in zip(named, strong)) or all(strong))
            or len(tokens) == 1 and strong[0]
        )
        if not is_name:
            continue
        while len(run) > 1 and (tokens[0] in KEEP or start_of_sentence and not strong[0]
                                and tokens[0] not in first):
            strong = strong[1:]
            run, tokens = run[1:], tokens[1:]
        while len(run) > 1 and (tokens[-1] in KEEP or tokens[-1] in _MONTHS_DAYS):
            run, tokens = run[:-1], tokens[:-1]
        if all(tok in KEEP or tok in _MONTHS_DAYS for tok in tokens):
            continue
        name = " ".join(tokens)
        before = t[:run[0].start()].rstrip().rsplit(" ", 1)[-1].lower()
        if before in {"in", "near", "around", "across", "to", "round"} and tokens[0] not in first:
            doc.claim(run[0].start(), run[-1].end(), "[place]", "place")
        else:
            doc.claim(run[0].start(), run[-1].end(), lambda name=name: doc.person(name), "person")


def review_words(text):
    """Capitalised words left in anonymised ``text`` that are not sentence-initial or ordinary.

    These might still identify someone; a person should look at them.
    """
    out = []
    for m in _WORD.finditer(_BRACKET.sub(" ", str(text))):
        w = m.group(0)
        if len(w) > 1 and w not in KEEP and w not in _MONTHS_DAYS and not _sentence_start(text, m.start()) \
                and not _ordinary(w):
            out.append(w)
    return list(dict.fromkeys(out))


def _ner_pipeline(ner):
    if ner in (None, False):
        return None
    import spacy

    names = [ner] if isinstance(ner, str) else sorted(spacy.util.get_installed_models())
    for name in names:
        try:
            return spacy.load(name, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
        except OSError:
            continue
    raise PipthemesError("ner=True needs an installed spaCy model with NER (e.g. en_core_web_sm); none found. "
                         "pipthemes never downloads one: install it yourself or leave NER off")


def anonymise(data, *, register=None, hide_areas=False, text_col="text", doc_col="doc_id", ner=False):
    """Anonymise a text, or the text column of a segments table.

    Parameters
    ----------
    data : str or pandas.DataFrame
    register : Register, str or Path, optional
        Known entities (see :func:`load_register`); found entities are logged in it.
    hide_areas : bool, default False
        For a table, also replace the ``area`` column with stable pseudonyms
        ("Area 1", "Area 2"... in order of first appearance).
    text_col, doc_col : str
        For a table: the text column, and the column whose value is one document
        (placeholders are consistent within a document).
    ner : bool or str, default False
        Also use a spaCy NER model that is already installed (a name, or True for any).

    Returns
    -------
    str or pandas.DataFrame
        The anonymised text, or a copy of the table with ``text_col`` anonymised and
        every other column unchanged (one row per input row).
    """
    if register is not None and not isinstance(register, Register):
        register = load_register(register)
    register = register if register is not None else Register()
    pipeline = _ner_pipeline(ner)
    if isinstance(data, str):
        return anonymise_text(data, register=register, ner=pipeline)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"anonymise takes a str or a DataFrame, not {type(data).__name__}")
    require_columns(data, [text_col])
    out = data.copy()
    docs = data[doc_col].astype(str) if doc_col in data.columns else pd.Series(range(len(data)), index=data.index)
    texts = []
    for _, group in data.groupby(docs, sort=False):
        joined_people = {}
        for index in group.index:
            doc_text = "" if pd.isna(data.at[index, text_col]) else str(data.at[index, text_col])
            texts.append((index, anonymise_text(doc_text, register=register, ner=pipeline, people=joined_people)))
    out[text_col] = pd.Series(dict(texts)).reindex(data.index)
    if hide_areas and "area" in out.columns:
        mapping = area_pseudonyms(out["area"])
        out["area"] = out["area"].map(lambda a: mapping.get(a, a))
    return out


def area_pseudonyms(areas):
    """``{area: "Area N"}`` numbered by first appearance; empty values stay empty."""
    mapping = {}
    for area in areas:
        if isinstance(area, str) and area.strip() and area not in mapping:
            mapping[area] = f"Area {len(mapping) + 1}"
    return mapping
