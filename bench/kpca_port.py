#!/usr/bin/env python3
"""A faithful NumPy/SciPy port of scikit-learn's KernelPCA(kernel="rbf", eigen_solver="arpack").fit_transform,
for timing against `KernelPcaBenchmark` (kernels4j-bench) on identical data (scikit-learn itself is not installed).

Follows scikit-learn 1.x (sklearn/decomposition/_kernel_pca.py, KernelPCA.fit / _fit_transform_in_place /
fit_transform; sklearn/preprocessing/_data.py, KernelCenterer.fit / transform; sklearn/metrics/pairwise.py,
rbf_kernel / euclidean_distances; sklearn/utils/_arpack.py, _init_arpack_v0; sklearn/utils/validation.py,
_check_psd_eigenvalues; sklearn/utils/extmath.py, svd_flip with u_based_decision) step by step:

    K = euclidean_distances(X, X, squared=True); K *= -gamma; exp(K, K)       (rbf_kernel)
    K_fit_rows = K.sum(0) / n; K_fit_all = K_fit_rows.sum() / n               (KernelCenterer.fit)
    K -= K_fit_rows; K -= (K.sum(1) / n)[:, None]; K += K_fit_all             (transform, copy=False)
    v0 = RandomState(random_state).uniform(-1, 1, n)
    eigenvalues, eigenvectors = eigsh(K, k, which="LA", tol=0, maxiter=None, v0=v0)
    clip tiny/negative eigenvalues; svd_flip; sort descending; (remove_zero_eig=False keeps zeros)
    X_transformed = eigenvectors * sqrt(eigenvalues)

    python3 bench/kpca_port.py X.npy --gamma 0.05 --components 10 [--reps 1] [--out eigenvalues.npy]

Prints one line: `seconds <best total fit_transform time> gram <rbf_kernel seconds> centre <s> eigsh <s>`; writes the
eigenvalues (and, with --projections, the projections) as .npy for the caller to compare.
"""
import argparse
import time

import numpy as np
from scipy.sparse.linalg import eigsh


def row_norms_squared(x):
    return np.einsum("ij,ij->i", x, x)


def euclidean_distances_squared(x):
    # sklearn _euclidean_distances for float64, Y is X: -2 X X^T + XX + YY, clipped at 0, zero diagonal
    xx = row_norms_squared(x)[:, np.newaxis]
    distances = -2 * (x @ x.T)
    distances += xx
    distances += xx.T
    np.maximum(distances, 0, out=distances)
    np.fill_diagonal(distances, 0)
    return distances


def rbf_kernel(x, gamma):
    k = euclidean_distances_squared(x)
    k *= -gamma
    np.exp(k, k)
    return k


def center_in_place(k):
    n = k.shape[0]
    k_fit_rows = np.sum(k, axis=0) / n
    k_fit_all = k_fit_rows.sum() / n
    k_pred_cols = (np.sum(k, axis=1) / k_fit_rows.shape[0])[:, np.newaxis]
    k -= k_fit_rows
    k -= k_pred_cols
    k += k_fit_all
    return k


def check_psd_eigenvalues(lambdas):
    # _check_psd_eigenvalues(enable_warnings=False) for real float64 eigenvalues
    max_eig = lambdas.max()
    if max_eig < 0:
        raise ValueError("All eigenvalues are negative (maximum is %g)." % max_eig)
    min_eig = lambdas.min()
    if min_eig < -1e-5 * max(max_eig, 0):
        raise ValueError("There are significant negative eigenvalues")
    elif min_eig < 0:
        lambdas[lambdas < 0] = 0
    lambdas[(0 < lambdas) & (lambdas < 1e-12 * max_eig)] = 0
    return lambdas


def svd_flip_u(u):
    max_abs_u_cols = np.argmax(np.abs(u), axis=0)
    signs = np.sign(u[max_abs_u_cols, range(u.shape[1])])
    u *= signs[np.newaxis, :]
    return u


def fit_transform(x, gamma, n_components, random_state):
    t0 = time.perf_counter()
    k = rbf_kernel(x, gamma)
    t1 = time.perf_counter()
    k = center_in_place(k)
    t2 = time.perf_counter()
    v0 = np.random.RandomState(random_state).uniform(-1, 1, k.shape[0])
    eigenvalues, eigenvectors = eigsh(k, n_components, which="LA", tol=0, maxiter=None, v0=v0)
    t3 = time.perf_counter()
    eigenvalues = check_psd_eigenvalues(eigenvalues)
    eigenvectors = svd_flip_u(eigenvectors)
    order = eigenvalues.argsort()[::-1]
    eigenvalues = eigenvalues[order]
    eigenvectors = eigenvectors[:, order]
    x_transformed = eigenvectors * np.sqrt(eigenvalues)
    t4 = time.perf_counter()
    return eigenvalues, x_transformed, (t4 - t0, t1 - t0, t2 - t1, t3 - t2)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--gamma", type=float, required=True)
    p.add_argument("--components", type=int, default=10)
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--out", default=None, help="write the eigenvalues here (.npy)")
    p.add_argument("--projections", default=None, help="write the projections here (.npy)")
    a = p.parse_args()
    x = np.load(a.data)
    best = None
    for _ in range(a.reps):
        lam, z, times = fit_transform(x, a.gamma, a.components, a.random_state)
        if best is None or times[0] < best[0]:
            best = times
    if a.out:
        np.save(a.out, lam.reshape(1, -1))
    if a.projections:
        np.save(a.projections, z)
    print("seconds %.6f gram %.6f centre %.6f eigsh %.6f" % best, flush=True)


if __name__ == "__main__":
    main()
