import copy

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import pipthemes as pt

from .conftest import TINY_CODEBOOK


def test_codebook_bundled_has_seven_themes_with_rich_rules():
    cb = pt.load_codebook()
    assert cb.ids == ["trust", "representation", "capacity", "governance", "funding", "power", "exchange"]
    for theme in cb.themes:
        assert theme.definition and theme.include and theme.exclude and theme.examples
        assert len(theme.keywords) >= 25, theme.id
        assert theme.colour.startswith("#")


def test_codebook_reports_every_problem_at_once(tmp_path):
    data = copy.deepcopy(TINY_CODEBOOK)
    data["themes"][0]["rules"]["keywords"].append("")
    data["themes"][0]["colour"] = "green"
    data["themes"][1]["id"] = "Trust Theme"
    data["themes"][1]["rules"]["patterns"] = [[{"LEMMA": {"NOT_AN_OP": ["x"]}}]]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(pt.CodebookError) as info:
        pt.load_codebook(path)
    problems = info.value.problems
    assert len(problems) == 4
    assert info.value.path == str(path)
    text = str(info.value)
    assert "keyword[3] is ''" in text and "colour 'green'" in text
    assert "id 'Trust Theme' is not valid" in text and "not a valid spaCy token pattern" in text


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["themes"].append(copy.deepcopy(d["themes"][0])), "used more than once"),
        (lambda d: d["themes"][0].pop("definition"), "definition is missing"),
        (lambda d: d["themes"][0].update(colours="#000000"), "unknown key 'colours'"),
        (lambda d: d["themes"][1].update(rules={"keywords": []}), "no keywords or patterns"),
        (lambda d: d["themes"][1]["rules"]["keywords"].append("*fund"), "only a trailing '*'"),
        (lambda d: d.update(themes=[]), "'themes' is missing or empty"),
    ],
    ids=["duplicate-id", "no-definition", "unknown-key", "no-rules", "leading-glob", "no-themes"],
)
def test_codebook_validation_errors(mutate, expected):
    data = copy.deepcopy(TINY_CODEBOOK)
    mutate(data)
    with pytest.raises(pt.CodebookError, match=expected):
        pt.load_codebook(data)


def test_codebook_yaml_syntax_error_names_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nthemes:\n  - id: trust\n    label: [unclosed\n", encoding="utf-8")
    with pytest.raises(pt.CodebookError, match=r"broken.yaml: line \d+, column \d+: not valid YAML"):
        pt.load_codebook(path)


def test_codebook_missing_file_is_codebook_error(tmp_path):
    with pytest.raises(pt.CodebookError, match="file not found"):
        pt.load_codebook(tmp_path / "nope.yaml")


def test_codebook_errors_are_value_errors():
    assert issubclass(pt.CodebookError, ValueError) and issubclass(pt.CodebookError, pt.PipthemesError)


@settings(max_examples=25, deadline=None)
@given(
    label=st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=30).filter(str.strip),
    words=st.lists(st.from_regex(r"[a-z]{3,10}( [a-z]{3,10})?\*?", fullmatch=True), min_size=1, max_size=5, unique=True),
)
def test_codebook_round_trip(tmp_path_factory, label, words):
    data = copy.deepcopy(TINY_CODEBOOK)
    data["themes"][1]["label"] = label.strip()
    data["themes"][1]["rules"]["keywords"] = words
    cb = pt.load_codebook(data)
    path = tmp_path_factory.mktemp("rt") / "cb.yaml"
    pt.write_codebook(cb, path)
    again = pt.load_codebook(path)
    assert again == cb and again.hash == cb.hash
