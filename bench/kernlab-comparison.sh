#!/usr/bin/env bash
# kernels4j against R's kernlab on identical rows, in one run: kpca, specc, kqr, rvm, gausspr, ksvm (C-SVC) and ksvm-nu (nu-SVC, nu = 0.2) with
# the same kernel (RBF exp(-sigma |x-y|^2)), the same settings and no input scaling (see KernlabComparison and
# bench/kernlab_peer.R). Each side times its own fit (data already in memory); ratio = kernlab / kernels4j seconds,
# so above 1 means kernels4j is faster. Installs r-cran-kernlab (Debian package) when missing: a benchmark tool,
# never a project dependency.
# Usage: bench/kernlab-comparison.sh [sizes, default 2000] [methods, default kpca,specc,kqr,rvm,gausspr,ksvm,ksvm-nu]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-2000}"
K4J="${K4J:-./kernels4j}"   # or a direct java command line over built classes
METHODS="${2:-kpca,specc,kqr,rvm,gausspr,ksvm,ksvm-nu}"
if ! Rscript -e 'suppressMessages(library(kernlab))' >/dev/null 2>&1; then
  echo "installing r-cran-kernlab (Debian package) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q r-base-core r-cran-kernlab >&2
fi
out="bench-results/kernlab"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "peer: kernlab $(Rscript -e 'cat(as.character(packageVersion("kernlab")))'), $(R --version | head -1)"
printf "%-8s %6s | %9s %9s %7s | %-14s %10s %10s | %6s %6s\n" method n kernels4j kernlab ratio metric k4j kernlab \
  x_k4j x_klab
for n in ${SIZES//,/ }; do
  dir="$out/n$n"
  mkdir -p "$dir"
  $K4J bench kernlab --n "$n" --methods "$METHODS" --export-dir "$dir" > "$dir/k4j.tsv"
  Rscript bench/kernlab_peer.R "$dir" "$METHODS" > "$dir/kernlab.tsv"
  join -t $'\t' <(tail -n +2 "$dir/k4j.tsv" | sort) <(tail -n +2 "$dir/kernlab.tsv" | sort) | \
    awk -F'\t' '{ printf "%-8s %6d | %9.2f %9.2f %7.2f | %-14s %10.4g %10.4g | %6s %6s\n", $1, $2, $3, $8, $8 / $3, $4, $5, $10, $6, $11 }'
done
echo "(ratio = kernlab seconds / kernels4j seconds; x = support vectors (ksvm) or relevance vectors (rvm))"
