"""The default embedder: the packaged model, offline, and vectors that mean something."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from annotations.search.embedding import MiniLMEmbedder, embed_in_batches

ROOT = Path(__file__).resolve().parents[2]


def test_paraphrases_are_closer_than_unrelated_sentences():
    embedder = MiniLMEmbedder()
    a, b, c = embedder.embed(
        [
            "Wind turbines cause cancer in people who live near them.",
            "Living close to a wind farm gives you tumours.",
            "The council approved new bus lanes on the ring road.",
        ]
    )
    assert np.allclose(np.linalg.norm([a, b, c], axis=1), 1.0, atol=1e-5)
    assert float(a @ b) > 0.5
    assert float(a @ b) > float(a @ c) + 0.3


def test_batches_give_the_vectors_of_single_calls():
    embedder = MiniLMEmbedder()
    texts = ["short", "a somewhat longer sentence about vaccines and masks", "mid length text"]
    together = embed_in_batches(embedder, texts)
    alone = np.stack([embedder.embed([text])[0] for text in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_batches_embedded_on_several_threads_give_the_same_vectors_in_the_same_order():
    embedder = MiniLMEmbedder()
    texts = [f"Sentence {n} about {'vaccines ' * (n % 7)}and masks." for n in range(70)]
    alone = embed_in_batches(embedder, texts, threads=1)
    assert np.allclose(embed_in_batches(embedder, texts, threads=3), alone, atol=1e-5)


def test_it_runs_with_no_network_and_no_model_cache(tmp_path):
    # A fresh process with the hub switched off and empty caches: the model and tokenizer
    # must come from installed packages.
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
    }
    code = (
        "from annotations.search.embedding import MiniLMEmbedder\n"
        "print(MiniLMEmbedder().embed_query('vaccines cause autism').shape)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(384,)"
    assert not (tmp_path / "hf").exists()
