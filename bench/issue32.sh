#!/usr/bin/env bash
# Issue 32 ("Speed that holds on data we never tuned on") in one run: every benchmark the issue is judged on, in
# sequence, on the same data the part scripts use, and ONE markdown table with the machine, the JDK, the peers'
# versions and a met / MISSED cell per row computed from the numbers (bench/issue32_table.py):
#   bench/svm-suite.sh       C-SVC on six generated problems and three bundled sets vs svm-train and scikit-learn SVC
#                            (target at n >= 20,000: svm-train / kernels4j end-to-end wall >= 2, test accuracy within
#                            0.2 points of svm-train's, dual objective within 1e-3 relative; one thread: >= 1)
#   bench/nystrom-peer.sh    Nystrom KRR, n = 100,000, m = 1,000 / 2,000 / 4,000 (default solver) vs scikit-learn
#                            Nystroem + Ridge (>= 3x at an RMSE no worse than scikit-learn's, 0.1 % slack)
#   bench/gram-peer.sh       RBF Gram 20,000 x 64 (and d = 8, cross 20,000 x 10,000) vs dgemm under OpenBLAS's own
#                            core and OPENBLAS_CORETYPE=Haswell / SkylakeX (<= 1.5x, wall), and vs scikit-learn's
#                            rbf_kernel (>= 3x)
#   bench/krr-mixed-peer.sh  exact KRR n = 20,000 in mixed precision vs scikit-learn KernelRidge (<= 0.4x the time,
#                            RMSE equal to 1e-6 relative)
#   kernels4j bench read     reading a 100,000 x 21 CSV and the same rows as LibSVM vs NumPy loadtxt /
#                            scikit-learn load_svmlight_file (bench/read_peer.py; >= 1x in MB/s, the same matrix)
# Output: bench-results/issue32.md (written whole, then renamed into place) and stdout; every part's own output
# and data under bench-results/issue32/ (RESULT lines: bench-results/issue32/results.txt). A part that fails is
# reported in the table (FAILED) and the others still run; the exit status is then 1.
# Figures are wall seconds (CPU seconds beside them) on whatever else the machine is running: the header gives the
# load average at start and end. The full run takes about 15 minutes on a quiet 2-core machine (an estimate from the
# parts' own published times; 30 minutes or more under load); QUICK=1 about 2 minutes.
# Usage: bench/issue32.sh ; QUICK=1 bench/issue32.sh runs every part at small sizes (a smoke test of the script:
#        its figures say nothing about the targets); PARTS="svm nystrom gram krr read" runs a subset;
#        SKIP_1T=1 skips the SVM one-thread runs (and their rows). A quick run writes bench-results/issue32-quick.md
#        and its logs under bench-results/issue32/quick/, never over a full run's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if [ -n "${QUICK:-}" ]; then
  SVM_N=2000; SVM_TEST=1000; NY_N=10000; NY_MS=200,400; GRAM_N=2000; KRR_N=2000; READ_ROWS=10000
else
  SVM_N=20000; SVM_TEST=5000; NY_N=100000; NY_MS=1000,2000,4000; GRAM_N=20000; KRR_N=20000; READ_ROWS=100000
fi
PARTS="${PARTS:-svm nystrom gram krr read}"
out="bench-results/issue32"
if [ -n "${QUICK:-}" ]; then out="$out/quick"; fi
mkdir -p "$out"
results="$out/results.txt"
: > "$results"
meta="$out/meta.txt"
: > "$meta"
m() { printf '%s\t%s\n' "$1" "$2" >> "$meta"; }  # one header item: key, value

start_load="$(cut -d' ' -f1-3 /proc/loadavg)"
m date "$(date -u +%Y-%m-%dT%H:%MZ)"
m start_epoch "$(date +%s)"
m quick "${QUICK:-}"
m load_start "$start_load"
m nproc "$(nproc)"
m memory "$(free -g | awk '/Mem:/{print $2}') GiB"
m cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
m java "$(java -version 2>&1 | head -1)"
dirty=""
if [ -n "$(git status --porcelain 2>/dev/null || true)" ]; then dirty=" (uncommitted changes)"; fi
m commit "$(git rev-parse --short HEAD 2>/dev/null || echo '?')$dirty"
m libsvm "$(dpkg-query -W -f='${Version}' libsvm-tools 2>/dev/null || echo 'not installed')"
m sklearn "$("$PY" -c 'import sklearn; print(sklearn.__version__)' 2>/dev/null || echo 'not installed')"
m numpy "$("$PY" -c 'import numpy; print(numpy.__version__)' 2>/dev/null || echo 'not installed')"
m parts "$PARTS"
m skip_1t "${SKIP_1T:-}"
m svm_n "$SVM_N"
m gram_n "$GRAM_N"
m sizes "SVM n=$SVM_N (test $SVM_TEST); Nystrom n=$NY_N m=$NY_MS; Gram n=$GRAM_N; KRR n=$KRR_N; read rows=$READ_ROWS"

