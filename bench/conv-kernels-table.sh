#!/usr/bin/env bash
# RBF vs fully connected NTK vs CNN-GP vs CNTK (flatten and global average pooling) on the 1,797 bundled
# 8x8 digits (pixels already in [0, 1]): 5-fold kernel ridge classification, lambda by leave-one-out on
# each training fold, each kernel's Gram matrix computed once on all rows and timed (`bench kernels`).
# RBF's gamma = 1/(d * Var(X)) = 0.11 (scikit-learn's "scale"); every network: three hidden layers of
# ReLU, w_var = 2, b_var = 0.1; the CNN kernels' layers are 3x3 convolutions with SAME padding.
# Usage: bench/conv-kernels-table.sh [OUT.md] [N]   (N = 0: all rows). Takes tens of minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-conv-kernels-table.md}"
n="${2:-0}"
net="w_var=2, b_var=0.1"
conv="shape=[8, 8, 1], layers=[conv3, relu, conv3, relu, conv3, relu]"
./kernels4j bench kernels --data data/digits.csv --n "$n" --out "$out" \
  --kernel "rbf(gamma=0.11)" \
  --kernel "ntk(depth=3, activation=relu, $net)" \
  --kernel "cnngp($conv, readout=flatten, $net)" \
  --kernel "cntk($conv, readout=flatten, $net)" \
  --kernel "cnngp($conv, readout=gap, $net)" \
  --kernel "cntk($conv, readout=gap, $net)"
