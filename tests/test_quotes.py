import pandas as pd
import pytest

import pipthemes as pt
from pipthemes.quotes import QUOTE_COLUMNS


@pytest.fixture(scope="module")
def coded():
    segs = pt.read_corpus()
    codes = pt.RuleCoder().code(segs)
    return codes, segs


@pytest.fixture(scope="module")
def quotes(coded):
    return pt.representative_quotes(*coded, n=3, by="sector")


def test_quotes_for_every_theme(quotes):
    assert list(quotes.columns) == QUOTE_COLUMNS
    assert set(quotes["theme"]) == set(pt.load_codebook().ids)
    assert (quotes.groupby("theme").size() == 3).all()
    assert quotes.groupby("theme")["rank"].apply(list).map(lambda r: r == [1, 2, 3]).all()


def test_quotes_score_components_in_range(quotes):
    for column in ("confidence", "typicality", "diversity", "length_score", "total"):
        assert quotes[column].between(0, 1).all(), column
    assert (quotes["n_words"] <= 60).all()


def test_quotes_one_per_respondent_and_no_near_duplicates(coded, quotes):
    segs = coded[1].set_index("segment_id")
    for _, part in quotes.groupby("theme"):
        respondents = segs.loc[part["id"], "respondent_id"]
        assert respondents.is_unique
    assert (quotes["diversity"] >= 0.5).all()


def test_quotes_balanced_across_groups(quotes):
    for _, part in quotes.groupby("theme"):
        assert {"public", "voluntary"} <= set(part["group"])


def test_quotes_are_anonymised_and_attributed(coded):
    codes, segs = coded
    segs = segs.copy()
    first = segs.index[segs["to_code"] & segs["text"].str.contains("grant")][0]
    segs.loc[first, "text"] = "Call Sarah Whitfield on 01632 960123 about the grant from the council; funding is tight."
    codes = pt.RuleCoder().code(segs)
    quotes = pt.representative_quotes(codes, segs, themes=["funding"], n=40, max_similarity=1.0)
    assert not quotes["quote"].str.contains("Whitfield|01632").any()
    assert quotes["attribution"].str.match(r"^(public|voluntary) sector participant, |^participant").all()


def test_quotes_hide_areas_uses_stable_pseudonyms(coded):
    a = pt.representative_quotes(*coded, n=2, hide_areas=True)
    b = pt.representative_quotes(*coded, n=2, hide_areas=True)
    pd.testing.assert_frame_equal(a, b)
    areas = set(coded[1]["area"].dropna())
    assert not any(area in text for area in areas if area for text in a["attribution"])
    assert a["attribution"].str.contains(r"Area \d+$").all()


def test_quotes_unknown_theme_and_column(coded):
    with pytest.raises(pt.CorpusError, match="unknown theme 'money'"):
        pt.representative_quotes(*coded, themes=["money"])
    with pytest.raises(pt.CorpusError, match="balance by"):
        pt.representative_quotes(*coded, by="region")


def test_quotes_write_docx_and_md(tmp_path, quotes):
    import docx

    cb = pt.load_codebook()
    path = pt.export.write_quotes(quotes, tmp_path / "bank.docx", codebook=cb)
    document = docx.Document(path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [t.label for t in cb.themes]
    quoted = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quoted) == len(quotes)
    again = pt.export.write_quotes(quotes, tmp_path / "bank2.docx", codebook=cb)
    assert path.read_bytes() == again.read_bytes()
    md = pt.export.write_quotes(quotes, tmp_path / "bank.md", codebook=cb).read_text(encoding="utf-8")
    assert md.count("> —") == len(quotes)
    with pytest.raises(pt.PipthemesError, match=r"\.csv, \.md or \.docx"):
        pt.export.write_quotes(quotes, tmp_path / "bank.pdf")
