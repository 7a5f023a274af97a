#!/usr/bin/env bash
# Binary GP classification with learned hyperparameters, one run, identical data: scikit-learn's
# GaussianProcessClassifier (Laplace, ConstantKernel*RBF, its default L-BFGS-B, no restarts;
# bench/gpc_sklearn.py, which also writes the data) against kernels4j's EP (probit, EP evidence) and
# CVI (logit, EP-like objective), both from 1*rbf(length=1). Prints one line per method: test log-loss,
# accuracy, learned kernel, wall and process-CPU seconds of fit + predict.
# Installs python3-sklearn (Debian) if missing: a benchmark tool, never a project dependency.
# Usage: bench/gpc-inference.sh [N_TRAIN] [N_TEST] [SEED] [METHODS]   (needs `mvn -o -q -pl kernels4j-bench -am compile` first)
# THREADS=1 runs both sides single-threaded (OPENBLAS_NUM_THREADS=1 / -Dkernels4j.threads=1): on a
# loaded machine a multi-threaded BLAS spends its time waiting for its own threads.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-500}; m=${2:-1000}; seed=${3:-7}; methods=${4:-ep cvi}
PY=/usr/bin/python3
if ! "$PY" -c "import sklearn" 2>/dev/null; then
  echo "installing python3-sklearn (Debian package) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-sklearn >&2
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); threads ${THREADS:-default}; scikit-learn $("$PY" -c 'import sklearn; print(sklearn.__version__)')"
jthreads=()
if [ -n "${THREADS:-}" ]; then
  export OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS"
  jthreads=(-Dkernels4j.threads="$THREADS")
fi
"$PY" "$root/bench/gpc_sklearn.py" "$dir" "$n" "$m" "$seed"
cp=$root/kernels4j-core/target/classes:$root/kernels4j-bench/target/classes
cp=$cp:$(find ~/.m2/repository/org/bytedeco ~/.m2/repository/org/apache/commons -name '*.jar' | grep -E 'javacpp|openblas|commons-statistics|commons-numbers|commons-rng' | grep -E 'linux-x86_64|javacpp-[0-9.]+\.jar|openblas-[0-9.-]+\.jar|commons' | tr '\n' ':')
# shellcheck disable=SC2086
java "${jthreads[@]}" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
  org.kernels4j.bench.GpInferenceBenchmark "$dir" $methods 2>&1 | grep -v "^WARNING: Using incubator"
