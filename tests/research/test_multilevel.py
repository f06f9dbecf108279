"""Random-intercept logit: the quadrature reproduces the marginal likelihood computed by
direct numerical integration, the gradient is the likelihood's, and a fit recovers known
parameters from simulated data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from research import random_intercept_logit
from research.multilevel import _collapse, _Data, _objective


def _simulate(
    seed: int, groups: int, per: int, sigma: float
) -> tuple[pd.Series, pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(groups), per)
    x = rng.integers(0, 2, g.size).astype(float)
    u = rng.normal(0, sigma, groups)
    eta = -0.7 + 0.6 * x + u[g]
    y = (rng.random(g.size) < special.expit(eta)).astype(float)
    return pd.Series(y), pd.DataFrame({"const": 1.0, "x": x}), pd.Series(g)


def _quad_loglik(
    y: np.ndarray, x: np.ndarray, g: np.ndarray, beta: np.ndarray, sigma: float
) -> float:
    total = 0.0
    for k in np.unique(g):
        eta = x[g == k] @ beta
        yk = y[g == k]

        def f(u: float, eta: np.ndarray = eta, yk: np.ndarray = yk) -> float:
            p = special.expit(eta + u)
            return float(np.prod(np.where(yk == 1, p, 1 - p)) * stats.norm.pdf(u, scale=sigma))

        total += np.log(integrate.quad(f, -12 * sigma, 12 * sigma, epsabs=0, epsrel=1e-12)[0])
    return total


@pytest.mark.parametrize(("sigma", "per"), [(0.3, 5), (1.0, 20), (2.0, 40)])
def test_quadrature_matches_numerical_integration(sigma: float, per: int) -> None:
    y, x, g = _simulate(1, 6, per, sigma)
    beta = np.array([-0.5, 0.4])
    d = _Data(x.to_numpy(float), y.to_numpy(float), g.to_numpy(np.int64), 6)
    nodes, raw = np.polynomial.hermite_e.hermegauss(15)
    value, _ = _objective(np.append(beta, np.log(sigma)), d, nodes, raw * np.exp(nodes**2 / 2))
    assert -value == pytest.approx(
        _quad_loglik(y.to_numpy(), x.to_numpy(), g.to_numpy(), beta, sigma), abs=1e-4
    )


def test_gradient_is_the_derivative_of_the_likelihood() -> None:
    y, x, g = _simulate(2, 20, 15, 0.8)
    d = _Data(x.to_numpy(float), y.to_numpy(float), g.to_numpy(np.int64), 20)
    nodes, raw = np.polynomial.hermite_e.hermegauss(15)
    w = raw * np.exp(nodes**2 / 2)
    theta = np.array([-0.3, 0.2, np.log(0.7)])
    _, grad = _objective(theta, d, nodes, w)
    for j in range(3):
        e = np.zeros(3)
        e[j] = 1e-6
        numeric = (
            _objective(theta + e, d, nodes, w)[0] - _objective(theta - e, d, nodes, w)[0]
        ) / 2e-6
        assert grad[j] == pytest.approx(numeric, rel=1e-4, abs=1e-4)


@pytest.mark.parametrize(("seed", "sigma"), [(3, 0.5), (4, 1.0)])
def test_fit_recovers_simulated_parameters(seed: int, sigma: float) -> None:
    y, x, g = _simulate(seed, 300, 40, sigma)
    fit = random_intercept_logit(y, x, g)
    assert fit.converged
    est = fit.table["estimate"]
    se = fit.table["se"]
    assert abs(est["x"] - 0.6) < 4 * se["x"]
    assert abs(est["const"] + 0.7) < 4 * se["const"]
    assert fit.group_sd_ci[0] < sigma < fit.group_sd_ci[1] or abs(fit.group_sd - sigma) < 0.1


def test_mismatched_lengths_are_refused() -> None:
    y, x, g = _simulate(5, 4, 5, 0.5)
    with pytest.raises(ValueError, match="行数"):
        random_intercept_logit(y.iloc[:-1], x, g)


@pytest.mark.parametrize("sigma", [0.3, 1.5])
def test_collapsed_binomial_rows_have_the_same_likelihood(sigma: float) -> None:
    """Fits collapse rows sharing group and covariates into binomial counts: the likelihood and
    its gradient must not change."""
    y, x, g = _simulate(6, 12, 30, sigma)
    codes = g.to_numpy(np.int64)
    rows = _Data(x.to_numpy(float), y.to_numpy(float), codes, 12)
    collapsed = _collapse(x.to_numpy(float), y.to_numpy(float), codes)
    assert len(collapsed.y) < len(y) and collapsed.trials.sum() == len(y)
    nodes, raw = np.polynomial.hermite_e.hermegauss(9)
    w = raw * np.exp(nodes**2 / 2)
    theta = np.array([-0.4, 0.5, np.log(sigma)])
    value, grad = _objective(theta, rows, nodes, w)
    value_c, grad_c = _objective(theta, collapsed, nodes, w)
    assert value_c == pytest.approx(value, rel=1e-10)
    np.testing.assert_allclose(grad_c, grad, rtol=1e-8, atol=1e-8)
