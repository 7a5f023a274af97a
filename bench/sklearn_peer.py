#!/usr/bin/env python3
"""scikit-learn side of the peer benchmarks, on the very arrays kernels4j wrote (.npy).

  sklearn_peer.py gram X.npy GAMMA REPS [Z.npy]
                                             -> best time of rbf_kernel(X, X, gamma), or of rbf_kernel(X, Z, gamma)
  sklearn_peer.py krr DIR N GAMMA LAMBDA     -> KernelRidge fit+predict time, RMSE, and the
                                                max relative difference to kernels4j's predictions
  sklearn_peer.py nystrom DIR M GAMMA LAMBDA [intercept]
                                             -> Nystroem(n_components=M) + Ridge(alpha=LAMBDA, an intercept
                                                only when asked): the same objective as kernels4j's Nystrom
                                                KRR (--intercept centres the targets: the same estimator as
                                                Ridge's unpenalised intercept on centred features up to the
                                                features' column means), fit time and test RMSE
  sklearn_peer.py gp DIR TAG                 -> GaussianProcessRegressor(C(1)*RBF(1) + WhiteKernel(1),
                                                alpha=1e-10, no restarts, normalize_y as kernels4j
                                                was run) on x_TAG.npy/y_TAG.npy: fit
                                                time, learned evidence, and both optima scored by
                                                sklearn's own log_marginal_likelihood
  sklearn_peer.py kde DIR D [RTOL]          -> KernelDensity(gaussian, same h, atol=0, rtol=RTOL
                                                (default 0: exact)).score_samples on kde_q_D.npy: time
                                                and the largest difference to kernels4j's log-densities
  sklearn_peer.py svc DIR C GAMMA CACHE_MB  -> SVC(C, rbf gamma, tol=1e-3, cache_size) on DIR/train.libsvm:
                                                fit time, support vectors, accuracy on DIR/test.libsvm
"""
import sys
import time

import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics.pairwise import rbf_kernel


def gram(path, gamma, reps, zpath=None):
    x = np.load(path)
    z = x if zpath is None else np.load(zpath)
    rbf_kernel(x[:1000], z[:1000], gamma=gamma)  # warm-up
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        k = rbf_kernel(x, z, gamma=gamma)
        best = min(best, time.perf_counter() - t0)
        del k
    print(f"sklearn_rbf_kernel_seconds: {best:.4f}")


def nystrom(d, m, gamma, lam, intercept=False):
    from sklearn.kernel_approximation import Nystroem
    from sklearn.linear_model import Ridge
    xtr = np.load(f"{d}/train_x.npy")
    ytr = np.load(f"{d}/train_y.npy").ravel()
    xte = np.load(f"{d}/test_x.npy")
    yte = np.load(f"{d}/test_y.npy").ravel()
    need = xtr.shape[0] * m * 8 * 2 / 2**30
    print(f"sklearn_nystrom n={xtr.shape[0]} m={m}: feature matrix needs about {need:.1f} GiB")
    t0 = time.perf_counter()
    ny = Nystroem(kernel="rbf", gamma=gamma, n_components=m, random_state=0)
    try:  # the same centres as kernels4j: fitting on exactly m rows makes them the basis
        centres = np.load(f"{d}/centers.npy").ravel().astype(int)
        ny.fit(xtr[centres])
        print("sklearn_nystrom: using kernels4j's centres")
    except FileNotFoundError:
        ny.fit(xtr)
    feats = ny.transform(xtr)
    model = Ridge(alpha=lam, fit_intercept=intercept).fit(feats, ytr)
    t1 = time.perf_counter()
    pred = model.predict(ny.transform(xte))
    rmse = float(np.sqrt(np.mean((pred - yte) ** 2)))
    print(f"sklearn_nystrom_fit_seconds: {t1 - t0:.2f}")
    print(f"sklearn_nystrom_test_rmse: {rmse:.6f}")


def krr(d, n, gamma, lam):
    xtr = np.load(f"{d}/train_x_{n}.npy")
    ytr = np.load(f"{d}/train_y_{n}.npy").ravel()
    xte = np.load(f"{d}/test_x_{n}.npy")
    yte = np.load(f"{d}/test_y_{n}.npy").ravel()
    ours = np.load(f"{d}/pred_{n}.npy").ravel()
    t0 = time.perf_counter()
    model = KernelRidge(alpha=lam, kernel="rbf", gamma=gamma).fit(xtr, ytr)
    pred = model.predict(xte)
    secs = time.perf_counter() - t0
    rmse = float(np.sqrt(np.mean((pred - yte) ** 2)))
    ours_rmse = float(np.sqrt(np.mean((ours - yte) ** 2)))
    rel = abs(rmse - ours_rmse) / rmse
    maxdiff = float(np.max(np.abs(pred - ours)) / np.max(np.abs(pred)))
    print(f"n={n} sklearn_seconds={secs:.3f} sklearn_rmse={rmse:.10f} kernels4j_rmse={ours_rmse:.10f} "
          f"rmse_rel_diff={rel:.2e} max_pred_rel_diff={maxdiff:.2e}")


