"""Seasonal-naive benchmark: repeat the value observed one season earlier."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .features import DATE, SERIES_KEYS, TARGET


def seasonal_naive(history: pd.DataFrame, test: pd.DataFrame, season_length: int = 52) -> np.ndarray:
    """For every test row, the same series' units `season_length` weeks earlier."""
    lookup = history[SERIES_KEYS + [DATE, TARGET]].copy()
    lookup[DATE] = lookup[DATE] + pd.Timedelta(weeks=season_length)
    merged = test[SERIES_KEYS + [DATE]].merge(lookup, on=SERIES_KEYS + [DATE], how="left")
    return merged[TARGET].fillna(0.0).to_numpy()
