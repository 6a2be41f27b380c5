"""Fusion of lexical and semantic scores: a z-score convex combination.

Each score list is standardised over the passages (z-scores), then combined as
``(1 - w) * z(bm25) + w * z(cosine)``. This is the convex combination of normalised scores studied
by Bruch, Gai & Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval" (ACM TOIS 2023), with
z-score normalisation. Measured on tests/data/eval.yaml it beat min-max normalisation and
reciprocal-rank fusion (RRF).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def z_scores(values: Sequence[float]) -> list[float]:
    """``(v - mean) / standard deviation`` for each value; all 0.0 when the values do not vary."""
    if not values:
        return []
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if spread <= 1e-12:
        return [0.0 for _ in values]
    return [(v - mean) / spread for v in values]


def convex_combination(lexical: Sequence[float], semantic: Sequence[float], weight: float) -> list[float]:
    """The z-score convex combination ``(1 - weight) * z(lexical) + weight * z(semantic)``, per passage.

    ``weight`` is in [0, 1]; both sequences have one score per passage. Raises ValueError when their
    lengths differ.
    """
    if len(lexical) != len(semantic):
        raise ValueError(f"one score per passage expected: {len(lexical)} lexical, {len(semantic)} semantic")
    return [(1 - weight) * a + weight * b for a, b in zip(z_scores(lexical), z_scores(semantic), strict=True)]
