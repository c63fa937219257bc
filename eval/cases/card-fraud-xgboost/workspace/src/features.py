"""Feature engineering for CFD-XGB.

Per-card rolling aggregates over the windows listed in params.yaml
(features.windows), transaction attributes and static card attributes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

WINDOWS = ("1h", "24h", "7d")

# Never passed to the model: card identifiers (PCI scope), free text,
# location identifiers and protected characteristics.
EXCLUDED_FIELDS = [
    "pan",
    "cardholder_name",
    "merchant_name",
    "billing_postcode",
    "cardholder_gender",
    "date_of_birth",
]

WINDOW_AGGS = [
    "txn_count",
    "amt_sum",
    "amt_max",
    "distinct_merchants",
    "distinct_mcc",
    "cnp_count",
    "declined_count",
]

TXN_FEATURES = [
    "amount",
    "log_amount",
    "hour_of_day",
    "day_of_week",
    "is_card_present",
    "is_ecom",
    "is_contactless",
    "is_foreign",
    "mcc_risk",
    "entry_mode_code",
    "pos_country_risk",
]

RATIO_FEATURES = ["amt_to_avg_24h_ratio", "amt_to_avg_7d_ratio", "secs_since_last_txn"]

STATIC_FEATURES = ["card_tenure_days", "account_type_credit", "cardholder_age"]

HOME_COUNTRY = "GB"


def _window_features(df: pd.DataFrame, window: str) -> pd.DataFrame:
    """Aggregates over the `window` preceding each authorisation (current one excluded)."""
    g = df.set_index("txn_ts").groupby("card_id", sort=False)
    roll = lambda s: s.rolling(window, closed="left")  # noqa: E731
    out = pd.DataFrame(index=df.index)
    out[f"txn_count_{window}"] = g["amount"].apply(lambda s: roll(s).count()).values
    out[f"amt_sum_{window}"] = g["amount"].apply(lambda s: roll(s).sum()).values
    out[f"amt_max_{window}"] = g["amount"].apply(lambda s: roll(s).max()).values
    out[f"distinct_merchants_{window}"] = g["merchant_code"].apply(lambda s: roll(s).apply(lambda x: len(set(x)))).values
    out[f"distinct_mcc_{window}"] = g["mcc"].apply(lambda s: roll(s).apply(lambda x: len(set(x)))).values
    out[f"cnp_count_{window}"] = g["is_cnp"].apply(lambda s: roll(s).sum()).values
    out[f"declined_count_{window}"] = g["is_declined"].apply(lambda s: roll(s).sum()).values
    return out.fillna(0)


def build_features(txn: pd.DataFrame, windows=WINDOWS) -> pd.DataFrame:
    df = txn.sort_values(["card_id", "txn_ts"]).reset_index(drop=True)
    df["merchant_code"] = df["merchant_id"].astype("category").cat.codes
    df["is_cnp"] = (~df["is_card_present"].astype(bool)).astype("int8")
    df["is_declined"] = (df["auth_result"] != "APPROVED").astype("int8")

    # transaction attributes
    df["log_amount"] = np.log1p(df["amount"])
    df["hour_of_day"] = df["txn_ts"].dt.hour
    df["day_of_week"] = df["txn_ts"].dt.dayofweek
    df["is_ecom"] = (df["channel"] == "ECOM").astype("int8")
    df["is_foreign"] = (df["pos_country"] != HOME_COUNTRY).astype("int8")
    df["entry_mode_code"] = df["entry_mode"].astype("category").cat.codes

    # static card attributes
    df["card_tenure_days"] = (df["txn_ts"] - pd.to_datetime(df["card_open_date"])).dt.days
    df["account_type_credit"] = (df["account_type"] == "CREDIT").astype("int8")
    df["cardholder_age"] = ((df["txn_ts"] - pd.to_datetime(df["date_of_birth"])).dt.days // 365).fillna(-1).astype("int16")

    for w in windows:
        df = df.join(_window_features(df, w))

    prev_ts = df.groupby("card_id")["txn_ts"].shift(1)
    df["secs_since_last_txn"] = (df["txn_ts"] - prev_ts).dt.total_seconds().fillna(-1)
    df["amt_to_avg_24h_ratio"] = df["amount"] / (df["amt_sum_24h"] / df["txn_count_24h"].clip(lower=1)).replace(0, np.nan)
    df["amt_to_avg_7d_ratio"] = df["amount"] / (df["amt_sum_7d"] / df["txn_count_7d"].clip(lower=1)).replace(0, np.nan)

    return df.drop(columns=[c for c in EXCLUDED_FIELDS if c in df.columns])


def fit_risk_encoding(train: pd.DataFrame, column: str, smoothing: float) -> dict:
    """Smoothed fraud rate per category, fitted on the training partition only."""
    prior = train["is_fraud"].mean()
    stats = train.groupby(column)["is_fraud"].agg(["sum", "count"])
    enc = (stats["sum"] + smoothing * prior) / (stats["count"] + smoothing)
    return {"mapping": enc.to_dict(), "prior": prior}


def apply_risk_encoding(df: pd.DataFrame, column: str, enc: dict, name: str) -> pd.DataFrame:
    df[name] = df[column].map(enc["mapping"]).fillna(enc["prior"])
    return df


def add_risk_encodings(train, dev, oot, smoothing: float):
    mcc_enc = fit_risk_encoding(train, "mcc", smoothing)
    country_enc = fit_risk_encoding(train, "pos_country", smoothing)
    for part in (train, dev, oot):
        apply_risk_encoding(part, "mcc", mcc_enc, "mcc_risk")
        apply_risk_encoding(part, "pos_country", country_enc, "pos_country_risk")
    return train, dev, oot


def feature_columns(windows=WINDOWS) -> list[str]:
    cols = [f"{agg}_{w}" for w in windows for agg in WINDOW_AGGS]
    return cols + RATIO_FEATURES + TXN_FEATURES + STATIC_FEATURES
