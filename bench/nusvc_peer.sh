#!/usr/bin/env bash
# nu-SVC (RBF kernel) on identical rows and settings: kernels4j against LIBSVM's svm-train -s 1 (Debian
# package libsvm-tools) and R kernlab's ksvm(type = "nu-svc") (Debian package r-cran-kernlab). Same nu,
# gamma (scikit-learn's 'scale', printed by kernels4j), tolerance 1e-3 and kernel cache for all three, in
# one run. Installs libsvm-tools and r-cran-kernlab if missing (benchmark tools, never project dependencies).
# Usage: bench/nusvc_peer.sh [synthetic sizes, default 5000,10000] ; NU=0.5 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-5000,10000}"
NU="${NU:-0.5}"
TOL="${TOL:-0.001}"
CACHE="${CACHE_MB:-512}"
need=()
command -v svm-train >/dev/null || need+=(libsvm-tools)
Rscript -e 'library(kernlab)' >/dev/null 2>&1 || need+=(r-cran-kernlab)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}" >&2
fi
out="bench-results/nusvc"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
echo "peers: LIBSVM $(dpkg-query -W -f='${Version}' libsvm-tools 2>/dev/null || echo '?'), kernlab $(Rscript -e 'cat(as.character(packageVersion("kernlab")))')"
printf "%-18s %6s %4s %4s | %9s %9s %9s | %7s %7s | %7s %7s %7s | %6s %6s %6s\n" data n_train d nu kernels4j svm-train \
  kernlab k4j/lib k4j/klab acc_k4j acc_lib acc_klab sv_k4j sv_lib sv_klab
run_one() { # name, then the arguments of 'kernels4j bench nusvc'
  local name="$1"; shift
  local dir="$out/$name"
  ./kernels4j bench nusvc --nu "$NU" --tol "$TOL" --cache-mb "$CACHE" --export-dir "$dir" "$@" > "$dir.ours.log"
  local ours acc sv gamma ntrain d
  ours=$(awk '/^seconds/{print $2}' "$dir/ours.txt"); acc=$(awk '/^test_accuracy/{print $2}' "$dir/ours.txt")
  sv=$(awk '/^support_vectors/{print $2}' "$dir/ours.txt"); gamma=$(awk '/^gamma/{print $2}' "$dir/ours.txt")
  ntrain=$(wc -l < "$dir/train.libsvm"); d=$(awk '/^nusvc /{for(i=1;i<=NF;i++) if ($i ~ /^d=/) {sub("d=","",$i); print $i}}' "$dir.ours.log")
  local t0 t1 lib libacc libsv
  t0=$(date +%s.%N)
  svm-train -s 1 -n "$NU" -g "$gamma" -e "$TOL" -m "$CACHE" "$dir/train.libsvm" "$dir/libsvm.model" > "$dir.libsvm.log"
  t1=$(date +%s.%N)
  lib=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')
  libsv=$(awk '/^total_sv/{print $2}' "$dir/libsvm.model")
  libacc=$(svm-predict "$dir/test.libsvm" "$dir/libsvm.model" "$dir/libsvm.pred" | sed -n 's/Accuracy = \([0-9.]*\)%.*/\1/p')
  libacc=$(awk -v a="$libacc" 'BEGIN{print a / 100}')
  Rscript bench/kernlab_nusvc.R "$dir" "$gamma" "$NU" "$TOL" "$CACHE" > "$dir.kernlab.log"
  local klab klabacc klabsv
  klab=$(awk '/^seconds/{print $2}' "$dir.kernlab.log"); klabacc=$(awk '/^test_accuracy/{print $2}' "$dir.kernlab.log")
  klabsv=$(awk '/^support_vectors/{print $2}' "$dir.kernlab.log")
  printf "%-18s %6d %4s %4s | %9.2f %9.2f %9.2f | %7.3f %7.3f | %7.4f %7.4f %7.4f | %6d %6d %6d\n" "$name" "$ntrain" "$d" \
    "$NU" "$ours" "$lib" "$klab" "$(awk -v a="$ours" -v b="$lib" 'BEGIN{print a / b}')" \
    "$(awk -v a="$ours" -v b="$klab" 'BEGIN{print a / b}')" "$acc" "$libacc" "$klabacc" "$sv" "$libsv" "$klabsv"
}
for n in ${SIZES//,/ }; do
  run_one "synthetic_$n" --n "$n" --test 2000 --d 20
done
echo "(seconds: training only for kernels4j (after JIT warm-up) and kernlab (ksvm's elapsed time, in-memory data);"
echo " the whole svm-train run, which includes reading its text file, for LIBSVM. Ratios below 1: kernels4j faster.)"
