#!/usr/bin/env bash
# RBF vs NNGP vs NTK by 5-fold cross-validated kernel ridge regression on the bundled datasets
# (the README's "Neural kernels on the bundled data" table). RBF uses gamma = 1/d (scikit-learn's
# "scale" on standardized features); the networks are 3-hidden-layer ReLU nets, w_var=2, b_var=0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
net="depth=3, activation=relu, w_var=2, b_var=0.1"
run() { # file task d
  ./kernels4j cv --data "data/$1" --task "$2" --kernel "rbf(gamma=$(awk "BEGIN{print 1/$3}"))" \
    --kernel "nngp($net)" --kernel "ntk($net)"
}
run diabetes.csv regression 10
run iris.csv classification 4
run wine.csv classification 13
run breast_cancer.csv classification 30
run digits.csv classification 64
