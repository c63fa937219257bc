"""Optimal binning wrapper used for the PD scorecard (optbinning)."""
import pandas as pd
from optbinning import OptimalBinning

MAX_BINS = 8                 # maximum number of bins per characteristic
MIN_BIN_SIZE = 0.05          # minimum share of observations in any bin
MIN_EVENT_RATE_DIFF = 0.02   # minimum bad-rate difference between adjacent bins
MONOTONIC_TREND = "auto_asc_desc"


def fit_binning(x, y, name=None):
    """Fit an OptimalBinning object on one characteristic."""
    is_cat = x.dtype == object or str(x.dtype) == "category"
    ob = OptimalBinning(
        name=name or x.name,
        dtype="categorical" if is_cat else "numerical",
        max_n_bins=MAX_BINS,
        min_bin_size=MIN_BIN_SIZE,
        min_event_rate_diff=MIN_EVENT_RATE_DIFF,
        monotonic_trend=None if is_cat else MONOTONIC_TREND,
    )
    ob.fit(x.values, y.values)
    return ob


def woe_transform(ob, x):
    """Replace raw values by the WoE of their bin."""
    return pd.Series(ob.transform(x.values, metric="woe"), index=x.index, name=x.name)