def gp(d, tag):
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
    x = np.load(f"{d}/x_{tag}.npy")
    y = np.load(f"{d}/y_{tag}.npy").ravel()
    lines = open(f"{d}/ours_{tag}.txt").read().split("\n")
    our_secs, our_lml = float(lines[0]), float(lines[1])
    our_theta = np.array([float(v) for v in lines[2].split()])
    normalize = len(lines) > 3 and lines[3].strip() == "true"
    kernel = ConstantKernel(1.0) * RBF(1.0) + WhiteKernel(1.0)  # bounds (1e-5, 1e5) as in kernels4j
    model = GaussianProcessRegressor(kernel=kernel, alpha=1e-10, n_restarts_optimizer=0, normalize_y=normalize)
    t0 = time.perf_counter()
    model.fit(x, y)
    secs = time.perf_counter() - t0
    theirs = model.log_marginal_likelihood_value_
    ours_by_sklearn = model.log_marginal_likelihood(our_theta)
    rel = (ours_by_sklearn - theirs) / abs(theirs)
    print(f"{tag} n={x.shape[0]} sklearn_seconds={secs:.3f} kernels4j_seconds={our_secs:.3f} "
          f"time_ratio={our_secs / secs:.3f} sklearn_lml={theirs:.10f} kernels4j_lml={our_lml:.10f} "
          f"kernels4j_lml_by_sklearn={ours_by_sklearn:.10f} rel_gain={rel:.2e} sklearn_kernel={model.kernel_}")


def kde(d, dim, rtol):
    from sklearn.neighbors import KernelDensity
    x = np.load(f"{d}/kde_x_{dim}.npy")
    q = np.load(f"{d}/kde_q_{dim}.npy")
    ours = np.load(f"{d}/kde_ours_{dim}.npy").ravel()
    lines = open(f"{d}/kde_ours_{dim}.txt").read().split()
    our_secs, h = float(lines[0]), float(lines[1])
    t0 = time.perf_counter()
    model = KernelDensity(kernel="gaussian", bandwidth=h, atol=0, rtol=rtol).fit(x)
    theirs = model.score_samples(q)
    secs = time.perf_counter() - t0
    diff = float(np.max(np.abs(theirs - ours)))
    print(f"d={dim} n={x.shape[0]} queries={q.shape[0]} rtol={rtol} sklearn_seconds={secs:.3f} "
          f"kernels4j_seconds={our_secs:.3f} time_ratio={our_secs / secs:.4f} max_abs_log_density_diff={diff:.2e}")


def svc(d, c, gamma, cache):
    from sklearn.datasets import load_svmlight_files
    from sklearn.svm import SVC
    xtr, ytr, xte, yte = load_svmlight_files([f"{d}/train.libsvm", f"{d}/test.libsvm"])
    xtr = xtr.toarray()  # dense, as kernels4j holds it
    xte = xte.toarray()
    if xte.shape[1] < xtr.shape[1]:
        xte = np.hstack([xte, np.zeros((xte.shape[0], xtr.shape[1] - xte.shape[1]))])
    t0 = time.perf_counter()
    model = SVC(C=c, kernel="rbf", gamma=gamma, tol=1e-3, cache_size=cache).fit(xtr, ytr)
    seconds = time.perf_counter() - t0
    acc = float(np.mean(model.predict(xte[:, :xtr.shape[1]]) == yte))
    print(f"sklearn_svc_seconds: {seconds:.3f}")
    print(f"sklearn_svc_support_vectors: {int(model.n_support_.sum())}")
    print(f"sklearn_svc_test_accuracy: {acc:.4f}")


if __name__ == "__main__":
    if sys.argv[1] == "svc":
        svc(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
    elif sys.argv[1] == "gram":
        gram(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else None)
    elif sys.argv[1] == "kde":
        kde(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) > 4 else 0.0)
    elif sys.argv[1] == "gp":
        gp(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "nystrom":
        nystrom(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]),
                len(sys.argv) > 6 and sys.argv[6] == "intercept")
    else:
        krr(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
