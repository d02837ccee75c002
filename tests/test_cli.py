import hashlib

import pandas as pd
import pytest

import pipthemes as pt
from pipthemes.cli import main


@pytest.fixture
def table_file(tmp_path):
    path = tmp_path / "answers.csv"
    pd.DataFrame({
        "id": ["r1", "r2", "r3", "r4"],
        "sector": ["public", "voluntary", "voluntary", "public"],
        "text": ["We commissioned them and trust grew.", "Nothing to add.", "A grant came", "Trust, yes."],
        "extra": ["x", "", "z", "w"],
    }).to_csv(path, index=False)
    return path


def _run(capsys, *argv):
    code = main(list(map(str, argv)))
    captured = capsys.readouterr()
    return code, captured.err


def test_cli_code_contract(tmp_path, table_file, tiny_codebook_file, capsys):
    out = tmp_path / "out.csv"
    code, _ = _run(capsys, "code", table_file, "--out", out, "--codebook", tiny_codebook_file)
    assert code == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    source = pd.read_csv(table_file, dtype=str, keep_default_na=False)
    assert list(result.columns) == list(source.columns) + ["themes", "score_trust", "score_funding"]
    pd.testing.assert_frame_equal(result[source.columns], source)
    assert result["themes"].tolist() == ["trust;funding", "", "funding", "trust"]
    scores = result[["score_trust", "score_funding"]].astype(float)
    assert ((scores >= 0) & (scores <= 1)).all().all()


def test_cli_code_transcripts_one_row_per_segment(tmp_path, transcript_file, tiny_codebook_file, capsys):
    out = tmp_path / "t.csv"
    assert _run(capsys, "code", transcript_file, "--out", out, "--codebook", tiny_codebook_file)[0] == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(result) == len(pt.read_transcripts(transcript_file))
    assert result["themes"].tolist() == ["", "trust", "", "funding", ""]
    assert result.loc[0, "score_trust"] == ""  # interviewer turn: not coded


def test_cli_code_xlsx_input(tmp_path, tiny_codebook_file, capsys):
    path = tmp_path / "in.xlsx"
    pd.DataFrame({"answer": ["grant money", "trust"]}).to_excel(path, index=False)
    out = tmp_path / "out.csv"
    code, _ = _run(capsys, "code", path, "--text-col", "answer", "--out", out, "--codebook", tiny_codebook_file)
    assert code == 0
    assert pd.read_csv(out, keep_default_na=False)["themes"].tolist() == ["funding", "trust"]


def test_cli_code_is_deterministic(tmp_path, table_file, capsys):
    digests = []
    for name in ("a.csv", "b.csv"):
        assert _run(capsys, "code", table_file, "--out", tmp_path / name)[0] == 0
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


