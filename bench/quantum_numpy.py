#!/usr/bin/env python3
"""A straightforward vectorised NumPy statevector simulation of the ZZ fidelity kernel, for timing against
`kernels4j bench quantum`.

ZZFeatureMap(q, reps=2, entanglement="full", alpha=2) as Qiskit builds it, up to a global phase per state (which the
kernel does not see): psi = U H U H |0...0>, U = diag(exp(-i theta(b))),
theta(b) = sum_i x_i z_i(b) + sum_{i<j} (pi - x_i)(pi - x_j) z_i(b) z_j(b), z_i(b) = (-1)^(bit i of b).
All points at once: theta for every point and basis state by two matrix products, the Hadamard layer on each qubit
axis of an (n, 2, ..., 2) array, then K = |conj(Psi) Psi^T|^2 with K(x, x) = 1 (as kernels4j).

    ./kernels4j bench quantum --export-dir /tmp/qb          # 2000 points on 12 qubits, 500 on 16
    python3 bench/quantum_numpy.py /tmp/qb [--reps 1]

Prints, per points_q{q}_n{n}.npy in the directory: NumPy's seconds (states + Gram), the max abs difference to
kernels4j's gram_q{q}_n{n}.npy, and kernels4j's time and the ratio from times.csv.
"""
import argparse
import csv
import glob
import os
import re
import time

import numpy as np


def states(x):
    n, q = x.shape
    dim = 1 << q
    bits = (np.arange(dim)[:, None] >> np.arange(q)[None, :]) & 1
    z = 1.0 - 2.0 * bits  # dim x q
    i, j = np.triu_indices(q, 1)
    theta = x @ z.T + ((np.pi - x[:, i]) * (np.pi - x[:, j])) @ (z[:, i] * z[:, j]).T  # n x dim
    u = np.exp(-1j * theta)
    psi = u / np.sqrt(dim)  # U H|0>
    psi = psi.reshape((n,) + (2,) * q)
    s = 1.0 / np.sqrt(2.0)
    for k in range(q):  # H on qubit k: axis q - k of the (n, 2, ..., 2) array (bit k of b)
        axis = q - k
        a = np.take(psi, 0, axis=axis)
        b = np.take(psi, 1, axis=axis)
        psi = np.stack(((a + b) * s, (a - b) * s), axis=axis)
    return psi.reshape(n, dim) * u


def gram(x):
    psi = states(x)
    g = np.abs(psi.conj() @ psi.T) ** 2
    np.fill_diagonal(g, 1.0)
    return g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--reps", type=int, default=1)
    a = ap.parse_args()
    java = {}
    tpath = os.path.join(a.dir, "times.csv")
    if os.path.exists(tpath):
        with open(tpath) as f:
            for row in csv.DictReader(f):
                java[(int(row["qubits"]), int(row["n"]))] = float(row["seconds"])
    print("numpy %s, threads: see OPENBLAS_NUM_THREADS/OMP_NUM_THREADS (default: all cores)" % np.__version__)
    print("%6s %6s %12s %12s %10s %14s" % ("qubits", "n", "numpy_s", "kernels4j_s", "ratio", "max_abs_diff"))
    files = sorted(glob.glob(os.path.join(a.dir, "points_q*_n*.npy")),
                   key=lambda p: tuple(int(v) for v in re.findall(r"\d+", os.path.basename(p))))
    for p in files:
        q, n = (int(v) for v in re.findall(r"q(\d+)_n(\d+)", os.path.basename(p))[0])
        x = np.load(p)
        best = float("inf")
        g = None
        for _ in range(max(1, a.reps)):
            g = None
            t0 = time.perf_counter()
            g = gram(x)
            best = min(best, time.perf_counter() - t0)
        ref = np.load(os.path.join(a.dir, "gram_q%d_n%d.npy" % (q, n)))
        diff = float(np.max(np.abs(g - ref)))
        js = java.get((q, n))
        print("%6d %6d %12.3f %12s %10s %14.3e" % (q, n, best, "-" if js is None else "%.3f" % js,
                                                  "-" if js is None else "%.2f" % (best / js), diff))
        if diff > 1e-12:
            print("  DISAGREEMENT above 1e-12")


if __name__ == "__main__":
    main()
