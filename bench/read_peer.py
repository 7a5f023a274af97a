#!/usr/bin/env python3
"""Peer of `kernels4j bench read`: reads the same file as kernels4j, the least time of REPS reads after one
untimed read, and compares the matrix with kernels4j's (OURS.npy, features only).

  read_peer.py csv FILE REPS OURS.npy     -> numpy.loadtxt(FILE, delimiter=",", skiprows=1) (last column: labels)
  read_peer.py libsvm FILE REPS OURS.npy  -> sklearn.datasets.load_svmlight_file(FILE), densified for the check only

Prints one line: "seconds S max_difference D".
"""
import sys
import time

import numpy as np


def read(fmt, path):
    if fmt == "csv":
        return np.loadtxt(path, delimiter=",", skiprows=1)[:, :-1]
    from sklearn.datasets import load_svmlight_file
    return load_svmlight_file(path)[0]


def main():
    fmt, path, reps, ours = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    x = read(fmt, path)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        x = read(fmt, path)
        best = min(best, time.perf_counter() - t0)
    dense = x.toarray() if hasattr(x, "toarray") else x
    mine = np.load(ours)
    width = min(dense.shape[1], mine.shape[1])
    diff = float(np.max(np.abs(dense[:, :width] - mine[:, :width]))) if dense.shape[0] == mine.shape[0] else float("inf")
    print(f"seconds {best:.6f} max_difference {diff:.3e}")


if __name__ == "__main__":
    main()
