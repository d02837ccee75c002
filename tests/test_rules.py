import pandas as pd
import pytest

import pipthemes as pt

from .conftest import make_segments


def _themes(coder, text):
    codes = coder.code(make_segments([{"segment_id": "a", "text": text}]))
    return codes


@pytest.mark.parametrize(
    "text",
    ["They commissioned us.", "Commissioning is the issue.", "The PCT commissions it now.", "COMMISSION"],
    ids=["past", "gerund", "third-person", "upper-case"],
)
def test_rules_inflected_forms_match_on_lemma(tiny_codebook, text):
    codes = _themes(pt.RuleCoder(tiny_codebook), text)
    assert codes["theme"].tolist() == ["funding"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The primary care trust came along.", []),
        ("Money from the trust fund.", []),
        ("The primary care trust came, and trust grew.", ["trust"]),
        ("There was real suspicion at first.", ["trust"]),
        ("We got to know each other.", ["trust"]),
        ("We are getting to know them.", ["trust"]),
        ("They picked up the phone.", ["trust"]),
    ],
    ids=["veto", "veto-2", "veto-only-overlap", "glob", "pattern", "pattern-inflected", "phrase-inflected"],
)
def test_rules_exclusions_veto_and_globs(tiny_codebook, text, expected):
    codes = _themes(pt.RuleCoder(tiny_codebook), text)
    assert codes["theme"].tolist() == expected


def test_rules_codes_carry_provenance_and_offsets(tiny_codebook):
    text = "Full cost recovery and a grant, but trust? Grants again."
    codes = _themes(pt.RuleCoder(tiny_codebook), text)
    funding = codes.set_index("theme").loc["funding"]
    assert funding["coder"] == "rules"
    assert text[funding["start_char"]:funding["end_char"]] == funding["evidence"] == "Full cost recovery"
    assert funding["n_hits"] == 3 and funding["score"] == pytest.approx(0.875)
    assert funding["rules"] == "full cost recovery;grant"
    assert list(codes.columns[:7]) == ["segment_id", "theme", "coder", "score", "evidence", "start_char", "end_char"]


def test_rules_skip_segments_not_to_code(tiny_codebook, transcript_file):
    segs = pt.read_transcripts(transcript_file)
    codes = pt.RuleCoder(tiny_codebook).code(segs)
    assert set(codes["segment_id"]) == {"test-01:002", "test-01:004"}


def test_rules_empty_result_has_contract_columns(tiny_codebook):
    codes = _themes(pt.RuleCoder(tiny_codebook), "Nothing to see.")
    assert codes.empty and {"segment_id", "theme", "coder", "score"} <= set(codes.columns)


def test_rules_bundled_codebook_codes_plain_examples():
    coder = pt.RuleCoder()
    cases = {
        "We went out to tender and lost the contract.": "funding",
        "There is real suspicion between the sectors.": "trust",
        "We are stretched; there are too many meetings.": "capacity",
        "Who gets the seat on the LSP board is the question.": "representation",
    }
    for text, theme in cases.items():
        assert theme in set(_themes(coder, text)["theme"]), text


def test_rules_summary_against_hand_coding(tiny_codebook):
    segs = make_segments([
        {"segment_id": "1", "text": "We trust them."},
        {"segment_id": "2", "text": "A grant came."},
        {"segment_id": "3", "text": "Grant and trust."},
        {"segment_id": "4", "text": "Nothing."},
    ])
    gold = pd.DataFrame({"segment_id": ["1", "2", "3", "4"], "themes": ["trust", "", "funding", "trust"]})
    codes = pt.RuleCoder(tiny_codebook).code(segs)
    summary = pt.rule_summary(codes, segs, gold=gold, themes=tiny_codebook.ids).set_index("theme")
    assert summary.loc["trust", "precision"] == pytest.approx(0.5)
    assert summary.loc["trust", "recall"] == pytest.approx(0.5)
    assert summary.loc["funding", "precision"] == pytest.approx(0.5)
    assert summary.loc["funding", "recall"] == pytest.approx(1.0)
    assert summary.loc["funding", "f1"] == pytest.approx(2 / 3)
    assert summary.loc["macro", "f1"] == pytest.approx((0.5 + 2 / 3) / 2)
    assert summary.loc["trust", "coverage"] == pytest.approx(0.5)
    assert summary.loc["trust", "overlap"] == pytest.approx(0.5)
    per_rule = pt.rule_summary(codes, segs, gold=gold, by_rule=True)
    assert set(per_rule["rule"]) == {"trust", "grant"}
