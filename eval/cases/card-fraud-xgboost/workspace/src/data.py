"""Loading, account sampling, labelling and sample split for CFD-XGB."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

RAW_COLUMNS = [
    "txn_id",
    "account_id",
    "card_id",
    "pan",
    "txn_ts",
    "amount",
    "merchant_id",
    "merchant_name",
    "mcc",
    "pos_country",
    "entry_mode",
    "channel",
    "is_card_present",
    "is_contactless",
    "auth_result",
    "cardholder_name",
    "cardholder_gender",
    "date_of_birth",
    "billing_postcode",
    "card_open_date",
    "account_type",
    "fraud_confirmed_date",
]


def load_config(path: str | Path = "config/params.yaml") -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def _in_sample(account_id: str, frac: float, seed: int) -> bool:
    """Deterministic account-level sampling on a hash of the account id."""
    digest = hashlib.md5(f"{seed}:{account_id}".encode()).hexdigest()
    return int(digest[:8], 16) / 0xFFFFFFFF < frac


def _day_after(date: str) -> pd.Timestamp:
    return pd.Timestamp(date) + pd.Timedelta(days=1)


def load_transactions(cfg: dict) -> pd.DataFrame:
    """Read the authorisation export, keep the dev + OOT period and the account sample."""
    d = cfg["data"]
    df = pd.read_parquet(d["source_path"], columns=RAW_COLUMNS)
    df["txn_ts"] = pd.to_datetime(df["txn_ts"])
    df = df[(df["txn_ts"] >= pd.Timestamp(d["dev_start"])) & (df["txn_ts"] < _day_after(d["oot_end"]))]

    accounts = pd.Series(df["account_id"].unique())
    sampled = accounts[accounts.map(lambda a: _in_sample(a, d["account_sample_frac"], d["sample_seed"]))]
    return df[df["account_id"].isin(set(sampled))].reset_index(drop=True)


def add_label(df: pd.DataFrame, maturity_days: int) -> pd.DataFrame:
    """is_fraud = 1 when the authorisation is confirmed as fraud within the maturity window."""
    confirmed = pd.to_datetime(df["fraud_confirmed_date"])
    within = confirmed <= df["txn_ts"] + pd.Timedelta(days=maturity_days)
    df["is_fraud"] = (confirmed.notna() & within).astype("int8")
    return df


def split_samples(df: pd.DataFrame, cfg: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Development period split by account into train / dev; OOT is the later period."""
    d = cfg["data"]
    in_dev = (df["txn_ts"] >= pd.Timestamp(d["dev_start"])) & (df["txn_ts"] < _day_after(d["dev_end"]))
    in_oot = (df["txn_ts"] >= pd.Timestamp(d["oot_start"])) & (df["txn_ts"] < _day_after(d["oot_end"]))
    development = df[in_dev]

    accounts = development["account_id"].unique()
    rng = np.random.default_rng(d["sample_seed"])
    holdout = set(rng.choice(accounts, size=int(len(accounts) * d["dev_frac"]), replace=False))
    is_holdout = development["account_id"].isin(holdout)

    train = development[~is_holdout].copy()
    dev = development[is_holdout].copy()
    oot = df[in_oot].copy()
    return train, dev, oot
