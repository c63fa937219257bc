"""Stability and discrimination metrics with RAG status for ongoing monitoring."""
import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

PSI_AMBER = 0.10   # PSI at or above this value -> amber
PSI_RED = 0.25     # PSI above this value -> red
EPS = 1e-6


def psi(expected, actual, bins=10):
    """Population stability index of `actual` against `expected`.

    bins=None treats the values as categories (e.g. WoE values of a binned characteristic).
    """
    expected = pd.Series(expected).dropna()
    actual = pd.Series(actual).dropna()
    if bins is None:
        e = expected.value_counts(normalize=True)
        a = actual.value_counts(normalize=True)
        e, a = e.align(a, fill_value=0.0)
    else:
        edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)))
        edges[0], edges[-1] = -np.inf, np.inf
        e = pd.cut(expected, edges).value_counts(normalize=True, sort=False)
        a = pd.cut(actual, edges).value_counts(normalize=True, sort=False)
    e = e.clip(lower=EPS)
    a = a.clip(lower=EPS)
    return float(((a - e) * np.log(a / e)).sum())


def ks_statistic(y, score):
    """Kolmogorov-Smirnov distance between the score distributions of bads and goods."""
    y = np.asarray(y)
    score = np.asarray(score)
    return float(ks_2samp(score[y == 1], score[y == 0]).statistic)


def traffic_light(value, amber=PSI_AMBER, red=PSI_RED):
    """Map a PSI value to green / amber / red."""
    if value > red:
        return "red"
    if value >= amber:
        return "amber"
    return "green"
