"""Final model fit for CFD-XGB v3.2.

Hyperparameters below are the configuration selected by the random search in
notebooks/02_train.ipynb.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import xgboost as xgb

XGB_PARAMS = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_depth": 6,
    "learning_rate": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.7,
    "min_child_weight": 5,
    "gamma": 1.0,
    "reg_lambda": 2.0,
    "n_estimators": 1500,
    "early_stopping_rounds": 50,
    "eval_metric": "aucpr",
    "random_state": 2023,
    "n_jobs": -1,
}

INT_PARAMS = ("max_depth", "min_child_weight", "n_estimators", "early_stopping_rounds")


def compute_scale_pos_weight(y) -> float:
    """Ratio of legitimate to fraudulent rows; used instead of resampling."""
    y = np.asarray(y)
    return float((y == 0).sum() / (y == 1).sum())


def fit_model(X_train, y_train, X_dev, y_dev, params=None, scale_pos_weight=None, verbose=False):
    p = {**XGB_PARAMS, **(params or {})}
    for k in INT_PARAMS:
        p[k] = int(p[k])
    if scale_pos_weight is None:
        scale_pos_weight = compute_scale_pos_weight(y_train)
    model = xgb.XGBClassifier(**p, scale_pos_weight=scale_pos_weight)
    model.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_dev, y_dev)], verbose=verbose)
    return model


def train_final(X_train, y_train, X_dev, y_dev, scale_pos_weight=None, verbose=100):
    return fit_model(X_train, y_train, X_dev, y_dev, scale_pos_weight=scale_pos_weight, verbose=verbose)


def main() -> None:
    from src.data import add_label, load_config, load_transactions, split_samples
    from src.features import add_risk_encodings, build_features, feature_columns

    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="config/params.yaml")
    args = ap.parse_args()

    cfg = load_config(args.config)
    txn = add_label(load_transactions(cfg), cfg["data"]["label_maturity_days"])
    feats = build_features(txn, windows=cfg["features"]["windows"])
    train, dev, oot = split_samples(feats, cfg)
    train, dev, oot = add_risk_encodings(train, dev, oot, cfg["features"]["mcc_smoothing"])
    cols = feature_columns(cfg["features"]["windows"])

    model = train_final(train[cols], train["is_fraud"], dev[cols], dev["is_fraud"])
    out = Path(cfg["outputs"]["model_path"])
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save_model(out)
    print(f"saved {out} (best_iteration={model.best_iteration})")


if __name__ == "__main__":
    main()
