"""Global LightGBM model: one regressor for all store x item series."""
from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pandas as pd

from . import features as F

PARAMS = dict(
    objective="regression",
    n_estimators=1200,
    learning_rate=0.03,
    num_leaves=63,
    min_child_samples=50,
    colsample_bytree=0.8,
    subsample=0.8,
    subsample_freq=1,
    reg_lambda=1.0,
    random_state=42,
    verbose=-1,
)

# Tiny configuration for CI and quick notebook smoke runs only.
SMOKE_PARAMS = {**PARAMS, "n_estimators": 50, "learning_rate": 0.05, "num_leaves": 15}

EARLY_STOPPING_ROUNDS = 50


def fit(train: pd.DataFrame, valid_weeks: int, params: dict | None = None):
    """Fit on the training window; the last `valid_weeks` weeks drive early stopping."""
    params = params or PARAMS
    cols = F.feature_columns(train)
    last = train[F.DATE].max()
    is_valid = train[F.DATE] > last - pd.Timedelta(weeks=valid_weeks)
    tr, va = train[~is_valid], train[is_valid]
    model = lgb.LGBMRegressor(**params)
    model.fit(
        tr[cols], tr["y"],
        eval_set=[(va[cols], va["y"])],
        categorical_feature=F.CATEGORICAL,
        callbacks=[lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False)],
    )
    return model, model.best_iteration_


def forecast_recursive(model, history: pd.DataFrame, future: pd.DataFrame) -> np.ndarray:
    """Predict week by week, writing each prediction back so later lags can use it.

    `future` holds the gap week(s) followed by the test weeks; only test weeks
    are scored by the caller.
    """
    cols = F.feature_columns(history)
    frame = pd.concat([history, future.assign(y=np.nan)], ignore_index=True)
    for week in sorted(future[F.DATE].unique()):
        frame = F.add_rolling(F.add_lags(frame))
        rows = frame[F.DATE] == week
        frame.loc[rows, "y"] = model.predict(frame.loc[rows, cols])
    out = frame[frame[F.DATE].isin(future[F.DATE])]
    return F.inverse_target(out["y"].to_numpy())
