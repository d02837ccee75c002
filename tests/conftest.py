"""Shared small fixtures. Nothing here touches the network."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

import pipthemes as pt

TINY_CODEBOOK = {
    "name": "tiny",
    "version": "1",
    "themes": [
        {
            "id": "trust",
            "label": "Trust",
            "definition": "Relationships between partners.",
            "colour": "#1b9e77",
            "rules": {
                "keywords": ["trust", "suspicio*", "pick up the phone"],
                "patterns": [[{"LEMMA": "get"}, {"LEMMA": "to"}, {"LEMMA": "know"}]],
                "exclusions": ["primary care trust", "trust fund"],
            },
        },
        {
            "id": "funding",
            "label": "Funding",
            "definition": "Money.",
            "colour": "#d95f02",
            "rules": {"keywords": ["commission", "grant", "full cost recovery"]},
        },
    ],
}

TRANSCRIPT = """# SYNTHETIC test transcript
interview_id: test-01
area: Sutton
sector: voluntary
role: Chief executive, CVS
date: 2010-02-16
---
Interviewer: How are relationships with the council?
Respondent: Much better. We can pick up the phone now.
And the trust is there.
Interviewer: And money?
Respondent: They commissioned us last year, which was new.
Respondent: Nothing else to add.
"""


@pytest.fixture
def tiny_codebook():
    return pt.load_codebook(TINY_CODEBOOK)


@pytest.fixture
def tiny_codebook_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY_CODEBOOK, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def transcript_file(tmp_path):
    path = tmp_path / "test-01.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def survey_table():
    return pd.DataFrame(
        {
            "respondent_id": ["S1", "S2", "S3", "S4"],
            "sector": ["public", "voluntary", "voluntary", ""],
            "helped_trust": ["helpful", "not helpful", "very helpful", ""],
            "done_differently": ["We commissioned the CVS – first time", "", "Grants £500 café", "No."],
            "further_comments": ["", "Trust is better", "", ""],
        }
    )


def make_segments(rows):
    """Segments table from dicts that give at least segment_id and text."""
    base = {"doc_id": "d", "source": "table", "position": 1, "speaker": "", "question": ""}
    table = pd.DataFrame([{**base, **row} for row in rows])
    if "doc_id" not in rows[0]:
        table["doc_id"] = table["segment_id"]
    return table
