"""Train the churn LightGBM model.

    python -m src.train --params params.yaml

writes models/churn_lgbm.txt and reports/metrics.json (validation month only,
test months are evaluated in notebooks/eval.ipynb).
"""
import argparse
import json
import logging
import os
from datetime import datetime

import lightgbm as lgb
import numpy as np
import pandas as pd
import yaml

from src.features import CATEGORICAL, build_features
from src.split import make_splits

log = logging.getLogger("train")


def parse_args():
    p = argparse.ArgumentParser(description="train churn lgbm")
    p.add_argument("--params", default="params.yaml")
    p.add_argument("--data", default=None, help="override data.raw")
    p.add_argument("--learning-rate", type=float, default=0.05)
    p.add_argument("--num-leaves", type=int, default=31)
    p.add_argument("--n-estimators", type=int, default=2000)
    p.add_argument("--early-stopping-rounds", type=int, default=100)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", default="models/churn_lgbm.txt")
    p.add_argument("--metrics-out", default="reports/metrics.json")
    return p.parse_args()


def lgb_params(args, cfg):
    params = {
        "learning_rate": args.learning_rate,
        "num_leaves": args.num_leaves,
        "seed": args.seed,
        "deterministic": True,
    }
    # params.yaml wins over the CLI defaults so dvc exps are reproducible from the yaml alone
    params.update(cfg.get("model", {}))
    return params


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = parse_args()
    with open(args.params) as fh:
        cfg = yaml.safe_load(fh)

    np.random.seed(args.seed)
    df = pd.read_parquet(args.data or cfg["data"]["raw"])
    log.info("loaded %s rows", f"{len(df):,}")

    X, y, meta = build_features(df, cfg)
    tr, va, _te = make_splits(meta, y, cfg["split"], seed=args.seed, date_col=cfg["data"]["date_col"])

    cats = [c for c in CATEGORICAL if c in X.columns]
    dtrain = lgb.Dataset(X.loc[tr], y.loc[tr], categorical_feature=cats, free_raw_data=False)
    dvalid = lgb.Dataset(X.loc[va], y.loc[va], reference=dtrain)

    params = lgb_params(args, cfg)
    log.info("params: %s", params)
    booster = lgb.train(
        params,
        dtrain,
        num_boost_round=args.n_estimators,
        valid_sets=[dvalid],
        valid_names=["valid"],
        callbacks=[
            lgb.early_stopping(args.early_stopping_rounds, first_metric_only=True),
            lgb.log_evaluation(100),
        ],
    )

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    booster.save_model(args.out, num_iteration=booster.best_iteration)

    metrics = {
        "run_at": datetime.now().strftime("%Y-%m-%dT%H:%M:%S"),
        "best_iteration": booster.best_iteration,
        "valid": {k: round(v, 4) for k, v in booster.best_score["valid"].items()},
        "n_train": int(len(tr)),
        "n_valid": int(len(va)),
        "n_features": int(X.shape[1]),
        "params": {**params, "num_boost_round": args.n_estimators,
                   "early_stopping_rounds": args.early_stopping_rounds},
    }
    os.makedirs(os.path.dirname(args.metrics_out), exist_ok=True)
    with open(args.metrics_out, "w") as fh:
        json.dump(metrics, fh, indent=2)
    log.info("valid %s @ iter %d", metrics["valid"], booster.best_iteration)


if __name__ == "__main__":
    main()
