import numpy as np

from src.monitoring import psi, traffic_light


def test_psi_identical_is_zero():
    x = np.random.default_rng(0).normal(size=5_000)
    assert psi(x, x) < 1e-9


def test_traffic_light_bands():
    assert traffic_light(0.04) == "green"
    assert traffic_light(0.12) == "amber"
    assert traffic_light(0.31) == "red"
