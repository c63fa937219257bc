import logging

import pandas as pd
from sklearn.model_selection import train_test_split

log = logging.getLogger(__name__)


def time_split(dates, cfg):
    """train: <= train_end, valid: one calendar month, test: [test_start, test_end]"""
    d = pd.to_datetime(dates)
    train_end = pd.Timestamp(cfg["train_end"])
    vm = pd.Period(cfg["valid_month"], freq="M")
    test_start, test_end = pd.Timestamp(cfg["test_start"]), pd.Timestamp(cfg["test_end"])

    tr = d <= train_end
    va = (d >= vm.start_time) & (d <= vm.end_time)
    te = (d >= test_start) & (d <= test_end)
    return d.index[tr], d.index[va], d.index[te]


def stratified_split(y, cfg, seed):
    fb = cfg["fallback"]
    idx = y.index
    rest, te = train_test_split(idx, test_size=fb["test_size"], stratify=y, random_state=seed)
    # valid_size is a fraction of what is left after taking test out
    tr, va = train_test_split(rest, test_size=fb["valid_size"], stratify=y.loc[rest], random_state=seed)
    return tr, va, te


def make_splits(meta, y, cfg, seed=42, date_col="snapshot_date"):
    if date_col in meta.columns and meta[date_col].notna().any():
        tr, va, te = time_split(meta[date_col], cfg)
        if min(len(tr), len(va), len(te)) >= cfg.get("min_rows", 1000):
            log.info("time split: train=%d valid=%d test=%d", len(tr), len(va), len(te))
            return tr, va, te
        log.warning("time split too small (%d/%d/%d), falling back", len(tr), len(va), len(te))
    else:
        log.warning("no usable %s column, falling back to stratified split", date_col)
    return stratified_split(y, cfg, seed)
