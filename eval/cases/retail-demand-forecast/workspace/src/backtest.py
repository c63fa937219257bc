"""Rolling-origin backtest splits."""
from __future__ import annotations

import pandas as pd

from .features import DATE

WEEK = pd.Timedelta(weeks=1)


def test_weeks(cutoff: pd.Timestamp, horizon: int, gap: int) -> pd.DatetimeIndex:
    """Scored weeks: `gap` weeks are skipped after the cutoff, then `horizon` weeks."""
    return pd.date_range(cutoff + (gap + 1) * WEEK, periods=horizon, freq="W-MON")


def split(df: pd.DataFrame, cutoff: pd.Timestamp, horizon: int, gap: int,
          window: str = "expanding", train_weeks: int | None = None):
    """Train on everything up to and including `cutoff` (expanding window)."""
    train = df[df[DATE] <= cutoff]
    if window == "sliding":
        train = train[train[DATE] > cutoff - train_weeks * WEEK]
    future = df[(df[DATE] > cutoff) & (df[DATE] <= test_weeks(cutoff, horizon, gap)[-1])]
    return train, future
