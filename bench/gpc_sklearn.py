"""scikit-learn's binary GaussianProcessClassifier (Laplace) on the data of bench/gpc-inference.sh.

Writes DIR/train.csv and DIR/test.csv (x0,x1,label; 2-D inputs uniform on [-3, 3]², label
1{sin(1.5·x0) + 0.5·x1 + 0.6·noise > 0}) and fits the real estimator with
kernel = ConstantKernel(1.0) * RBF(1.0) (bounds 1e-5..1e5 on both, so both are learned),
its default optimizer ("fmin_l_bfgs_b"), n_restarts_optimizer = 0, then prints one result line:
test log-loss, accuracy, learned kernel, the number of marginal-likelihood evaluations, wall
seconds and process CPU seconds (all BLAS threads) of fit + predict_proba.

Usage: python3 gpc_sklearn.py DIR N_TRAIN N_TEST SEED
"""
import sys
import time

import numpy as np
from sklearn.gaussian_process import GaussianProcessClassifier
from sklearn.gaussian_process.kernels import RBF, ConstantKernel
from sklearn.gaussian_process import _gpc


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=(n, 2))
    y = (np.sin(1.5 * x[:, 0]) + 0.5 * x[:, 1] + 0.6 * rng.standard_normal(n) > 0).astype(float)
    return x, y


def main():
    out, n, m, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x, y = make_data(n + m, seed)
    for name, rows in (("train", slice(0, n)), ("test", slice(n, n + m))):
        np.savetxt(f"{out}/{name}.csv", np.column_stack([x[rows], y[rows]]), delimiter=",", fmt="%.17g")
    xt, yt, xs, ys = x[:n], y[:n], x[n:], y[n:]
    # counts the evidence evaluations without changing them
    calls = [0]
    original = _gpc._BinaryGaussianProcessClassifierLaplace.log_marginal_likelihood

    def counted(self, *args, **kwargs):
        calls[0] += 1
        out = original(self, *args, **kwargs)
        # progress on stderr, so a long run can be followed and compared evaluation by evaluation
        print(f"scikit-learn evaluation {calls[0]}: cpu {time.process_time() - cpu:.1f} s", file=sys.stderr, flush=True)
        return out

    _gpc._BinaryGaussianProcessClassifierLaplace.log_marginal_likelihood = counted
    wall = time.perf_counter()
    cpu = time.process_time()
    gpc = GaussianProcessClassifier(kernel=ConstantKernel(1.0) * RBF(1.0), n_restarts_optimizer=0, random_state=0)
    gpc.fit(xt, yt)
    p = np.clip(gpc.predict_proba(xs)[:, 1], 1e-15, 1 - 1e-15)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    log_loss = -np.mean(ys * np.log(p) + (1 - ys) * np.log(1 - p))
    acc = np.mean((p > 0.5) == (ys == 1))
    k = gpc.kernel_
    print(f"scikit-learn laplace  n={n} test={m} log_loss={log_loss:.4f} accuracy={acc:.4f} "
          f"objective={gpc.log_marginal_likelihood_value_:.3f} "
          f"kernel={k.k1.constant_value:.4g}*rbf(length={k.k2.length_scale:.4g}) "
          f"evaluations={calls[0]} seconds={wall:.2f} cpu_seconds={cpu:.2f}", flush=True)


if __name__ == "__main__":
    main()
