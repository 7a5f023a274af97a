#!/usr/bin/env python3
"""A vectorised NumPy port of kernel thinning (KT-SPLIT + KT-SWAP), for timing against `kernels4j bench thin`.

Written from the algorithm as goodpoints (microsoft/goodpoints, goodpoints/kt.py: split, best, refine) describes it,
NumPy only: each halving step is a few vector operations over the coreset's earlier points, as goodpoints' split_X
does; the row means k̄ and the refine pass work on blocks of the kernel matrix. Same kernel as the Java benchmark:
k(x, y) = exp(-||x - y||^2 / (4d)), square-root split kernel exp(-||x - y||^2 / (2d)), delta = 0.5, sqrt(n) output,
unique refine.

    ./kernels4j bench thin --n 0 --kt-n 16384 --d 2,10 --export-dir /tmp/kt
    python3 bench/goodpoints_port.py /tmp/kt/points_d2.npy /tmp/kt/points_d10.npy [--seed 1] [--reps 3]

Prints one line per file: n, d, seconds for KT (split + swap, including the row means), MMD to the input sample and
MMD to N(0, I_d) (closed form).
"""
import argparse
import math
import sys
import time

import numpy as np


def sqdist(a, b):
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.maximum(d, 0.0)


def gauss(a, b, gamma):
    return np.exp(-gamma * sqdist(a, b))


def halve(x, c, gamma, log_mult, rng):
    """One KT-SPLIT round on coreset c (indices into x): (left, right)."""
    pairs = len(c) // 2
    left = np.empty(pairs, dtype=np.int64)
    right = np.empty(pairs, dtype=np.int64)
    left_pos = np.empty(pairs, dtype=np.int64)
    sigma2 = 0.0
    pts = x[c[: 2 * pairs]]
    for p in range(pairs):
        u2, u1 = 2 * p, 2 * p + 1
        rows = gauss(pts[[u1, u2]], pts[: u1 + 1], gamma)  # 2 x (2p+2)
        k1, k2 = rows[0], rows[1]
        b2 = k1[u1] + k2[u2] - 2.0 * k1[u2]
        a = max(math.sqrt(sigma2 * b2 * log_mult), b2)
        if sigma2 == 0.0:
            sigma2 = b2
        elif a != 0.0:
            upd = 0.5 + (b2 / (2.0 * a) - 1.0) * sigma2 / a
            if upd > 0:
                sigma2 += 2.0 * b2 * upd
        if a == 0.0:
            a = 1.0
        f = k1[:u2] - k2[:u2]
        alpha = f.sum() - 2.0 * f[left_pos[:p]].sum()
        if rng.random() <= 0.5 * (1.0 - alpha / a):
            left[p], right[p], left_pos[p] = c[u2], c[u1], u2
        else:
            left[p], right[p], left_pos[p] = c[u1], c[u2], u1
    return left, right


def split(x, m, gamma, delta, rng):
    n = len(x)
    base = 2.0 * math.log(2.0 * n * m / delta)
    level = [np.arange(n)]
    for j in range(m):
        lm = max(0.0, base - 2.0 * j * math.log(2.0))
        nxt = []
        for c in level:
            l, r = halve(x, c, gamma, lm, rng)
            nxt += [l, r]
        level = nxt
    return level


def row_means(x, gamma, block=2048):
    n = len(x)
    out = np.empty(n)
    for i in range(0, n, block):
        out[i:i + block] = gauss(x[i:i + block], x, gamma).sum(1) / n
    return out


def swap(x, candidates, gamma, mean_k):
    n = len(x)
    best, best_v = None, np.inf
    for c in candidates:
        v = gauss(x[c], x[c], gamma).mean() - 2.0 * mean_k[c].mean()
        if v < best_v:
            best, best_v = c, v
    s = len(best)
    core = best.copy()
    sums = gauss(x, x[core], gamma).sum(1)
    diag = np.ones(n)
    count = np.bincount(core, minlength=n)
    for t in range(s):
        old = core[t]
        col = gauss(x, x[[old]], gamma)[:, 0]
        sums -= col
        count[old] -= 1
        score = diag + 2.0 * sums - 2.0 * s * mean_k
        score[count > 0] = np.inf
        i = int(np.argmin(score))
        new = old if score[i] >= diag[old] + 2.0 * sums[old] - 2.0 * s * mean_k[old] else i
        if new != old:
            col = gauss(x, x[[new]], gamma)[:, 0]
        sums += col
        count[new] += 1
        core[t] = new
    return core


def kt(x, gamma_target, gamma_split, delta, rng):
    n = len(x)
    m = int(round(math.log2(n) / 2))
    s = n >> m
    mean_k = row_means(x, gamma_target)
    coresets = split(x, m, gamma_split, delta, rng)
    step = n // s
    standard = np.sort(n - 1 - step * np.arange(s))
    return swap(x, coresets + [standard], gamma_target, mean_k), mean_k


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=1, help="timed runs (same seed); the least time is printed")
    a = ap.parse_args()
    print("numpy", np.__version__, file=sys.stderr)
    print(f"{'impl':<12} {'d':>3} {'n':>8} {'size':>5} {'seconds':>10} {'mmd_to_target':>14} {'mmd_to_sample':>14}")
    for f in a.files:
        x = np.load(f)
        n, d = x.shape
        gamma = 1.0 / (4.0 * d)
        sec = float("inf")
        for _ in range(max(1, a.reps)):
            rng = np.random.default_rng(a.seed)
            t0 = time.perf_counter()
            core, mean_k = kt(x, gamma, 2.0 * gamma, 0.5, rng)
            sec = min(sec, time.perf_counter() - t0)
        s = len(core)
        kss = gauss(x[core], x[core], gamma)
        to_sample = kss.mean() - 2.0 * mean_k[core].mean() + mean_k.mean()
        # N(0, I_d) target: E k(z, Y) = (1 + 2g)^(-d/2) exp(-g |z|^2 / (1 + 2g)), E k(Y, Y') = (1 + 4g)^(-d/2)
        emb = (1 + 2 * gamma) ** (-d / 2) * np.exp(-gamma * (x[core] ** 2).sum(1) / (1 + 2 * gamma))
        to_target = kss.mean() - 2.0 * emb.mean() + (1 + 4 * gamma) ** (-d / 2)
        print(f"{'numpy-kt':<12} {d:>3} {n:>8} {s:>5} {sec:>10.3f} {math.sqrt(max(to_target, 0)):>14.6g} "
              f"{math.sqrt(max(to_sample, 0)):>14.6g}", flush=True)


if __name__ == "__main__":
    main()
