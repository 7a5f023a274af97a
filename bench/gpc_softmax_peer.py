#!/usr/bin/env python3
"""scikit-learn's GaussianProcessClassifier (Laplace, one-vs-rest) on the rows `kernels4j bench gpc-softmax` wrote.

Kernel ConstantKernel(1.0) * RBF(1.0) (scikit-learn's default start, the same as kernels4j's 1*rbf(length=1)),
optimizer fmin_l_bfgs_b with no restarts, multi_class="one_vs_rest" (scikit-learn has no softmax GPC).

Usage: python3 bench/gpc_softmax_peer.py TRAIN.csv TEST.csv   (columns x0,x1,label with a header)
Prints one line: `seconds S cpu C logloss L accuracy A kernel K` (fit + predict_proba: S wall-clock seconds, C the
process's CPU seconds, BLAS threads included).
"""
import sys
import time

import numpy as np
from sklearn.gaussian_process import GaussianProcessClassifier
from sklearn.gaussian_process.kernels import RBF, ConstantKernel
from sklearn.metrics import log_loss


def main():
    train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
    test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
    x, y = train[:, :2], train[:, 2].astype(int)
    xt, yt = test[:, :2], test[:, 2].astype(int)
    c0 = time.process_time()
    t0 = time.perf_counter()
    gpc = GaussianProcessClassifier(kernel=ConstantKernel(1.0) * RBF(1.0), multi_class="one_vs_rest",
                                    random_state=0).fit(x, y)
    p = gpc.predict_proba(xt)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    loss = log_loss(yt, p, labels=gpc.classes_)
    accuracy = float(np.mean(gpc.classes_[np.argmax(p, axis=1)] == yt))
    kernels = "; ".join(str(e.kernel_) for e in gpc.base_estimator_.estimators_)
    print(f"seconds {seconds:.3f} cpu {cpu:.3f} logloss {loss:.6f} accuracy {accuracy:.4f} kernel {kernels}")


if __name__ == "__main__":
    main()
