#!/usr/bin/env bash
# Reproduces the README's benchmark table: kernels4j vs BLAS dgemm vs scikit-learn, on identical data,
# on this machine. Installs Debian's python3-sklearn if missing (a benchmark tool, never a project
# dependency). Usage: bench/run-peer-comparison.sh [gram_n] [krr_sizes]; GP_SIZES=1000,2000,5000 sets the GP sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
GRAM_N="${1:-20000}"
KRR_SIZES="${2:-5000,10000,20000}"
PY=/usr/bin/python3
if ! "$PY" -c "import sklearn" 2>/dev/null; then
  echo "installing python3-sklearn (Debian package) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-sklearn >&2
fi
out="bench-results"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
echo "sklearn: $("$PY" -c 'import sklearn, numpy; print(sklearn.__version__, "numpy", numpy.__version__)')"
echo
echo "== RBF Gram matrix, n=$GRAM_N, d=64, gamma=0.01 =="
./kernels4j bench gram --n "$GRAM_N" --d 64 --kernel "rbf(gamma=0.01)" --reps 3 --export "$out/gram_x.npy"
"$PY" bench/sklearn_peer.py gram "$out/gram_x.npy" 0.01 2
echo
echo "== Exact KRR fit+predict, d=8, rbf(gamma=0.5), lambda=1e-3, 2000 test points =="
./kernels4j bench krr --n "$KRR_SIZES" --d 8 --kernel "rbf(gamma=0.5)" --lambda 0.001 --export-dir "$out/krr"
for n in ${KRR_SIZES//,/ }; do
  "$PY" bench/sklearn_peer.py krr "$out/krr" "$n" 0.5 0.001
done
echo
echo "== GP hyperparameter learning: C*RBF + White from the same start, no restarts (Friedman-1, d=10) =="
./kernels4j bench gp --n "${GP_SIZES:-1000,2000,5000}" --d 10 --export-dir "$out/gp"
for n in $(echo "${GP_SIZES:-1000,2000,5000}" | tr , " "); do
  "$PY" bench/sklearn_peer.py gp "$out/gp" "friedman1_$n" 2>/dev/null
done
echo "== the same on bundled real data, target normalized on both sides =="
for f in diabetes digits; do
  ./kernels4j bench gp --data "data/$f.csv" --normalize --export-dir "$out/gp"
  n=$(( $(wc -l < "data/$f.csv") - 1 ))
  "$PY" bench/sklearn_peer.py gp "$out/gp" "${f}_$n" 2>/dev/null
done
echo
echo "== Exact Gaussian KDE: 100,000 points, 10,000 queries (scikit-learn's exact mode takes ~10 minutes here) =="
./kernels4j bench kde --n 100000 --queries 10000 --d 2,8,32 --export-dir "$out/kde"
for d in 2 8 32; do
  "$PY" bench/sklearn_peer.py kde "$out/kde" "$d"
done
