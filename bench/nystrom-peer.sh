#!/usr/bin/env bash
# Nystrom kernel ridge regression, kernels4j against scikit-learn's Nystroem(m) + Ridge, on identical rows and
# centres, in one run: for each m, the kernels4j solvers in SOLVERS (default "auto before cg-residual": the default
# solver; "before", the default before the sampled-rows preconditioner (direct up to m = 1024, else stored CG with
# Falkon's centre preconditioner; and the JVM without the launcher's transparent huge pages); and the streaming CG stopped by the old residual rule 1e-7, i.e. the solver before
# 2026-12; also direct, stored, cg), then scikit-learn.
# Installs Debian's python3-sklearn if missing (a benchmark tool, never a project dependency).
# Usage: bench/nystrom-peer.sh [n, default 100000] [centres, default 1000,2000,4000]; D, GAMMA, LAMBDA override
# d (10), the RBF gamma (0.05) and lambda (1e-3). Targets are centred (an intercept) on both sides. BENCH_OUT (default
# bench-results/nystrom) is where data and logs go; RESULTS_FILE=FILE also appends one "RESULT key=value ..." line
# per row to FILE (for bench/issue32.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
MS="${2:-1000,2000,4000}"
D="${D:-10}"
GAMMA="${GAMMA:-0.05}"
LAMBDA="${LAMBDA:-0.001}"
PY=/usr/bin/python3
if ! "$PY" -c "import sklearn" 2>/dev/null; then
  echo "installing python3-sklearn (Debian package) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-sklearn >&2
fi
out="${BENCH_OUT:-bench-results/nystrom}"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "sklearn: $("$PY" -c 'import sklearn, numpy; print(sklearn.__version__, "numpy", numpy.__version__)')"
result() { if [ -n "${RESULTS_FILE:-}" ]; then echo "RESULT $*" >> "$RESULTS_FILE"; fi; }
printf "%7s %6s %-22s %8s %6s %10s\n" n m solver fit_s iters test_rmse
for m in ${MS//,/ }; do
  dir="$out/m$m"
  for s in ${SOLVERS:-auto before cg-residual}; do
    solver="$s"; stop=change
    extra=(--export-dir "$dir")
    [ "$s" = cg-residual ] && solver=cg && stop=residual && extra+=(--preconditioner-rows 0)
    opts="${KERNELS4J_JAVA_OPTS:--Xmx12g -Xmn2g}"
    if [ "$s" = before ]; then  # also without the launcher's huge pages, as before
      solver=stored && extra+=(--preconditioner-rows 0) && opts="$opts -XX:-UseTransparentHugePages"
      [ "$m" -le 1024 ] && solver=direct
    fi
    log=$(KERNELS4J_JAVA_OPTS="$opts" ./kernels4j bench nystrom --n "$N" --d "$D" --centers "$m" --test 10000 --kernel "rbf(gamma=$GAMMA)" \
      --lambda "$LAMBDA" --intercept --solver "$solver" --stop "$stop" "${extra[@]}")
    fit=$(echo "$log" | awk '/^fit_seconds/{print $2}')
    it=$(echo "$log" | awk -F'[ ,]+' '/^solver:/{print $4}')
    used=$(echo "$log" | awk -F'[ ,]+' '/^solver:/{print $2}')
    rmse=$(echo "$log" | awk '/^test_rmse/{print $2}')
    printf "%7s %6s %-22s %8s %6s %10s\n" "$N" "$m" "$s ($used)" "$fit" "$it" "$rmse"
    result part=nystrom n="$N" m="$m" solver="$s" used="$used" fit="$fit" iters="$it" rmse="$rmse"
  done
  sk=$("$PY" bench/sklearn_peer.py nystrom "$dir" "$m" "$GAMMA" "$LAMBDA" intercept)
  skfit=$(echo "$sk" | awk '/fit_seconds/{print $2}')
  skrmse=$(echo "$sk" | awk '/test_rmse/{print $2}')
  printf "%7s %6s %-22s %8s %6s %10s\n" "$N" "$m" "scikit-learn" "$skfit" "-" "$skrmse"
  result part=nystrom_sklearn n="$N" m="$m" fit="$skfit" rmse="$skrmse"
done
