import json
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


# --- trained models: code --model / --rules-only, train, evaluate, agree --------------

@pytest.fixture(scope="module")
def coded_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coded")
    train, held = pt.training_split()
    train.iloc[:200].to_csv(folder / "train.csv", index=False)
    held.iloc[:30].to_csv(folder / "held.csv", index=False)
    return folder / "train.csv", folder / "held.csv"


@pytest.fixture(scope="module")
def model_file(coded_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "model.skops"
    assert main(["-q", "train", str(coded_files[0]), "--out", str(out)]) == 0
    return out


def test_cli_train_writes_a_loadable_model(model_file):
    coder = pt.load_model(model_file, codebook=pt.load_codebook())
    assert isinstance(coder, pt.Coder) and coder.n_training_segments_ == 200


def test_cli_train_other_column_names(tmp_path, coded_files, capsys):
    table = pd.read_csv(coded_files[0], dtype=str, keep_default_na=False).iloc[:80]
    table.rename(columns={"text": "answer", "themes": "codes"}).to_csv(tmp_path / "c.csv", index=False)
    out = tmp_path / "m.skops"
    code, err = _run(capsys, "train", tmp_path / "c.csv", "--out", out, "--text-col", "answer",
                     "--themes-col", "codes")
    assert code == 0 and out.is_file()


def test_cli_train_bad_input_leaves_no_model(tmp_path, coded_files, capsys):
    table = pd.read_csv(coded_files[0], dtype=str, keep_default_na=False)
    table.loc[4, "themes"] = "trust;moneyy"
    table.to_csv(tmp_path / "bad.csv", index=False)
    out = tmp_path / "m.skops"
    code, err = _run(capsys, "train", tmp_path / "bad.csv", "--out", out)
    assert code == 1 and "bad.csv" in err and "row 6" in err and "moneyy" in err and "Traceback" not in err
    assert not out.exists()
    code, err = _run(capsys, "train", tmp_path / "bad.csv", "--out", out, "--text-col", "answer")
    assert code == 1 and "'answer'" in err and "no such column" in err


@pytest.mark.parametrize("mode", ["default", "model", "rules-only"])
def test_cli_code_with_models_keeps_contract(tmp_path, table_file, model_file, mode, capsys):
    out = tmp_path / "out.csv"
    extra = {"default": [], "model": ["--model", model_file], "rules-only": ["--rules-only"]}[mode]
    assert _run(capsys, "code", table_file, "--out", out, *extra)[0] == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    ids = pt.load_codebook().ids
    assert list(result.columns) == ["id", "sector", "text", "extra", "themes"] + [f"score_{t}" for t in ids]
    assert len(result) == 4
    assert all(set(pt.parse_themes(v)) <= set(ids) for v in result["themes"])
    scores = result[[f"score_{t}" for t in ids]].astype(float)
    assert ((scores >= 0) & (scores <= 1)).all().all()
    assert "funding" in result.loc[2, "themes"]


def test_cli_code_model_and_rules_only_conflict(tmp_path, table_file, model_file, capsys):
    with pytest.raises(SystemExit) as info:
        main(["code", str(table_file), "--out", str(tmp_path / "o.csv"), "--model", str(model_file), "--rules-only"])
    assert info.value.code == 2


def test_cli_code_model_for_another_codebook(tmp_path, table_file, model_file, tiny_codebook_file, capsys):
    out = tmp_path / "o.csv"
    code, err = _run(capsys, "code", table_file, "--out", out, "--model", model_file,
                     "--codebook", tiny_codebook_file)
    assert code == 1 and "another codebook" in err and not out.exists()


def test_cli_evaluate_model_json(coded_files, model_file, capsys):
    assert main(["-q", "evaluate", str(coded_files[1]), "--model", str(model_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n_segments"] == 30
    methods = {row["method"] for row in report["scores"]}
    assert methods == {"rules", "model", "union", "stack"}
    row = next(r for r in report["scores"] if r["method"] == "stack" and r["theme"] == "all")
    assert set(row) >= {"precision", "recall", "f1", "kappa", "alpha"}


def test_cli_evaluate_cv_text_and_csv(tmp_path, coded_files, capsys):
    out = tmp_path / "scores.csv"
    code = main(["-q", "evaluate", str(coded_files[1]), "--cv", "2", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and "2-fold cross-validation" in printed and "MASI" in printed
    table = pd.read_csv(out)
    assert len(table) == 4 * 8


def test_cli_evaluate_cv_with_extra_training(tmp_path, coded_files, model_file, capsys):
    code = main(["-q", "evaluate", str(coded_files[1]), "--cv", "2", "--train-extra", str(coded_files[0])])
    assert code == 0 and "200 more segments from" in capsys.readouterr().out
    bad = tmp_path / "bad_extra.csv"
    pd.read_csv(coded_files[0]).assign(themes="trust;weather").to_csv(bad, index=False)
    code, err = _run(capsys, "evaluate", coded_files[1], "--cv", "2", "--train-extra", bad)
    assert code == 1 and "bad_extra.csv" in err and "row 2" in err and "weather" in err
    code, err = _run(capsys, "evaluate", coded_files[1], "--model", model_file, "--train-extra", coded_files[0])
    assert code == 1 and "does not go with --model" in err


def test_cli_agree_shows_disagreements(tmp_path, capsys):
    a = pd.DataFrame({"id": ["1", "2", "3"], "themes": ["trust", "funding;power", ""]})
    b = pd.DataFrame({"id": ["1", "2", "3"], "themes": ["trust", "funding", "capacity"]})
    a.to_csv(tmp_path / "a.csv", index=False)
    b.to_csv(tmp_path / "b.csv", index=False)
    out = tmp_path / "diff.csv"
    code = main(["agree", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and "2 segments coded differently" in printed
    diff = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert diff[["id", "only_a", "only_b"]].values.tolist() == [["2", "power", ""], ["3", "", "capacity"]]
    assert main(["agree", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n_segments"] == 3 and len(report["disagreements"]) == 2


def test_cli_agree_errors(tmp_path, capsys):
    pd.DataFrame({"id": ["1", "1"], "themes": ["trust", ""]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"key": ["1"], "themes": ["trust"]}).to_csv(tmp_path / "b.csv", index=False)
    code, err = _run(capsys, "agree", tmp_path / "a.csv", tmp_path / "b.csv", "--id-col", "id")
    assert code == 1 and "duplicate id '1'" in err and "a.csv" in err
    pd.DataFrame({"id": ["1"], "themes": ["trust"]}).to_csv(tmp_path / "a.csv", index=False)
    code, err = _run(capsys, "agree", tmp_path / "a.csv", tmp_path / "b.csv", "--id-col", "id")
    assert code == 1 and "b.csv" in err and "'id'" in err
    pd.DataFrame({"id": ["1"], "themes": ["trusst"]}).to_csv(tmp_path / "b.csv", index=False)
    code, err = _run(capsys, "agree", tmp_path / "a.csv", tmp_path / "b.csv")
    assert code == 1 and "unknown theme 'trusst'" in err


# --- quotes and anonymise ----------------------------------------------------------

@pytest.fixture(scope="module")
def coded_table(tmp_path_factory):
    path = tmp_path_factory.mktemp("quotes") / "coded.csv"
    assert main(["-q", "code", str(pt.bundled_corpus() / "survey.csv"), "--out", str(path), "--text-col",
                 "done_differently", "--skip-empty", "--rules-only"]) == 0
    return path


@pytest.mark.parametrize("suffix", [".csv", ".md", ".docx"])
def test_cli_quotes_formats(tmp_path, coded_table, suffix, capsys):
    out = tmp_path / f"quotes{suffix}"
    code, err = _run(capsys, "quotes", coded_table, "--text-col", "done_differently", "--by", "sector",
                     "-n", "2", "--out", out, "--hide-areas")
    assert code == 0 and out.is_file()
    if suffix == ".csv":
        table = pd.read_csv(out, dtype=str, keep_default_na=False)
        assert list(table.columns)[:5] == ["theme", "rank", "id", "quote", "attribution"]
        assert {"confidence", "typicality", "diversity", "length_score", "total"} <= set(table.columns)
        assert table["attribution"].str.contains("Area").all()


def test_cli_quotes_one_theme_and_errors(tmp_path, coded_table, capsys):
    out = tmp_path / "q.csv"
    assert _run(capsys, "quotes", coded_table, "--text-col", "done_differently", "--theme", "funding",
                "--out", out)[0] == 0
    assert set(pd.read_csv(out)["theme"]) == {"funding"}
    code, err = _run(capsys, "quotes", coded_table, "--out", tmp_path / "x.csv")
    assert code == 1 and "'text'" in err and "coded.csv" in err
    code, err = _run(capsys, "quotes", coded_table, "--text-col", "done_differently", "--out", tmp_path / "x.pdf")
    assert code == 1 and ".docx" in err and not (tmp_path / "x.pdf").exists()


def test_cli_anonymise_contract(tmp_path, capsys):
    source = tmp_path / "in.csv"
    pd.DataFrame({
        "id": ["1", "2", "3"], "area": ["Sutton", "Wigan", "Sutton"],
        "answer": ["Ring Sarah Whitfield on 01632 960123.", "", "The NHS and the Compact."],
    }).to_csv(source, index=False)
    out, log_file, review = tmp_path / "out.csv", tmp_path / "log.csv", tmp_path / "review.csv"
    code, err = _run(capsys, "anonymise", source, "--text-col", "answer", "--out", out, "--log", log_file,
                     "--review", review, "--hide-areas")
    assert code == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["id"].tolist() == ["1", "2", "3"]
    assert result["answer"].tolist() == ["Ring [person 1] on [phone].", "", "The NHS and the Compact."]
    assert result["area"].tolist() == ["Area 1", "Area 2", "Area 1"]
    assert "Sarah Whitfield" in log_file.read_text(encoding="utf-8")
    assert "Whitfield" not in out.read_text(encoding="utf-8")


def test_cli_anonymise_errors(tmp_path, capsys):
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": ["a"]}).to_csv(source, index=False)
    code, err = _run(capsys, "anonymise", source, "--text-col", "answer", "--out", tmp_path / "o.csv")
    assert code == 1 and "'answer'" in err and not (tmp_path / "o.csv").exists()
    code, err = _run(capsys, "anonymise", source, "--out", tmp_path / "o.csv", "--log", tmp_path / "o.csv")
    assert code == 1 and "--log" in err
    code, err = _run(capsys, "anonymise", source, "--out", tmp_path / "o.csv", "--register", tmp_path / "none.yaml")
    assert code == 1 and "register file not found" in err


def test_cli_train_is_byte_for_byte_deterministic(tmp_path, coded_files, model_file):
    again = tmp_path / "again.skops"
    assert main(["-q", "train", str(coded_files[0]), "--out", str(again)]) == 0
    assert again.read_bytes() == model_file.read_bytes()


def test_cli_evaluate_bad_folds_and_union_model(tmp_path, coded_files, capsys):
    code, err = _run(capsys, "evaluate", coded_files[1], "--cv", "1")
    assert code == 1 and "between 2 and" in err and "Traceback" not in err
    union = tmp_path / "union.skops"
    assert main(["-q", "train", str(coded_files[0]), "--out", str(union), "--combine", "union"]) == 0
    assert main(["-q", "evaluate", str(coded_files[1]), "--model", str(union), "--json"]) == 0
    methods = {row["method"] for row in json.loads(capsys.readouterr().out)["scores"]}
    assert methods == {"rules", "model", "union"}


def test_cli_train_empty_text(tmp_path, coded_files, capsys):
    table = pd.read_csv(coded_files[0], dtype=str, keep_default_na=False)
    table.loc[7, "text"] = "  "
    table.to_csv(tmp_path / "gap.csv", index=False)
    code, err = _run(capsys, "train", tmp_path / "gap.csv", "--out", tmp_path / "m.skops")
    assert code == 1 and "row 9" in err and "empty text" in err and not (tmp_path / "m.skops").exists()
