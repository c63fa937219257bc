"""Monitoring triggers for CFD-XGB.

The monitoring pack is produced monthly from production scores and matured
fraud labels. Amber = investigate and report to the model owner; red = escalate
to the Model Risk Review Board.
"""
from __future__ import annotations

MONITORING_FREQUENCY = "monthly"

# Population stability index, applied to the score and to every model feature
PSI_AMBER = 0.10
PSI_RED = 0.25

# Share of authorisations above the decision threshold
ALERT_RATE_TARGET = 0.005
ALERT_RATE_BAND = (0.004, 0.006)

# Absolute drop in recall at the decision threshold vs the OOT baseline (0.8150)
RECALL_BASELINE = 0.8150
RECALL_DROP_AMBER = 0.03
RECALL_DROP_RED = 0.05

# Below this many matured frauds in a month, recall is reported but not triggered
MIN_MONTHLY_FRAUD_CASES = 150


def status_for_psi(value: float) -> str:
    if value > PSI_RED:
        return "red"
    if value > PSI_AMBER:
        return "amber"
    return "green"


def status_for_alert_rate(rate: float) -> str:
    low, high = ALERT_RATE_BAND
    return "green" if low <= rate <= high else "amber"


def status_for_recall(recall: float, n_fraud: int, baseline: float = RECALL_BASELINE) -> str:
    if n_fraud < MIN_MONTHLY_FRAUD_CASES:
        return "insufficient-data"
    drop = baseline - recall
    if drop > RECALL_DROP_RED:
        return "red"
    if drop > RECALL_DROP_AMBER:
        return "amber"
    return "green"
