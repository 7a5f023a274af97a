#!/usr/bin/env python3
"""Data and scikit-learn side of bench/svm-suite.sh (an SVM suite that was not tuned on).

  svm_suite.py gen NAME DIR N_TRAIN N_TEST SEED -> DIR/train.libsvm, DIR/test.libsvm and DIR/params
                                                   (gamma = scikit-learn's 'scale', 1/(d·Var X_train);
                                                   d; classes), from the generator NAME below
  svm_suite.py split CSV DIR SEED               -> a bundled CSV (last column the label): a seeded 75/25
                                                   split, standardized on the training part, as LibSVM text
  svm_suite.py sklearn DIR C GAMMA CACHE_MB     -> SVC(C, rbf gamma, tol=1e-3, cache_size) on
                                                   DIR/train.libsvm: solve seconds (fit alone), support
                                                   vectors, accuracy on DIR/test.libsvm. The shell
                                                   times the whole process for the end-to-end figure.

Generators (seeded numpy; each a different shape of problem, none used while tuning kernels4j):
  blobs_d5      two well-separated Gaussian clouds in d = 5 (nearly separable: few support vectors)
  xor_d8        XOR of the signs of two coordinates plus six noise coordinates, 3% labels flipped (non-linear)
  noisy_d50     a linear boundary in d = 50 with 15% of the labels flipped (most rows support vectors)
  sparse_d200   bag-of-words-like counts: 200 features, about 12 non-zero per row, two topics that share
                most words (LibSVM text with many zeros)
  multi5_d10    five classes, each a mixture of two Gaussians in d = 10, overlapping (one-vs-one: 10 pairs)
"""
import sys
import time

import numpy as np


def blobs_d5(rng, n):
    y = rng.integers(0, 2, n)
    x = rng.normal(size=(n, 5)) + np.where(y[:, None] == 1, 1.0, -1.0)
    return x, y * 2 - 1


def xor_d8(rng, n):
    x = rng.uniform(-2, 2, size=(n, 8))
    y = np.where(x[:, 0] * x[:, 1] > 0, 1, -1)
    flip = rng.random(n) < 0.03
    return x, np.where(flip, -y, y)


def noisy_d50(rng, n):
    x = rng.normal(size=(n, 50))
    w = np.random.default_rng(50).normal(size=50)
    y = np.where(x @ w > 0, 1, -1)
    flip = rng.random(n) < 0.15
    return x, np.where(flip, -y, y)


def sparse_d200(rng, n):
    vocab = 200
    base = np.random.default_rng(200).dirichlet(np.full(vocab, 0.3))
    tilt = np.random.default_rng(201).dirichlet(np.full(vocab, 0.3))
    y = rng.integers(0, 2, n)
    x = np.zeros((n, vocab))
    for i in range(n):
        p = 0.75 * base + 0.25 * (tilt if y[i] == 1 else base[::-1])
        words = rng.choice(vocab, size=rng.integers(6, 18), p=p / p.sum())
        np.add.at(x[i], words, 1.0)
    return np.log1p(x), y * 2 - 1


def multi5_d10(rng, n):
    centres = np.random.default_rng(10).normal(scale=1.4, size=(5, 2, 10))
    y = rng.integers(0, 5, n)
    mode = rng.integers(0, 2, n)
    x = centres[y, mode] + rng.normal(size=(n, 10))
    return x, y + 1


GENERATORS = {f.__name__: f for f in (blobs_d5, xor_d8, noisy_d50, sparse_d200, multi5_d10)}


def write_libsvm(path, x, y):
    with open(path, "w") as f:
        for row, label in zip(x, y):
            nz = np.nonzero(row)[0]
            f.write(f"{int(label)} " + " ".join(f"{j + 1}:{row[j]:.6g}" for j in nz) + "\n")


def write_params(d, xtr, ytr):
    gamma = 1.0 / (xtr.shape[1] * xtr.var())
    with open(f"{d}/params", "w") as f:
        f.write(f"gamma {gamma:.6g}\nd {xtr.shape[1]}\nclasses {len(np.unique(ytr))}\n")


def gen(name, d, n_train, n_test, seed):
    rng = np.random.default_rng(seed)
    x, y = GENERATORS[name](rng, n_train + n_test)
    write_libsvm(f"{d}/train.libsvm", x[:n_train], y[:n_train])
    write_libsvm(f"{d}/test.libsvm", x[n_train:], y[n_train:])
    write_params(d, x[:n_train], y[:n_train])


def split(csv, d, seed):
    import csv as csvmod
    with open(csv) as f:
        rows = list(csvmod.reader(f))
    data = np.array([[float(v) for v in r] for r in rows[1:]])
    x, y = data[:, :-1], data[:, -1]
    perm = np.random.default_rng(seed).permutation(len(y))
    cut = len(y) - len(y) // 4
    tr, te = np.sort(perm[:cut]), np.sort(perm[cut:])
    mean, sd = x[tr].mean(axis=0), x[tr].std(axis=0)
    sd[sd == 0] = 1
    xtr, xte = (x[tr] - mean) / sd, (x[te] - mean) / sd
    write_libsvm(f"{d}/train.libsvm", xtr, y[tr])
    write_libsvm(f"{d}/test.libsvm", xte, y[te])
    write_params(d, xtr, y[tr])


def sklearn(d, c, gamma, cache):
    from sklearn.datasets import load_svmlight_files
    from sklearn.svm import SVC
    xtr, ytr, xte, yte = load_svmlight_files([f"{d}/train.libsvm", f"{d}/test.libsvm"])
    # kept sparse when the file is (as a user would); xte padded to the training width
    xte = xte[:, :xtr.shape[1]] if xte.shape[1] >= xtr.shape[1] else \
        __import__("scipy.sparse", fromlist=["hstack"]).hstack(
            [xte, np.zeros((xte.shape[0], xtr.shape[1] - xte.shape[1]))]).tocsr()
    if xtr.nnz > 0.5 * xtr.shape[0] * xtr.shape[1]:
        xtr, xte = xtr.toarray(), xte.toarray()
    t0 = time.perf_counter()
    model = SVC(C=c, kernel="rbf", gamma=gamma, tol=1e-3, cache_size=cache).fit(xtr, ytr)
    seconds = time.perf_counter() - t0
    acc = float(np.mean(model.predict(xte) == yte))
    print(f"solve_seconds {seconds:.3f}")
    print(f"support_vectors {int(model.n_support_.sum())}")
    print(f"test_accuracy {acc:.6f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif cmd == "split":
        split(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "sklearn":
        sklearn(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
    else:
        sys.exit(f"unknown command {cmd}")
