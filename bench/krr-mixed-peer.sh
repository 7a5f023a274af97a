#!/usr/bin/env bash
# Exact kernel ridge regression: kernels4j's float64 Cholesky, its mixed-precision Cholesky (float32 factor,
# float64 refinement) and scikit-learn's KernelRidge, on identical seeded data in one run, so that the ratios
# share the machine's load. Installs Debian's python3-sklearn if missing (a benchmark tool, never a project
# dependency). Usage: bench/krr-mixed-peer.sh [sizes, default 10000,20000]; BENCH_OUT (default bench-results/krr-mixed)
# is where data and logs go; RESULTS_FILE=FILE also appends one "RESULT key=value ..." line per size to FILE (for
# bench/issue32.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-10000,20000}"
PY=/usr/bin/python3
if ! "$PY" -c "import sklearn" 2>/dev/null; then
  echo "installing python3-sklearn (Debian package) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-sklearn >&2
fi
out="${BENCH_OUT:-bench-results/krr-mixed}"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "sklearn: $("$PY" -c 'import sklearn, numpy; print(sklearn.__version__, "numpy", numpy.__version__)')"
result() { if [ -n "${RESULTS_FILE:-}" ]; then echo "RESULT $*" >> "$RESULTS_FILE"; fi; }
args=(--n "$SIZES" --d 8 --kernel "rbf(gamma=0.5)" --lambda 0.001)
for p in double mixed; do
  ./kernels4j bench krr "${args[@]}" --precision "$p" --export-dir "$out/$p"
done
for n in ${SIZES//,/ }; do
  line=$("$PY" bench/sklearn_peer.py krr "$out/mixed" "$n" 0.5 0.001)
  echo "$line"
  sk=$(echo "$line" | sed -E 's/.*sklearn_seconds=([0-9.]+).*/\1/')
  "$PY" - "$n" "$sk" "$out/double/time_$n.txt" "$out/mixed/time_$n.txt" "$out/double/pred_$n.npy" "$out/mixed/pred_$n.npy" <<'PY'
import sys, numpy as np
n, sk = sys.argv[1], float(sys.argv[2])
td, tm = float(open(sys.argv[3]).read()), float(open(sys.argv[4]).read())
pd, pm = np.load(sys.argv[5]).ravel(), np.load(sys.argv[6]).ravel()
print(f"n={n} time/sklearn: double {td / sk:.2f}x, mixed {tm / sk:.2f}x; mixed vs double predictions: "
      f"max rel diff {np.max(np.abs(pm - pd)) / np.max(np.abs(pd)):.2e}")
PY
  # shellcheck disable=SC2086
  result part=krr $line mixed_seconds="$(cat "$out/mixed/time_$n.txt")" double_seconds="$(cat "$out/double/time_$n.txt")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
