#!/usr/bin/env python3
"""Spectrum-kernel Gram matrix in NumPy/SciPy, the peer of `kernels4j bench string`.

A faithful port of what a scikit-learn user runs for the k-spectrum kernel (scikit-learn is not
installed here): sklearn.feature_extraction.text.CountVectorizer(analyzer="char",
ngram_range=(k, k), lowercase=False) -- its `_char_ngrams` (every substring of length k) and
`_count_vocab` (a dict vocabulary, CSR counts built from j_indices/indptr/values) -- then
K = X @ X.T with scipy.sparse, densified, and kernlab's normalisation K_ij / sqrt(K_ii K_jj).

usage: spectrum_port.py TEXTS.txt --k 5 --reps 3 --out K.npy
prints "seconds S" (best of --reps, the whole feature map + Gram + normalisation).
"""
import argparse
import time

import numpy as np
import scipy.sparse as sp


def char_ngrams(text, k):
    # CountVectorizer._char_ngrams with min_n = max_n = k (white-space normalisation is a no-op here)
    return [text[i:i + k] for i in range(len(text) - k + 1)]


def count_vocab(texts, k):
    # CountVectorizer._count_vocab: vocabulary grows as it goes, duplicates summed by sum_duplicates
    vocabulary = {}
    j_indices = []
    indptr = [0]
    for t in texts:
        for feature in char_ngrams(t, k):
            idx = vocabulary.get(feature)
            if idx is None:
                idx = len(vocabulary)
                vocabulary[feature] = idx
            j_indices.append(idx)
        indptr.append(len(j_indices))
    j_indices = np.asarray(j_indices, dtype=np.int64)
    indptr = np.asarray(indptr, dtype=np.int64)
    values = np.ones(len(j_indices), dtype=np.float64)
    x = sp.csr_matrix((values, j_indices, indptr), shape=(len(indptr) - 1, len(vocabulary)))
    x.sum_duplicates()
    return x


def spectrum_gram(texts, k):
    x = count_vocab(texts, k)
    g = (x @ x.T).toarray()
    d = np.sqrt(np.diag(g))
    return g / np.outer(d, d)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("texts")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--out")
    a = p.parse_args()
    with open(a.texts, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    best = float("inf")
    g = None
    for _ in range(a.reps):
        t0 = time.perf_counter()
        g = spectrum_gram(texts, a.k)
        best = min(best, time.perf_counter() - t0)
    if a.out:
        np.save(a.out, g)
    print("seconds %.6f" % best)


if __name__ == "__main__":
    main()