@pytest.mark.parametrize(
    "make_args, expected",
    [
        (lambda d, t, c: ["code", d / "missing.csv", "--out", d / "o.csv"], r"missing.csv: file not found"),
        (lambda d, t, c: ["code", t, "--text-col", "answer", "--out", d / "o.csv"],
         r"answers.csv, column 'answer': no such column"),
        (lambda d, t, c: ["code", t, "--out", d / "o.csv", "--codebook", c], r"bad.yaml: 2 problems"),
        (lambda d, t, c: ["code", d / "mixed.csv", "--out", d / "o.csv"], r"mixed.csv, row 3: byte 0xe9"),
        (lambda d, t, c: ["code", d / "empty.csv", "--out", d / "o.csv"],
         r"empty.csv, row 3, column 'text': text is empty"),
        (lambda d, t, c: ["report", d / "coded.csv", "--by", "sector", "--out", d / "rep"],
         r"coded.csv, row 2, column 'themes': unknown theme 'trst'"),
        (lambda d, t, c: ["report", d / "coded.csv", "--by", "region", "--out", d / "rep"],
         r"coded.csv, column 'region': no such column"),
    ],
    ids=["missing-file", "missing-column", "bad-codebook", "bad-encoding", "empty-text", "unknown-theme",
         "missing-by-column"],
)
def test_cli_bad_input_one_clear_message(tmp_path, table_file, capsys, make_args, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nthemes:\n  - id: Trust\n    label: T\n    definition: d\n    colour: red\n"
                   "    rules: {keywords: [trust]}\n", encoding="utf-8")
    (tmp_path / "mixed.csv").write_bytes("text\ncafé\n".encode() + "caf\xe9\n".encode("cp1252"))
    (tmp_path / "empty.csv").write_text("text\nfine\n\"\"\n", encoding="utf-8")
    (tmp_path / "coded.csv").write_text("sector,themes\npublic,trst\n", encoding="utf-8")
    code, err = _run(capsys, *make_args(tmp_path, table_file, bad))
    assert code == 1
    assert err.startswith("pipthemes: error: ")
    assert "Traceback" not in err
    import re
    assert re.search(expected, err), err
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "rep").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_code_skip_empty_keeps_rows(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("text\ngrant\n\"\"\ntrust\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert _run(capsys, "code", path, "--skip-empty", "--out", out)[0] == 0
    result = pd.read_csv(out, keep_default_na=False)
    assert len(result) == 3 and result.loc[1, "themes"] == "" and result.loc[1, "score_trust"] == ""


def test_cli_report_contract(tmp_path, capsys):
    path = tmp_path / "coded.csv"
    pd.DataFrame({
        "respondent": ["A", "A", "B", "C"],
        "sector": ["public", "public", "public", "voluntary"],
        "area": ["X", "Y", "X", "X"],
        "themes": ["trust", "trust;funding", "", "power"],
    }).to_csv(path, index=False)
    out = tmp_path / "rep"
    code, _ = _run(capsys, "report", path, "--by", "sector", "--by", "sector,area", "--unit-col", "respondent",
                   "--out", out)
    assert code == 0
    by_sector = pd.read_csv(out / "freq_by_sector.csv")
    assert list(by_sector.columns) == ["sector", "theme", "n_units", "n_coded", "share"]
    assert len(by_sector) == 2 * 7
    row = by_sector.set_index(["sector", "theme"]).loc[("public", "trust")]
    assert row["n_units"] == 2 and row["n_coded"] == 1
    both = pd.read_csv(out / "freq_by_sector_area.csv")
    assert list(both.columns[:2]) == ["sector", "area"]
    sheets = pd.read_excel(out / "frequencies.xlsx", sheet_name=None)
    assert set(sheets) == {"by_sector", "by_sector_area"}


def test_cli_analyse_bundled_corpus(tmp_path, capsys):
    out = tmp_path / "run"
    assert _run(capsys, "analyse", "--out", out)[0] == 0
    for name in ("coded_segments.csv", "codes.csv", "freq_by_sector.csv", "freq_by_area.csv",
                 "freq_by_sector_area.csv", "sector_tests.csv", "frequencies.xlsx", "chart_by_sector.png",
                 "chart_by_area.png", "chart_by_sector_area.png", "README.txt"):
        assert (out / name).stat().st_size > 0, name
    segs = pt.read_corpus()
    coded = pd.read_csv(out / "coded_segments.csv", dtype=str, keep_default_na=False)
    assert coded["segment_id"].tolist() == segs["segment_id"].tolist()
    assert "SYNTHETIC" in (out / "README.txt").read_text()
    by_sector = pd.read_csv(out / "freq_by_sector.csv")
    assert set(by_sector["source"]) == {"transcript", "survey"}
    interviews = by_sector[by_sector["source"] == "transcript"].drop_duplicates("sector")
    assert interviews["n_units"].sum() == segs.loc[segs["source"] == "transcript", "doc_id"].nunique()
    again = tmp_path / "run2"
    assert _run(capsys, "analyse", "--out", again)[0] == 0
    for path in out.iterdir():
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name


def test_cli_help_everywhere(capsys):
    for argv in (["--help"], ["code", "--help"], ["report", "--help"], ["analyse", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
        assert "usage: pipthemes" in capsys.readouterr().out
