"""A faithful NumPy/SciPy port of scikit-learn's binary GaussianProcessClassifier (Laplace).

scikit-learn is not installable here, so this follows sklearn/gaussian_process/_gpc.py
(_BinaryGaussianProcessClassifierLaplace, scikit-learn 1.5): R&W Algorithm 3.1 (_posterior_mode,
max_iter_predict=100, tolerance 1e-10 on the Laplace evidence, f restarted at zero for every evaluation
since warm_start=False), Algorithm 5.1 for the gradient (log_marginal_likelihood), optimizer
"fmin_l_bfgs_b" = scipy.optimize.minimize(method="L-BFGS-B", jac=True) on log theta within the kernel's
bounds (1e-5, 1e5), no restarts, and predict_proba's erf-mixture approximation of the logistic-Gaussian
integral (LAMBDAS, COEFS). Kernel: ConstantKernel(1.0) * RBF(1.0), scikit-learn's default.

Usage: python3 gpc_laplace_port.py DIR N_TRAIN N_TEST SEED
writes DIR/train.csv, DIR/test.csv (x0,x1,label) and prints one result line.
"""
import sys
import time

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve
from scipy.optimize import minimize
from scipy.special import erf, expit

LAMBDAS = np.array([0.41, 0.4, 0.37, 0.44, 0.39])[:, np.newaxis]
COEFS = np.array([-1854.8214151, 3516.89893646, 221.29346712, 128.12323805, -2010.49422654])[:, np.newaxis]


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=(n, 2))
    y = (np.sin(1.5 * x[:, 0]) + 0.5 * x[:, 1] + 0.6 * rng.standard_normal(n) > 0).astype(float)
    return x, y


def kernel(theta, x, z=None, eval_gradient=False):
    """ConstantKernel * RBF with theta = log([constant, length])."""
    c, length = np.exp(theta)
    z = x if z is None else z
    d2 = (np.sum(x ** 2, 1)[:, None] + np.sum(z ** 2, 1)[None, :] - 2 * x @ z.T) / length ** 2
    d2 = np.maximum(d2, 0)
    k = c * np.exp(-0.5 * d2)
    if not eval_gradient:
        return k
    return k, np.dstack([k, k * d2])


def posterior_mode(k, y):
    f = np.zeros_like(y)
    lml = -np.inf
    for _ in range(100):
        pi = expit(f)
        w = pi * (1 - pi)
        w_sr = np.sqrt(w)
        w_sr_k = w_sr[:, np.newaxis] * k
        b_mat = np.eye(w.shape[0]) + w_sr_k * w_sr
        lower = cholesky(b_mat, lower=True)
        b = w * f + (y - pi)
        a = b - w_sr * cho_solve((lower, True), w_sr_k.dot(b))
        f = k.dot(a)
        new = -0.5 * a.T.dot(f) - np.log1p(np.exp(-(y * 2 - 1) * f)).sum() - np.log(np.diag(lower)).sum()
        if new - lml < 1e-10:
            lml = new
            break
        lml = new
    return lml, (pi, w_sr, lower, b, a)


def log_marginal_likelihood(theta, x, y):
    k, k_gradient = kernel(theta, x, eval_gradient=True)
    z, (pi, w_sr, lower, b, a) = posterior_mode(k, y)
    d_z = np.empty(theta.shape[0])
    r = w_sr[:, np.newaxis] * cho_solve((lower, True), np.diag(w_sr))
    c = solve(lower, w_sr[:, np.newaxis] * k)
    s_2 = -0.5 * (np.diag(k) - np.einsum("ij, ij -> j", c, c)) * (pi * (1 - pi) * (1 - 2 * pi))
    for j in range(d_z.shape[0]):
        cj = k_gradient[:, :, j]
        s_1 = 0.5 * a.T.dot(cj).dot(a) - 0.5 * r.T.ravel().dot(cj.ravel())
        bj = cj.dot(y - pi)
        s_3 = bj - k.dot(r.dot(bj))
        d_z[j] = s_1 + s_2.T.dot(s_3)
    return z, d_z


def fit(x, y):
    theta0 = np.log([1.0, 1.0])
    bounds = np.log([[1e-5, 1e5], [1e-5, 1e5]])

    def obj(theta):
        lml, grad = log_marginal_likelihood(theta, x, y)
        return -lml, -grad

    res = minimize(obj, theta0, method="L-BFGS-B", jac=True, bounds=bounds)
    theta = res.x
    k = kernel(theta, x)
    _, (pi, w_sr, lower, _, _) = posterior_mode(k, y)
    return theta, pi, w_sr, lower, -res.fun, res.nfev


def predict_proba(theta, x, y, pi, w_sr, lower, xs):
    k_star = kernel(theta, x, xs)
    f_star = k_star.T.dot(y - pi)
    v = solve(lower, w_sr[:, np.newaxis] * k_star)
    var_f_star = np.exp(theta[0]) - np.einsum("ij,ij->j", v, v)
    alpha = 1 / (2 * var_f_star)
    gamma = LAMBDAS * f_star
    integrals = np.sqrt(np.pi / alpha) * erf(gamma * np.sqrt(alpha / (alpha + LAMBDAS ** 2))) / (
        2 * np.sqrt(var_f_star * 2 * np.pi))
    return (COEFS * integrals).sum(axis=0) + 0.5 * COEFS.sum()


def main():
    out, n, m, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x, y = make_data(n + m, seed)
    for name, rows in (("train", slice(0, n)), ("test", slice(n, n + m))):
        np.savetxt(f"{out}/{name}.csv", np.column_stack([x[rows], y[rows]]), delimiter=",", fmt="%.17g")
    xt, yt, xs, ys = x[:n], y[:n], x[n:], y[n:]
    start = time.perf_counter()
    theta, pi, w_sr, lower, lml, nfev = fit(xt, yt)
    p = np.clip(predict_proba(theta, xt, yt, pi, w_sr, lower, xs), 1e-15, 1 - 1e-15)
    seconds = time.perf_counter() - start
    log_loss = -np.mean(ys * np.log(p) + (1 - ys) * np.log(1 - p))
    acc = np.mean((p > 0.5) == (ys == 1))
    print(f"sklearn-port laplace  n={n} test={m} log_loss={log_loss:.4f} accuracy={acc:.4f} "
          f"lml={lml:.3f} kernel={np.exp(theta[0]):.4g}*rbf(length={np.exp(theta[1]):.4g}) "
          f"evaluations={nfev} seconds={seconds:.2f}")


if __name__ == "__main__":
    main()