./kernels4j --version > /dev/null  # builds the jar on first use (a clean clone), outside every timing
# The OpenBLAS build and the core it picks, from a tiny Gram run (without class-data sharing, so that this run does
# not write the launcher's archive: see the SVM part).
KERNELS4J_CDS=0 ./kernels4j bench gram --n 200 --d 8 --reps 1 > "$out/blas.log" 2>&1 || true
m blas "$(sed -n 's/^BLAS: //p' "$out/blas.log" | head -1)"
m coretype_env "${OPENBLAS_CORETYPE:-unset}"

status=0
# part NAME COMMAND...: runs one part, its output to $out/NAME.log and stdout, its wall time and exit status to meta
part() {
  local name="$1"; shift
  case " $PARTS " in *" $name "*) ;; *) return 0 ;; esac
  echo "== $name: $* ($(date -u +%H:%M:%SZ))"
  local t0 rc=0
  t0=$(date +%s)
  "$@" 2>&1 | tee "$out/$name.log" || rc=$?
  m "part_$name" "$rc $(( $(date +%s) - t0 ))"
  if [ "$rc" != 0 ]; then echo "== $name FAILED (exit $rc): see $out/$name.log"; status=1; fi
}

# Each part chains its steps with && (a function run in part()'s "|| rc" context ignores set -e).
svm() {
  # JDK 17: the launcher writes its class-data archive during the first command after a build, which would make
  # the first timed fit pay for it; an untimed small fit writes it first (a user's every later run has it).
  mkdir -p "$out/svm-warmup" &&
    "$PY" bench/svm_suite.py gen blobs_d5 "$out/svm-warmup" 500 100 7 &&
    ./kernels4j fit --model svc --train "$out/svm-warmup/train.libsvm" --kernel "rbf(gamma=0.1)" --c 1 \
      --no-progress --out "$out/svm-warmup/model.zip" > "$out/svm-warmup/fit.log" 2>&1 &&
    N_TEST="$SVM_TEST" BENCH_OUT="$out/svm-n$SVM_N" RESULTS_FILE="$results" bench/svm-suite.sh "$SVM_N"
}
nystrom() { SOLVERS=auto BENCH_OUT="$out/nystrom" RESULTS_FILE="$results" bench/nystrom-peer.sh "$NY_N" "$NY_MS"; }
gram() { BENCH_OUT="$out/gram" RESULTS_FILE="$results" bench/gram-peer.sh "$GRAM_N"; }
krr() { BENCH_OUT="$out/krr-mixed" RESULTS_FILE="$results" bench/krr-mixed-peer.sh "$KRR_N"; }
read_bench() {
  local log="$out/read/bench.log"
  mkdir -p "$out/read" &&
    ./kernels4j bench read --rows "$READ_ROWS" --python "$PY" --work-dir "$out/read" > "$log" &&
    cat "$log" &&
    awk '/^read rows=/{for (i = 2; i <= NF; i++) { split($i, kv, "="); h[kv[1]] = kv[2] } }
         $1 == "csv" || $1 == "libsvm" {
           printf "RESULT part=read format=%s rows=%s cols=%s mb=%s seconds=%s mbps=%s", $1, h["rows"], h["cols"], $2, $3, $4
           printf " peer_seconds=%s peer_mbps=%s speedup=%s max_diff=%s\n", $5, $6, $7, $8 }' "$log" >> "$results"
}
part svm svm
part nystrom nystrom
part gram gram
part krr krr
part read read_bench

m load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
m end_epoch "$(date +%s)"
tmp="$(mktemp "bench-results/issue32.md.XXXXXX")"
"$PY" bench/issue32_table.py "$meta" "$results" "$out" > "$tmp"
if [ -n "${QUICK:-}" ]; then table="bench-results/issue32-quick.md"; else table="bench-results/issue32.md"; fi
mv "$tmp" "$table"
echo
cat "$table"
echo "(written to $table; logs under $out/)"
exit "$status"
