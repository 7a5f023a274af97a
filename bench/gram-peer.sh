#!/usr/bin/env bash
# Gram engine against one dgemm of the same shapes and against scikit-learn's rbf_kernel, on identical points, for
# OpenBLAS's own core choice and for each OPENBLAS_CORETYPE this CPU can run (issue 32: "Gram <= 1.5x dgemm whatever
# kernel OpenBLAS selects, and >= 3x faster than scikit-learn"). Installs Debian's python3-sklearn if missing (a
# benchmark tool, never a project dependency).
# Usage: bench/gram-peer.sh [n, default 20000]; GRAM_CORETYPES="Haswell SkylakeX" overrides the forced core types
# (default: Haswell, plus SkylakeX where the CPU has AVX-512); SKLEARN_REPS (default 2); GRAM_REPS (default 3);
# BENCH_OUT (default bench-results/gram) is where data and logs go; RESULTS_FILE=FILE also appends one
# "RESULT key=value ..." line per row to FILE (for bench/issue32.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
M=$((N / 2))
REPS="${GRAM_REPS:-3}"
SKREPS="${SKLEARN_REPS:-2}"
GAMMA=0.01
PY=/usr/bin/python3
if ! "$PY" -c "import sklearn" 2>/dev/null; then
  echo "installing python3-sklearn (Debian package) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-sklearn >&2
fi
if [ -z "${GRAM_CORETYPES+x}" ]; then
  GRAM_CORETYPES="Haswell"
  grep -q -w avx512f /proc/cpuinfo && GRAM_CORETYPES="Haswell SkylakeX"
fi
out="${BENCH_OUT:-bench-results/gram}"
mkdir -p "$out"
load() { cut -d' ' -f1-3 /proc/loadavg; }
result() { if [ -n "${RESULTS_FILE:-}" ]; then echo "RESULT $*" >> "$RESULTS_FILE"; fi; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs); $(java -version 2>&1 | head -1)"
echo "peer: scikit-learn $("$PY" -c 'import sklearn, numpy; print(sklearn.__version__, "/ numpy", numpy.__version__)')"
echo "load average at start: $(load)"
# The kernels4j side for one case under one core setting ("" = OpenBLAS's own choice); prints one table row.
row() { # case-name core args...
  local name="$1" core="$2"; shift 2
  local log="$out/$name.${core:-auto}.log"
  if [ -n "$core" ]; then
    OPENBLAS_CORETYPE="$core" ./kernels4j bench gram --reps "$REPS" "$@" > "$log"
  else
    env -u OPENBLAS_CORETYPE ./kernels4j bench gram --reps "$REPS" "$@" > "$log"
  fi
  local picked dgemm gram ratio cpurat
  picked=$(sed -n 's/.*, core \([A-Za-z0-9_]*\).*/\1/p' "$log")
  dgemm=$(awk '/^dgemm_seconds/{print $2}' "$log"); gram=$(awk '/^gram_seconds/{print $2}' "$log")
  ratio=$(awk '/^ratio_gram_over_dgemm:/{print $2}' "$log"); cpurat=$(awk '/^ratio_gram_over_dgemm_cpu/{print $2}' "$log")
  printf "%-26s %-10s %-9s %8s %8s %7s %7s\n" "$name" "${core:-(own)}" "${picked:-?}" "$dgemm" "$gram" "$ratio" "$cpurat"
  result part=gram case="$name" n="$N" core="${core:-own}" picked="${picked:-?}" dgemm="$dgemm" gram="$gram" \
    ratio="$ratio" cpu_ratio="$cpurat"
}
printf "%-26s %-10s %-9s %8s %8s %7s %7s\n" case CORETYPE core dgemm_s gram_s ratio cpu_rat
declare -A K4J
for spec in "sym_d64:--n $N --d 64" "sym_d8:--n $N --d 8" "cross_d64:--n $N --cross $M --d 64"; do
  name="${spec%%:*}"; args="${spec#*:}"
  # shellcheck disable=SC2086
  row "$name" "" $args --kernel "rbf(gamma=$GAMMA)" --export "$out/$name.npy"
  K4J[$name]=$(awk '/^gram_seconds/{print $2}' "$out/$name.auto.log")
  for core in $GRAM_CORETYPES; do
    # shellcheck disable=SC2086
    row "$name" "$core" $args --kernel "rbf(gamma=$GAMMA)"
  done
done
echo
echo "scikit-learn rbf_kernel on the same points (kernels4j time with OpenBLAS's own core choice):"
printf "%-26s %9s %9s %9s\n" case kernels4j sklearn sklearn/k4j
for name in sym_d64 sym_d8 cross_d64; do
  z=""; [ "$name" = cross_d64 ] && z="$out/${name}_z.npy"
  # shellcheck disable=SC2086
  sk=$("$PY" bench/sklearn_peer.py gram "$out/$name.npy" "$GAMMA" "$SKREPS" $z | awk '/sklearn_rbf_kernel_seconds/{print $2}')
  printf "%-26s %9s %9s %9.2f\n" "$name" "${K4J[$name]}" "$sk" "$(awk -v a="$sk" -v b="${K4J[$name]}" 'BEGIN{print a / b}')"
  result part=gram_sklearn case="$name" n="$N" k4j="${K4J[$name]}" sklearn="$sk"
done
echo "load average at end: $(load)"
