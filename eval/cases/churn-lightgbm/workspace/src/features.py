"""Feature building for the churn model.

raw snapshot table -> (X, y, meta). meta keeps the snapshot date (and ids) so
that split.py can do the time split after the id columns are gone from X.
"""
import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

ID_COLS = ["subscriber_id", "account_id", "msisdn"]

# only known once the customer is already leaving (see data/README.md)
LEAKY = [
    "port_out_request_flag",
    "retention_offer_accepted",
    "disconnect_reason",
    "days_to_disconnect",
]

PROTECTED = ["gender"]  # TODO age_band? waiting on legal review

CATEGORICAL = ["plan_type", "contract_type", "payment_method", "region", "device_os", "age_band"]


def _usage_trends(df, windows, eps):
    out = {}
    for kind in ("data_mb", "voice_min", "sms"):
        cur = df[f"{kind}_m0"]
        for w in windows:
            if w == 1:
                prev = df[f"{kind}_m1"]
            else:
                prev = df[[f"{kind}_m{i}" for i in range(1, w + 1)]].mean(axis=1)
            out[f"{kind}_trend_{w}m"] = cur / (prev + eps) - 1.0
    return pd.DataFrame(out, index=df.index)


def build_features(df, cfg):
    fcfg = cfg.get("features", {})
    target = cfg["data"]["target"]
    date_col = cfg["data"]["date_col"]
    eps = float(fcfg.get("ratio_eps", 1e-6))
    windows = fcfg.get("usage_windows", [1, 3])

    meta = df[[date_col] + [c for c in ID_COLS if c in df.columns]].copy()
    y = df[target].astype(int)

    drop = ID_COLS + LEAKY + PROTECTED + [target, date_col]
    X = df.drop(columns=[c for c in drop if c in df.columns])

    trends = _usage_trends(X, windows, eps)
    X = pd.concat([X, trends], axis=1)
    X["arpu_change_3m"] = X["arpu_m0"] / (X["arpu_m3"] + eps) - 1.0
    X["support_calls_90d"] = X[["support_calls_m0", "support_calls_m1", "support_calls_m2"]].sum(axis=1)
    X["tenure_bucket"] = pd.cut(X["tenure_months"], bins=fcfg.get("tenure_bins"), right=False, labels=False)
    X["is_month_to_month"] = (X["contract_type"] == "M2M").astype(int)
    X["contract_months_left"] = X["contract_months_left"].clip(lower=0)

    # raw monthly usage is replaced by the trends above
    raw_usage = [c for c in X.columns if c.split("_m")[-1].isdigit() and not c.startswith("arpu_m0")]
    X = X.drop(columns=raw_usage)

    # no imputation, lgbm deals with NaN itself; just kill the infs from the ratios
    X = X.replace([np.inf, -np.inf], np.nan)

    for c in CATEGORICAL:
        if c in X.columns:
            X[c] = X[c].astype("category")

    log.info("built %d features on %d rows", X.shape[1], X.shape[0])
    return X, y, meta
