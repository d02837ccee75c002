import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

import pipthemes as pt

ROOT = Path(__file__).resolve().parents[1]


def _train_default():
    spec = importlib.util.spec_from_file_location("train_default", ROOT / "scripts" / "train_default_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.train_default()


def test_default_model_loads_for_the_bundled_codebook():
    coder = pt.load_coder("default", codebook=pt.load_codebook())
    assert isinstance(coder, pt.Coder) and coder.combine == "stack"
    assert coder.n_training_segments_ == len(pt.training_split()[0])


def test_default_model_never_saw_the_heldout_interviews():
    train, held = pt.training_split()
    assert held["doc_id"].nunique() == 6 and held["area"].nunique() == 6
    assert set(held["sector"]) == {"public", "voluntary"}
    assert not set(train["segment_id"]) & set(held["segment_id"])


def test_default_model_never_saw_the_heldout_answers():
    import pandas as pd

    unseen = pd.read_csv(pt.bundled_corpus() / "heldout_answers.csv", dtype=str, keep_default_na=False)
    train, _ = pt.training_split()
    assert len(unseen) == 700 and unseen["segment_id"].is_unique
    assert not set(train["segment_id"]) & set(unseen["segment_id"])
    # stock phrases ("No, not really.", "Thank you to the facilitators.") occur in both
    substantive = {text for text in unseen["text"] if len(text.split()) > 5}
    assert not set(train["text"]) & substantive


def test_default_model_is_up_to_date_and_deterministic(tmp_path):
    """Retraining gives the very file that is shipped, byte for byte."""
    fresh = _train_default()
    path = pt.save_model(fresh, tmp_path / "default.skops", codebook=pt.load_codebook())
    assert path.read_bytes() == pt.bundled_model().read_bytes(), \
        "the shipped model is stale: run python scripts/train_default_model.py"
    shipped = pt.load_coder("default", codebook=pt.load_codebook())
    texts = pt.training_split()[1]["text"].tolist()
    np.testing.assert_array_equal(fresh.classifier_.predict_proba(texts), shipped.classifier_.predict_proba(texts))


def test_default_model_other_codebook_falls_back_to_rules(tiny_codebook, caplog):
    assert pt.load_coder("default", codebook=tiny_codebook) is None
    assert "rules only" in caplog.text


def test_default_model_none_means_rules():
    assert pt.load_coder(None, codebook=pt.load_codebook()) is None


def test_default_model_scores_heldout_better_than_rules_alone():
    """Not a target, a floor: the combination must not be worse than the rules on unseen text."""
    _, held = pt.training_split()
    table = pt.evaluate(held, model=pt.load_coder("default", codebook=pt.load_codebook()))
    macro = table[table["theme"] == "all"].set_index("method")["f1"]
    assert macro["stack"] > macro["rules"]
    assert isinstance(table, pd.DataFrame) and table.attrs["n_segments"] == len(held)
