import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipthemes as pt
from pipthemes.anonymise import anonymise_text, area_pseudonyms

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def planted():
    return pd.read_csv(DATA / "planted_identifiers.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def register():
    return pt.load_register(DATA / "register.yaml")


@pytest.fixture(scope="module")
def anonymised(planted, register):
    return pt.anonymise(planted, register=register, doc_col="id")


def _planted(planted, kinds):
    for text, cell in zip(planted["text"], planted["identifiers"]):
        for part in filter(None, cell.split(" | ")):
            kind, value = part.split(":", 1)
            if kind in kinds:
                yield text, value


def test_anonymise_no_leak_of_contact_details(planted, anonymised):
    outputs = dict(zip(planted["text"], anonymised["text"]))
    pairs = list(_planted(planted, {"email", "phone", "postcode"}))
    assert len(pairs) >= 20
    for text, value in pairs:
        assert value not in outputs[text]
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 6:
            assert digits not in re.sub(r"\D", "", outputs[text])


def test_anonymise_no_leak_of_register_entries(anonymised, register):
    names = [n for e in register.entries for n in [e["text"], *e["aliases"]]]
    for output in anonymised["text"]:
        for name in names:
            assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", output, re.I), (name, output)


def test_anonymise_register_replacements_are_used(register):
    out = pt.anonymise("We met Sutton CVS and later SCVS again.", register=register)
    assert out == "We met [voluntary organisation A] and later [voluntary organisation A] again."


def test_anonymise_keeps_ordinary_words(planted, anonymised):
    lost = [(w, out) for keep, out in zip(planted["keep"], anonymised["text"]) for w in keep.split(" | ")
            if w and w not in out]
    assert len(lost) <= 0.05 * sum(len(k.split(" | ")) for k in planted["keep"]), lost


@pytest.mark.parametrize("text", [
    "The NHS, the Compact and the LSP came up in commissioning talks with the council.",
    "In March the Local Strategic Partnership met the PCT and the CVS.",
    "However, the Government said the Big Society would sort it out by Christmas.",
], ids=["acronyms", "generic-bodies", "sentence-start"])
def test_anonymise_ordinary_text_unchanged(text):
    assert pt.anonymise(text) == text


def test_anonymise_is_idempotent_on_planted_set(anonymised, register):
    again = pt.anonymise(anonymised, register=register, doc_col="id")
    assert again["text"].tolist() == anonymised["text"].tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "Sarah Whitfield", "rang", "Councillor Hughes", "at", "Sutton CVS", "on", "01632 960123", "the", "council",
    "NHS", "and", "Priya", "in", "Darlington", "jo@example.org", "DL1 5QT", "the chief executive of Hope Trust",
    "Mark", "said", "Compact", ".", "We", "14 Market Street", "[person 1]",
]), min_size=1, max_size=25))
def test_anonymise_twice_changes_nothing_more(words):
    once = anonymise_text(" ".join(words))
    assert anonymise_text(once) == once


def test_anonymise_same_person_same_placeholder_within_a_document():
    table = pd.DataFrame({
        "doc_id": ["a", "a", "b"],
        "text": ["Sarah Whitfield chaired it, with Dave.", "Later Sarah left and Dave stayed.", "Dave came too."],
    })
    out = pt.anonymise(table)["text"].tolist()
    assert out[0] == "[person 1] chaired it, with [person 2]."
    assert out[1] == "Later [person 1] left and [person 2] stayed."
    assert out[2] == "[person 1] came too."


def test_anonymise_table_keeps_rows_and_other_columns():
    table = pd.DataFrame({"id": ["1", "2"], "text": ["Ring Dave on 07700 900123.", ""], "area": ["Sutton", "Wigan"]})
    out = pt.anonymise(table)
    assert len(out) == 2 and out["id"].tolist() == ["1", "2"] and out["area"].tolist() == ["Sutton", "Wigan"]
    assert out["text"].tolist() == ["Ring [person 1] on [phone].", ""]
    hidden = pt.anonymise(table, hide_areas=True)
    assert hidden["area"].tolist() == ["Area 1", "Area 2"]


def test_anonymise_area_pseudonyms_are_stable():
    areas = ["Sutton", "Wigan", "Sutton", "", "Darlington"]
    assert area_pseudonyms(areas) == {"Sutton": "Area 1", "Wigan": "Area 2", "Darlington": "Area 3"}
    assert area_pseudonyms(areas) == area_pseudonyms(list(areas))


def test_anonymise_job_titles_generalised():
    out = pt.anonymise("The chief executive of Sutton CVS wrote to the council leader.")
    assert out == "[senior voluntary sector officer] wrote to [senior councillor]."


def test_anonymise_review_list_names_leftover_capitals():
    assert pt.review_words("We went to Sowerby Bridge with the NHS.") == ["Sowerby"]
    assert pt.review_words("[person 1] went to the NHS.") == []


def test_anonymise_register_errors(tmp_path):
    bad = tmp_path / "reg.yaml"
    bad.write_text("entries:\n  - type: person\n", encoding="utf-8")
    with pytest.raises(pt.CorpusError, match="non-empty 'text'") as info:
        pt.load_register(bad)
    assert info.value.row == 1
    with pytest.raises(pt.CorpusError, match="not found"):
        pt.load_register(tmp_path / "missing.yaml")
    csv_register = tmp_path / "reg.csv"
    csv_register.write_text("text,type,replacement,aliases\nAnn Lee,person,person X,Annie;A. Lee\n", encoding="utf-8")
    assert pt.anonymise("Annie met Ann Lee.", register=csv_register) == "[person X] met [person X]."


def test_anonymise_ner_needs_an_installed_model(monkeypatch):
    import spacy

    monkeypatch.setattr(spacy.util, "get_installed_models", lambda: [])
    with pytest.raises(pt.PipthemesError, match="never downloads"):
        pt.anonymise("Text", ner=True)
