"""Evaluation utilities for CFD-XGB: discrimination, alert-rate metrics, PSI."""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score


def threshold_for_alert_rate(scores, alert_rate: float) -> float:
    """Score cut-off above which `alert_rate` of the rows fall."""
    return float(np.quantile(np.asarray(scores), 1.0 - alert_rate))


def recall_at_alert_rate(y, scores, alert_rate: float) -> float:
    """Share of frauds among the top `alert_rate` fraction of scores."""
    y, scores = np.asarray(y), np.asarray(scores)
    k = int(round(len(scores) * alert_rate))
    top = np.argsort(-scores)[:k]
    return float(y[top].sum() / y.sum())


def at_threshold(y, scores, threshold: float) -> dict:
    y, pred = np.asarray(y), (np.asarray(scores) >= threshold).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    return {
        "alert_rate_at_threshold": pred.mean(),
        "precision_at_threshold": tp / max(tp + fp, 1),
        "recall_at_threshold": tp / max(tp + fn, 1),
    }


def psi(expected, actual, bins: int = 10) -> float:
    """Population stability index with decile bins taken from `expected`."""
    expected, actual = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.histogram(expected, edges)[0] / len(expected)
    a = np.histogram(actual, edges)[0] / len(actual)
    e, a = np.clip(e, 1e-6, None), np.clip(a, 1e-6, None)
    return float(np.sum((a - e) * np.log(a / e)))


def metrics_table(samples: dict, threshold: float, alert_rate: float) -> pd.DataFrame:
    rows = []
    for name, df in samples.items():
        y, s = df["is_fraud"].values, df["score"].values
        rows.append({
            "sample": name,
            "n_rows": len(df),
            "n_fraud": int(y.sum()),
            "auc": roc_auc_score(y, s),
            "pr_auc": average_precision_score(y, s),
            "recall_at_0.5pct_alert": recall_at_alert_rate(y, s, alert_rate),
            "threshold": threshold,
            **at_threshold(y, s, threshold),
        })
    return pd.DataFrame(rows).round(4)


def main() -> None:
    import xgboost as xgb

    from src.data import add_label, load_config, load_transactions, split_samples
    from src.features import add_risk_encodings, build_features, feature_columns

    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="config/params.yaml")
    ap.add_argument("--model", default="models/cfd_xgb_v3_2.json")
    args = ap.parse_args()

    cfg = load_config(args.config)
    txn = add_label(load_transactions(cfg), cfg["data"]["label_maturity_days"])
    feats = build_features(txn, windows=cfg["features"]["windows"])
    train, dev, oot = split_samples(feats, cfg)
    train, dev, oot = add_risk_encodings(train, dev, oot, cfg["features"]["mcc_smoothing"])
    cols = feature_columns(cfg["features"]["windows"])

    model = xgb.XGBClassifier()
    model.load_model(args.model)
    samples = {"train": train, "dev": dev, "oot": oot}
    for df in samples.values():
        df["score"] = model.predict_proba(df[cols])[:, 1]

    table = metrics_table(samples, cfg["decision"]["threshold"], cfg["decision"]["target_alert_rate"])
    table.to_csv(cfg["outputs"]["metrics_path"], index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
