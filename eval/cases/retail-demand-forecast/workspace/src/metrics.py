"""Point-forecast error metrics, all on the original unit scale."""
from __future__ import annotations

import numpy as np


def mape(y, p) -> float:
    y, p = np.asarray(y, float), np.asarray(p, float)
    nz = y > 0  # weeks without sales are left out of MAPE
    return 100.0 * np.mean(np.abs(y[nz] - p[nz]) / y[nz])


def wape(y, p) -> float:
    y, p = np.asarray(y, float), np.asarray(p, float)
    return 100.0 * np.abs(y - p).sum() / np.abs(y).sum()


def rmse(y, p) -> float:
    y, p = np.asarray(y, float), np.asarray(p, float)
    return float(np.sqrt(np.mean((y - p) ** 2)))


def bias(y, p) -> float:
    """Signed total error relative to total actuals; positive = over-forecast."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    return 100.0 * (p - y).sum() / y.sum()


def evaluate(y, p) -> dict:
    return {"MAPE": mape(y, p), "WAPE": wape(y, p), "RMSE": rmse(y, p), "bias": bias(y, p)}
