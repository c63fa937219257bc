import pandas as pd

from src.split import make_splits

CFG = {
    "train_end": "2023-06-30",
    "valid_month": "2023-07",
    "test_start": "2023-08-01",
    "test_end": "2023-09-30",
    "min_rows": 1,
    "fallback": {"method": "stratified", "test_size": 0.25, "valid_size": 0.1},
}


def _frame():
    dates = pd.date_range("2023-01-31", "2023-10-31", freq="M").repeat(20)
    meta = pd.DataFrame({"snapshot_date": dates})
    y = pd.Series([0, 1] * (len(meta) // 2), index=meta.index)
    return meta, y


def test_time_split_months():
    meta, y = _frame()
    tr, va, te = make_splits(meta, y, CFG)
    d = meta["snapshot_date"]
    assert d.loc[tr].max() <= pd.Timestamp("2023-06-30")
    assert set(d.loc[va].dt.month) == {7}
    assert set(d.loc[te].dt.month) == {8, 9}


def test_fallback_without_dates():
    meta, y = _frame()
    meta["snapshot_date"] = pd.NaT
    tr, va, te = make_splits(meta, y, CFG, seed=0)
    assert len(te) == len(y) // 4
    assert len(set(tr) | set(va) | set(te)) == len(y)
