#!/usr/bin/env bash
# The SVM suite of issue 32: C-SVC (RBF) on problems from different generators, none of them used while tuning
# kernels4j, each run against LIBSVM's svm-train and scikit-learn's SVC on identical LibSVM files, in one run.
#
#   generated (bench/svm_suite.py, seeded): blobs_d5 (nearly separable, few support vectors), xor_d8 (non-linear),
#   noisy_d50 (15% flipped labels: most rows support vectors), sparse_d200 (bag-of-words counts, ~12 of 200
#   features non-zero), multi5_d10 (five classes, one-vs-one); kernels4j's own synthetic_d20 (SyntheticData, the
#   set of issue 32); and the bundled digits, breast_cancer and heart_scale (seeded 75/25 split, standardized).
#
# Every tool gets the same C = 1, gamma = scikit-learn's 'scale' (1/(d·Var X_train), written to params),
# tolerance 1e-3 and a 512 MiB kernel cache. Columns:
#   e2e      the whole command a user runs, JVM or interpreter start and file reading included:
#            ./kernels4j fit --model svc ... ; svm-train ... ; python3 (load_svmlight_files + SVC.fit)
#   k4j/1t   the same kernels4j command on one thread (-Dkernels4j.threads=1): wall/cpu seconds
#   solve    the fit alone: kernels4j's printed solve time; scikit-learn's SVC.fit (the LIBSVM solver in-process)
#   cpu      user+sys CPU seconds of the whole command (less sensitive than wall time to a shared machine)
#   obj      the largest relative difference of kernels4j's dual objective from svm-train's, over the binary
#            problems
#   acc      test accuracy, %; SV% the share of training rows that are support vectors (svm-train's)
# Installs libsvm-tools and python3-sklearn when missing (benchmark tools, never project dependencies).
# Usage: bench/svm-suite.sh [n_train (default 20000)] ; N_TEST (default 5000), CACHE_MB (default 512),
#        ONLY="blobs_d5 digits" runs a subset; SKIP_1T=1 skips the one-thread run; BENCH_OUT (default
#        bench-results/svm-suite) is where data and logs go (a problem's data is made once per folder: use a
#        new folder for another n); RESULTS_FILE=FILE also appends one "RESULT key=value ..." line per problem
#        to FILE (for bench/issue32.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
NTEST="${N_TEST:-5000}"
CACHE="${CACHE_MB:-512}"
PY=/usr/bin/python3
need=()
command -v svm-train >/dev/null || need+=(libsvm-tools)
"$PY" -c "import sklearn" 2>/dev/null || need+=(python3-sklearn)
command -v /usr/bin/time >/dev/null || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}" >&2
fi
out="${BENCH_OUT:-bench-results/svm-suite}"
mkdir -p "$out"
./kernels4j --version > /dev/null # builds the jar on first use, outside the timings
# wall, then user+sys CPU seconds of a command (its output goes to the log named first)
timed() { local log="$1"; shift; /usr/bin/time -f "%e %U %S" -o "$log.time" "$@" > "$log" 2>&1
  awk '{printf "%.2f %.2f", $1, $2 + $3}' "$log.time"; }
jvm=$(timed "$out/version.log" ./kernels4j --version)
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB," \
  "load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "peers: LIBSVM $(dpkg-query -W -f='${Version}' libsvm-tools 2>/dev/null || echo '?'), scikit-learn" \
  "$("$PY" -c 'import sklearn; print(sklearn.__version__)'); JVM start (./kernels4j --version): ${jvm% *} s wall," \
  "${jvm#* } s CPU"
printf "%-14s %6s %4s %3s %5s | %7s %11s %7s %7s %6s | %6s %6s | %6s %6s | %8s | %6s %6s %6s\n" data n d cls SV% \
  e2e_k4j k4j/1t svm-trn sklearn lib/k4j solv_k4j solv_skl cpu_k4j cpu_lib obj_diff acc_k4j acc_lib acc_skl
result() { if [ -n "${RESULTS_FILE:-}" ]; then echo "RESULT $*" >> "$RESULTS_FILE"; fi; }
prepare() { # name dir
  local name="$1" dir="$2"
  [ -f "$dir/params" ] && return 0
  case "$name" in
    digits|breast_cancer|heart_scale) "$PY" bench/svm_suite.py split "data/$name.csv" "$dir" 1 ;;
    synthetic_d20)
      ./kernels4j bench svm --n "$N" --test "$NTEST" --d 20 --cache-mb 64 --export-dir "$dir" > "$dir/export.log"
      "$PY" - "$dir" <<'EOF'
import sys
from sklearn.datasets import load_svmlight_file
x, y = load_svmlight_file(f"{sys.argv[1]}/train.libsvm")
x = x.toarray()
open(f"{sys.argv[1]}/params", "w").write(f"gamma {1 / (x.shape[1] * x.var()):.6g}\nd {x.shape[1]}\n"
                                         f"classes {len(set(y))}\n")
