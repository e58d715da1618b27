"""How many voices a recording holds (one to four) and which pieces share one.

Pieces long enough to embed reliably are clustered by spherical k-means (cosine similarity
of unit vectors, several seeded starts, weighted by seconds) for every k from 2 to
:data:`MAX_SPEAKERS`; the k with the best silhouette wins. A recording is one voice when
even the best split is poor (silhouette under :data:`MIN_SILHOUETTE`) or when the two halves
sound alike (centroids more similar than :data:`SAME_VOICE`). A cluster with under
:data:`MIN_SPEAKER_SECONDS` of speech is not a person: it joins the nearest one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_SPEAKERS = 4
MIN_SILHOUETTE = 0.12
SAME_VOICE = 0.88
MIN_SPEAKER_SECONDS = 3.0
STARTS = 8
ITERATIONS = 30


@dataclass(frozen=True)
class Voices:
    """The voices found: one unit-vector centroid per speaker, and how clear the split is."""

    centroids: np.ndarray
    silhouette: float


def find_voices(vectors: np.ndarray, seconds: np.ndarray) -> Voices:
    """Centroids of the voices among ``vectors`` (unit rows), weighted by ``seconds``."""
    if len(vectors) == 0:
        return Voices(np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 256)), 0.0)
    single = Voices(_unit(np.average(vectors, axis=0, weights=seconds)[None, :]), 0.0)
    best: Voices | None = None
    for k in range(2, min(MAX_SPEAKERS, len(vectors)) + 1):
        labels = _kmeans(vectors, seconds, k)
        labels = _drop_small(vectors, seconds, labels)
        if len(set(labels.tolist())) < k:
            continue
        score = _silhouette(vectors, labels, seconds)
        if best is None or score > best.silhouette:
            best = Voices(_centroids(vectors, seconds, labels, k), score)
    if best is None or best.silhouette < MIN_SILHOUETTE:
        return single
    return _merged(best, vectors, seconds)


def _kmeans(vectors: np.ndarray, seconds: np.ndarray, k: int) -> np.ndarray:
    """Labels of the best of several seeded spherical k-means runs (highest weighted
    similarity of each vector to its centroid)."""
    rng = np.random.default_rng(k)
    best_labels, best_fit = np.zeros(len(vectors), dtype=int), -np.inf
    for _ in range(STARTS):
        centroids = _plus_plus(vectors, seconds, k, rng)
        labels = np.full(len(vectors), -1)
        for _ in range(ITERATIONS):
            new = np.argmax(vectors @ centroids.T, axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            centroids = _centroids(vectors, seconds, labels, k, fallback=centroids)
        fit = float(np.sum(seconds * np.max(vectors @ centroids.T, axis=1)))
        if fit > best_fit:
            best_labels, best_fit = labels, fit
    return best_labels


def _plus_plus(vectors: np.ndarray, seconds: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ starting centroids: each next one far from those chosen."""
    chosen = [int(rng.choice(len(vectors), p=seconds / seconds.sum()))]
    while len(chosen) < k:
        distance = np.clip(1 - np.max(vectors @ vectors[chosen].T, axis=1), 0, None) ** 2 * seconds
        total = distance.sum()
        chosen.append(int(rng.choice(len(vectors), p=distance / total)) if total > 0 else int(rng.integers(len(vectors))))
    return vectors[chosen].copy()


def _centroids(vectors: np.ndarray, seconds: np.ndarray, labels: np.ndarray, k: int,
               fallback: np.ndarray | None = None) -> np.ndarray:
    rows = []
    for cluster in range(k):
        members = labels == cluster
        if members.any():
            rows.append(_unit(np.average(vectors[members], axis=0, weights=seconds[members])[None, :])[0])
        else:
            rows.append(fallback[cluster] if fallback is not None else vectors[0])
    return np.array(rows)


def _drop_small(vectors: np.ndarray, seconds: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Clusters with too little speech to be a person join their nearest cluster."""
    labels = labels.copy()
    while True:
        sizes = {c: float(seconds[labels == c].sum()) for c in set(labels.tolist())}
        small = [c for c, size in sizes.items() if size < MIN_SPEAKER_SECONDS]
        if not small or len(sizes) == 1:
            break
        gone = min(small, key=sizes.__getitem__)
        others = [c for c in sizes if c != gone]
        centroids = _centroids(vectors, seconds, labels, max(sizes) + 1)
        members = labels == gone
        labels[members] = np.array(others)[np.argmax(vectors[members] @ centroids[others].T, axis=1)]
    remap = {c: n for n, c in enumerate(sorted(set(labels.tolist())))}
    return np.array([remap[c] for c in labels.tolist()])


def _silhouette(vectors: np.ndarray, labels: np.ndarray, seconds: np.ndarray) -> float:
    """Seconds-weighted mean silhouette with cosine distance."""
    distance = 1 - vectors @ vectors.T
    clusters = sorted(set(labels.tolist()))
    mean_to = np.stack([np.average(distance[:, labels == c], axis=1, weights=seconds[labels == c])
                        for c in clusters], axis=1)
    own = mean_to[np.arange(len(vectors)), labels]
    mean_to[np.arange(len(vectors)), labels] = np.inf
    other = mean_to.min(axis=1)
    scores = (other - own) / np.maximum(np.maximum(own, other), 1e-9)
    return float(np.average(scores, weights=seconds))


def _merged(voices: Voices, vectors: np.ndarray, seconds: np.ndarray) -> Voices:
    """Voices whose centroids sound alike become one."""
    centroids = list(voices.centroids)
    while len(centroids) > 1:
        similarity = np.array(centroids) @ np.array(centroids).T
        np.fill_diagonal(similarity, -1)
        a, b = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if similarity[a, b] < SAME_VOICE:
            break
        joined = _unit((centroids[a] + centroids[b])[None, :])[0]
        centroids = [c for n, c in enumerate(centroids) if n not in (a, b)] + [joined]
    return Voices(np.array(centroids), voices.silhouette if len(centroids) > 1 else 0.0)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1)
