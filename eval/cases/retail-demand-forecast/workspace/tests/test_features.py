import numpy as np
import pandas as pd

from src import features as F
from src.backtest import test_weeks


def test_leaky_columns_are_dropped():
    raw = pd.DataFrame({
        "store_id": [1, 1], "item_id": [7, 7], "dept_id": [2, 2],
        "week_start": pd.to_datetime(["2023-01-02", "2023-01-09"]),
        "units": [3.0, 5.0], "price": [2.0, 2.0], "on_promo": [0, 1],
        "revenue": [6.0, 10.0], "end_of_week_stock": [12, 7],
    })
    out = F.build_features(raw)
    assert "revenue" not in out and "end_of_week_stock" not in out


def test_target_roundtrip():
    u = pd.Series([0.0, 1.0, 40.0])
    assert np.allclose(F.inverse_target(F.transform_target(u)), u)


def test_gap_skips_one_week():
    weeks = test_weeks(pd.Timestamp("2023-04-17"), horizon=8, gap=1)
    assert weeks[0] == pd.Timestamp("2023-05-01") and len(weeks) == 8