EOF
      ;;
    *) "$PY" bench/svm_suite.py gen "$name" "$dir" "$N" "$NTEST" 7 ;;
  esac
}
run_one() {
  local name="$1" dir="$out/$1"
  mkdir -p "$dir"
  prepare "$name" "$dir"
  local g d cls n
  g=$(awk '/^gamma/{print $2}' "$dir/params"); d=$(awk '/^d /{print $2}' "$dir/params")
  cls=$(awk '/^classes/{print $2}' "$dir/params"); n=$(wc -l < "$dir/train.libsvm")
  local k k1="-" lib skl
  k=$(timed "$dir/k4j.log" ./kernels4j fit --model svc --train "$dir/train.libsvm" --kernel "rbf(gamma=$g)" --c 1 \
    --tol 1e-3 --cache-mb "$CACHE" --no-progress --out "$dir/k4j.zip")
  if [ -z "${SKIP_1T:-}" ]; then
    k1=$(KERNELS4J_JAVA_OPTS="-Xmx12g -Xmn2g -Dkernels4j.threads=1" timed "$dir/k4j1.log" ./kernels4j fit --model svc \
      --train "$dir/train.libsvm" --kernel "rbf(gamma=$g)" --c 1 --tol 1e-3 --cache-mb "$CACHE" --no-progress \
      --out "$dir/k4j1.zip")
    k1="${k1% *}/${k1#* }"
  fi
  lib=$(timed "$dir/lib.log" svm-train -c 1 -g "$g" -e 0.001 -m "$CACHE" "$dir/train.libsvm" "$dir/lib.model")
  skl=$(timed "$dir/skl.log" "$PY" bench/svm_suite.py sklearn "$dir" 1 "$g" "$CACHE")
  ./kernels4j evaluate --model "$dir/k4j.zip" --data "$dir/test.libsvm" > "$dir/k4j.eval" 2>&1
  local acck acclib accskl sv solvek solves objdiff
  acck=$(awk '/^accuracy: /{printf "%.2f", 100 * $2}' "$dir/k4j.eval")
  acclib=$(svm-predict "$dir/test.libsvm" "$dir/lib.model" "$dir/lib.pred" | sed -n 's/Accuracy = \([0-9.]*\)%.*/\1/p')
  accskl=$(awk '/^test_accuracy/{printf "%.2f", 100 * $2}' "$dir/skl.log")
  sv=$(awk -v n="$n" '/^total_sv/{printf "%.1f", 100 * $2 / n}' "$dir/lib.model")
  solvek=$(sed -n 's/^support vectors: .*; \([0-9.]*\) s$/\1/p' "$dir/k4j.log")
  solves=$(awk '/^solve_seconds/{print $2}' "$dir/skl.log")
  # LIBSVM prints 'obj = X,' per pair, its classes in order of appearance; kernels4j one table row per pair, its
  # classes sorted: the pairs are matched by sorting both lists of objectives
  objdiff=$(paste <(sed -n 's/^obj = \([-0-9.e+]*\),.*/\1/p' "$dir/lib.log" | sort -g) \
    <(awk '/^problem +objective/{t=1; next} t && /^support vectors/{t=0} t{print $(NF-5)}' "$dir/k4j.log" | sort -g) |
    awk '{r = ($1 - $2) / ($1 < 0 ? -$1 : $1); r = r < 0 ? -r : r; if (r > m) m = r} END{printf "%.1e", m}')
  printf "%-14s %6d %4d %3d %5s | %7.2f %11s %7.2f %7.2f %6.2f | %8.2f %8.3f | %7.2f %7.2f | %8s | %7s %7s %7s\n" \
    "$name" "$n" "$d" "$cls" "$sv" "${k% *}" "$k1" "${lib% *}" "${skl% *}" \
    "$(awk -v a="${lib% *}" -v b="${k% *}" 'BEGIN{print a / b}')" "$solvek" "$solves" "${k#* }" "${lib#* }" \
    "$objdiff" "$acck" "$acclib" "$accskl"
  result part=svm name="$name" n="$n" d="$d" classes="$cls" sv_pct="$sv" k4j_wall="${k% *}" k4j_cpu="${k#* }" \
    k4j1_wall="${k1%/*}" k4j1_cpu="${k1#*/}" lib_wall="${lib% *}" lib_cpu="${lib#* }" skl_wall="${skl% *}" \
    skl_cpu="${skl#* }" solve_k4j="$solvek" solve_skl="$solves" obj_diff="$objdiff" \
    obj_pairs_lib="$(grep -c '^obj = ' "$dir/lib.log" || true)" \
    obj_pairs_k4j="$(awk '/^problem +objective/{t=1; next} t && /^support vectors/{t=0} t{c++} END{print c + 0}' \
      "$dir/k4j.log")" acc_k4j="$acck" acc_lib="$acclib" acc_skl="$accskl"
}
for p in ${ONLY:-blobs_d5 xor_d8 noisy_d50 sparse_d200 multi5_d10 synthetic_d20 digits breast_cancer heart_scale}; do
  run_one "$p"
done
echo "(seconds, wall clock unless marked cpu. lib/k4j: svm-train's end-to-end time over kernels4j's, above 1 means"
echo " kernels4j is faster. obj_diff: largest relative difference of the dual objectives, kernels4j vs svm-train.)"
