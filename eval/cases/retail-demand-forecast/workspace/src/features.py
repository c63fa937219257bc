"""Feature engineering for the weekly store x item demand model.

Every feature is computed per (store_id, item_id) series on the
log1p-transformed target, using only information available at the end of
the previous week.
"""
from __future__ import annotations

import holidays
import numpy as np
import pandas as pd

TARGET = "units"
SERIES_KEYS = ["store_id", "item_id"]
DATE = "week_start"

LAGS = [1, 2, 4, 52]
ROLLING_WINDOWS = [4, 13, 26]
PRICE_WINDOW = 13

# `revenue` is price * units, and `end_of_week_stock` is booked after the week
# closes. Both leak the target, so they are removed before anything else.
LEAKY_COLUMNS = ["revenue", "end_of_week_stock"]

CATEGORICAL = ["store_id", "item_id", "dept_id"]


def transform_target(units: pd.Series) -> pd.Series:
    """Model space: log1p of weekly units."""
    return np.log1p(units)


def inverse_target(y: np.ndarray) -> np.ndarray:
    """Back to units; negative predictions are floored at zero."""
    return np.clip(np.expm1(y), 0, None)


def add_lags(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby(SERIES_KEYS, observed=True)["y"]
    for lag in LAGS:
        df[f"lag_{lag}"] = g.shift(lag)
    return df


def add_rolling(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby(SERIES_KEYS, observed=True)["y"]
    for w in ROLLING_WINDOWS:
        # shift(1): the window ends with last week, never the current one
        df[f"roll_mean_{w}"] = g.transform(lambda s: s.shift(1).rolling(w, min_periods=1).mean())
    return df


def add_calendar(df: pd.DataFrame, country: str) -> pd.DataFrame:
    years = range(df[DATE].dt.year.min(), df[DATE].dt.year.max() + 2)
    cal = holidays.country_holidays(country, years=years)
    week_end = df[DATE] + pd.Timedelta(days=6)
    df["week_of_year"] = df[DATE].dt.isocalendar().week.astype("int16")
    df["month"] = df[DATE].dt.month.astype("int8")
    df["is_holiday_week"] = [
        int(any(d in cal for d in pd.date_range(s, e))) for s, e in zip(df[DATE], week_end)
    ]
    christmas = pd.to_datetime(df[DATE].dt.year.astype(str) + "-12-25")
    df["weeks_to_christmas"] = ((christmas - df[DATE]).dt.days // 7).clip(lower=-1)
    return df


def add_price(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby(SERIES_KEYS, observed=True)["price"]
    ref = g.transform(lambda s: s.shift(1).rolling(PRICE_WINDOW, min_periods=1).mean())
    df["price_ratio_13"] = df["price"] / ref
    df["log_price"] = np.log(df["price"])
    df["on_promo"] = df["on_promo"].astype("int8")
    return df


def build_features(raw: pd.DataFrame, country: str = "US") -> pd.DataFrame:
    df = raw.drop(columns=[c for c in LEAKY_COLUMNS if c in raw.columns])
    df = df.sort_values(SERIES_KEYS + [DATE]).reset_index(drop=True)
    df["y"] = transform_target(df[TARGET])
    df = add_lags(df)
    df = add_rolling(df)
    df = add_calendar(df, country)
    df = add_price(df)
    for c in CATEGORICAL:
        df[c] = df[c].astype("category")
    return df


def feature_columns(df: pd.DataFrame) -> list[str]:
    return (
        CATEGORICAL
        + [f"lag_{lag}" for lag in LAGS]
        + [f"roll_mean_{w}" for w in ROLLING_WINDOWS]
        + ["week_of_year", "month", "is_holiday_week", "weeks_to_christmas"]
        + ["price_ratio_13", "on_promo", "log_price"]
    )
