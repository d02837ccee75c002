import json
import zipfile

import numpy as np
import pytest
import skops.io as sio

import pipthemes as pt
from pipthemes.classifier import ThemeClassifier
from pipthemes.model_io import ModelError, load_model, save_model

from .test_classifier import TEXTS, Y


@pytest.fixture(scope="module")
def fitted():
    cb = pt.load_codebook({"name": "t", "themes": [
        {"id": "funding", "label": "F", "definition": "d", "rules": {"keywords": ["grant"]}},
        {"id": "trust", "label": "T", "definition": "d", "rules": {"keywords": ["trust"]}}]})
    return cb, ThemeClassifier(cv=2).fit(TEXTS, Y, themes=cb.ids)


def test_model_io_round_trip(tmp_path, fitted):
    cb, clf = fitted
    path = save_model(clf, tmp_path / "m.skops", codebook=cb)
    again = load_model(path, codebook=cb)
    assert np.array_equal(again.predict_proba(TEXTS), clf.predict_proba(TEXTS))
    assert np.array_equal(again.thresholds_, clf.thresholds_)
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if n.endswith((".pkl", ".pickle"))]


def test_model_io_codebook_mismatch(tmp_path, fitted):
    cb, clf = fitted
    path = save_model(clf, tmp_path / "m.skops", codebook=cb)
    with pytest.raises(ModelError, match="trained for another codebook"):
        load_model(path, codebook=pt.load_codebook())


def test_model_io_refuses_tampered_file_without_running_it(tmp_path, fitted, monkeypatch):
    cb, clf = fitted
    path = save_model(clf, tmp_path / "m.skops", codebook=cb)
    tampered = tmp_path / "evil.skops"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "schema.json":
                schema = json.loads(data)
                model = schema["content"]["model"]
                model["__module__"], model["__class__"] = "os", "system"
                data = json.dumps(schema).encode()
            dst.writestr(item, data)
    calls = []
    monkeypatch.setattr("os.system", lambda *a: calls.append(a))
    with pytest.raises(ModelError, match="refusing to load.*os.system"):
        load_model(tampered, codebook=cb)
    assert calls == []


def test_model_io_not_a_model(tmp_path, fitted):
    cb, _ = fitted
    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a readable model file"):
        load_model(junk, codebook=cb)
    other = tmp_path / "other.skops"
    sio.dump({"hello": 1}, other)
    with pytest.raises(ModelError, match="not a pipthemes model file"):
        load_model(other, codebook=cb)
    with pytest.raises(ModelError, match="model file not found"):
        load_model(tmp_path / "none.skops", codebook=cb)
