import pandas as pd
import pytest

import pipthemes as pt

TEXT_COLS = ["done_differently", "further_comments"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"], ids=["utf8", "utf8-bom", "windows-1252"])
def test_corpus_read_survey_encodings(tmp_path, survey_table, encoding):
    path = tmp_path / "survey.csv"
    path.write_bytes(survey_table.to_csv(index=False).encode(encoding))
    segs = pt.read_survey(path, text_columns=TEXT_COLS, id_column="respondent_id")
    texts = dict(zip(segs["segment_id"], segs["text"]))
    assert texts["S1:done_differently"] == "We commissioned the CVS – first time"
    assert texts["S3:done_differently"] == "Grants £500 café"
    assert texts["S2:further_comments"] == "Trust is better"
    assert list(segs.columns[:7]) == ["segment_id", "doc_id", "source", "position", "speaker", "question", "text"]


def test_corpus_read_survey_one_segment_per_nonempty_answer(tmp_path, survey_table):
    path = tmp_path / "survey.csv"
    survey_table.to_csv(path, index=False)
    segs = pt.read_survey(path, text_columns=TEXT_COLS, id_column="respondent_id")
    assert len(segs) == 4
    assert segs.attrs["n_rows"] == 4 and segs.attrs["n_empty"] == 4
    assert len(segs) + segs.attrs["n_empty"] == 4 * len(TEXT_COLS)
    row = segs.set_index("segment_id").loc["S3:done_differently"]
    assert row["helped_trust"] == "very helpful" and row["sector"] == "voluntary" and row["row"] == 4
    assert row["respondent_id"] == "S3" and row["source"] == "survey"


def test_corpus_read_survey_xlsx(tmp_path, survey_table):
    path = tmp_path / "survey.xlsx"
    survey_table.to_excel(path, index=False)
    segs = pt.read_survey(path, text_columns=TEXT_COLS, id_column="respondent_id")
    assert len(segs) == 4
    assert "Grants £500 café" in set(segs["text"])


def test_corpus_read_survey_default_ids(tmp_path, survey_table):
    path = tmp_path / "survey.csv"
    survey_table.drop(columns="respondent_id").to_csv(path, index=False)
    segs = pt.read_survey(path, text_columns="done_differently")
    assert segs["respondent_id"].tolist() == ["R0001", "R0003", "R0004"]


def test_corpus_missing_column_names_file_and_column(tmp_path, survey_table):
    path = tmp_path / "survey.csv"
    survey_table.to_csv(path, index=False)
    with pytest.raises(pt.CorpusError, match=r"survey.csv, column 'answer': no such column") as info:
        pt.read_survey(path, text_columns=["answer"])
    assert info.value.column == "answer"


def test_corpus_mixed_encoding_names_row(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("id,text\n1,café\n".encode("utf-8") + "2,caf\xe9\n".encode("cp1252"))
    with pytest.raises(pt.CorpusError, match=r"mixed.csv, row 3: byte 0xe9 .* mixes encodings") as info:
        pt.read_table(path)
    assert info.value.row == 3


def test_corpus_utf16_is_refused(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("id,text\n1,hello\n".encode("utf-16"))
    with pytest.raises(pt.CorpusError, match="NUL byte"):
        pt.read_table(path)


def test_corpus_missing_file(tmp_path):
    with pytest.raises(pt.CorpusError, match="file not found"):
        pt.read_table(tmp_path / "nope.csv")


def test_corpus_read_transcript_turns(transcript_file):
    segs = pt.read_transcripts(transcript_file)
    assert segs["speaker"].tolist() == ["Interviewer", "Respondent", "Interviewer", "Respondent", "Respondent"]
    assert segs["to_code"].tolist() == [False, True, False, True, True]
    assert segs.loc[1, "text"] == "Much better. We can pick up the phone now. And the trust is there."
    assert segs.loc[1, "question"] == "How are relationships with the council?"
    assert segs.loc[4, "question"] == "And money?"
    assert segs.loc[1, "segment_id"] == "test-01:002"
    assert set(segs["area"]) == {"Sutton"} and set(segs["sector"]) == {"voluntary"}


def test_corpus_read_transcript_cp1252(tmp_path):
    from .conftest import TRANSCRIPT

    path = tmp_path / "t.txt"
    path.write_bytes(TRANSCRIPT.replace("now.", "now – honestly.").encode("cp1252"))
    segs = pt.read_transcripts(path)
    assert "now – honestly." in segs.loc[1, "text"]


def test_corpus_transcript_header_errors(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("interview_id: x\narea: Sutton\n---\nInterviewer: hi\n", encoding="utf-8")
    with pytest.raises(pt.CorpusError, match="header lacks sector, role, date"):
        pt.read_transcripts(path)


def test_corpus_read_folder_and_duplicate_ids(tmp_path, transcript_file):
    (tmp_path / "copy.txt").write_text(transcript_file.read_text(), encoding="utf-8")
    with pytest.raises(pt.CorpusError, match="interview_id 'test-01' is also used"):
        pt.read_transcripts(tmp_path)


def test_corpus_segments_from_table_empty_text_error():
    table = pd.DataFrame({"text": ["hello", "  "]})
    with pytest.raises(pt.CorpusError, match=r"in.csv, row 3, column 'text': text is empty"):
        pt.segments_from_table(table, path="in.csv")
    segs = pt.segments_from_table(table, allow_empty=True)
    assert segs["to_code"].tolist() == [True, False]


def test_corpus_bundled_is_complete_and_synthetic():
    segs = pt.read_corpus()
    assert "SYNTHETIC" in segs.attrs["notice"]
    interviews = segs[segs["source"] == "transcript"]
    docs = interviews.drop_duplicates("doc_id")
    assert len(docs) >= 24
    areas = {"Sutton", "St Helens", "Darlington", "North East Lincolnshire", "North Yorkshire", "Calderdale"}
    assert set(docs["area"]) == areas
    assert (docs.groupby("area")["sector"].nunique() == 2).all()
    survey = pd.read_csv(pt.bundled_corpus() / "survey.csv", dtype=str, keep_default_na=False)
    assert len(survey) == 99 and survey["area"].nunique() == 17
    assert (survey["sector"] == "public").sum() == 45 and (survey["sector"] == "voluntary").sum() == 53
    assert survey["sessions_attended"].isin(["3", "4"]).sum() == 81
    for path in (pt.bundled_corpus() / "interviews").glob("*.txt"):
        assert "SYNTHETIC" in path.read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("ids, expected", [(["a", "b", "a"], r"row 4, column 'id': id 'a' appears twice"),
                                           (["a", " ", "c"], r"row 3, column 'id': id is empty")],
                         ids=["duplicate", "blank"])
def test_corpus_bad_ids_name_the_row(ids, expected):
    table = pd.DataFrame({"id": ids, "text": ["x", "y", "z"]})
    with pytest.raises(pt.CorpusError, match=expected):
        pt.segments_from_table(table, id_col="id", path="f.csv")
