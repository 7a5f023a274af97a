#!/usr/bin/env bash
# C-SVC (RBF kernel) on identical rows and settings: kernels4j against LIBSVM's svm-train (Debian package
# libsvm-tools) and scikit-learn's SVC. Same C, gamma (scikit-learn's 'scale', printed by kernels4j),
# tolerance 1e-3 and kernel cache for all three. Installs libsvm-tools and python3-sklearn if missing
# (benchmark tools, never project dependencies).
# Usage: bench/svm_peer.sh [synthetic sizes, default 20000,100000] ; SKIP_SKLEARN_ABOVE=N skips scikit-learn
# above N training rows (default 20000: it wraps the same LIBSVM and takes as long).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-20000,100000}"
CACHE="${CACHE_MB:-512}"
SKIP_ABOVE="${SKIP_SKLEARN_ABOVE:-20000}"
PY=/usr/bin/python3
need=()
command -v svm-train >/dev/null || need+=(libsvm-tools)
"$PY" -c "import sklearn" 2>/dev/null || need+=(python3-sklearn)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}" >&2
fi
out="bench-results/svm"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
echo "peers: LIBSVM $(dpkg-query -W -f='${Version}' libsvm-tools 2>/dev/null || echo '?'), scikit-learn $("$PY" -c 'import sklearn; print(sklearn.__version__)')"
printf "%-22s %7s %5s | %9s %9s %9s | %7s %7s | %8s %8s %8s | %6s %6s %6s\n" data n_train d kernels4j svm-train \
  sklearn k4j/lib k4j/skl acc_k4j acc_lib acc_skl sv_k4j sv_lib sv_skl
run_one() { # name, then the arguments of 'kernels4j bench svm'
  local name="$1"; shift
  local dir="$out/$name"
  ./kernels4j bench svm --cache-mb "$CACHE" --export-dir "$dir" "$@" > "$dir.ours.log"
  local ours acc sv gamma c ntrain d
  ours=$(awk '/^seconds/{print $2}' "$dir/ours.txt"); acc=$(awk '/^test_accuracy/{print $2}' "$dir/ours.txt")
  sv=$(awk '/^support_vectors/{print $2}' "$dir/ours.txt"); gamma=$(awk '/^gamma/{print $2}' "$dir/ours.txt")
  c=$(awk '/^c /{print $2}' "$dir/ours.txt")
  ntrain=$(wc -l < "$dir/train.libsvm"); d=$(awk '/^svm /{for(i=1;i<=NF;i++) if ($i ~ /^d=/) {sub("d=","",$i); print $i}}' "$dir.ours.log")
  local t0 t1 lib libacc libsv
  t0=$(date +%s.%N)
  svm-train -c "$c" -g "$gamma" -e 0.001 -m "$CACHE" "$dir/train.libsvm" "$dir/libsvm.model" > "$dir.libsvm.log"
  t1=$(date +%s.%N)
  lib=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')
  libsv=$(awk '/^total_sv/{print $2}' "$dir/libsvm.model")
  libacc=$(svm-predict "$dir/test.libsvm" "$dir/libsvm.model" "$dir/libsvm.pred" | sed -n 's/Accuracy = \([0-9.]*\)%.*/\1/p')
  libacc=$(awk -v a="$libacc" 'BEGIN{print a / 100}')
  local skl="-" sklacc="-" sklsv="-" ratio_skl="-"
  if [ "$ntrain" -le "$SKIP_ABOVE" ]; then
    "$PY" bench/sklearn_peer.py svc "$dir" "$c" "$gamma" "$CACHE" > "$dir.sklearn.log"
    skl=$(awk '/seconds/{print $2}' "$dir.sklearn.log"); sklacc=$(awk '/accuracy/{print $2}' "$dir.sklearn.log")
    sklsv=$(awk '/support_vectors/{print $2}' "$dir.sklearn.log")
    ratio_skl=$(awk -v a="$ours" -v b="$skl" 'BEGIN{printf "%.3f", a / b}')
  fi
  printf "%-22s %7d %5s | %9.2f %9.2f %9s | %7.3f %7s | %8.4f %8.4f %8s | %6d %6d %6s\n" "$name" "$ntrain" "$d" "$ours" \
    "$lib" "$skl" "$(awk -v a="$ours" -v b="$lib" 'BEGIN{print a / b}')" "$ratio_skl" "$acc" "$libacc" "$sklacc" "$sv" "$libsv" "$sklsv"
}
run_one digits --data data/digits.csv
run_one breast_cancer --data data/breast_cancer.csv
for n in ${SIZES//,/ }; do
  run_one "synthetic_$n" --n "$n" --test 5000 --d 20
done
echo "(seconds: training only for kernels4j and scikit-learn; the whole svm-train run, which includes reading"
echo " its text file, for LIBSVM. k4j/lib and k4j/skl: time ratios, below 1 means kernels4j is faster.)"
