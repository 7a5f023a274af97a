#!/usr/bin/env bash
# Binary GP classification with learned hyperparameters, one run, identical data:
# the NumPy/SciPy port of scikit-learn's Laplace GaussianProcessClassifier (bench/gpc_laplace_port.py)
# against kernels4j's EP (probit, EP evidence) and CVI (logit, EP-like objective).
# Usage: bench/gpc-inference.sh [N_TRAIN] [N_TEST] [SEED]   (needs `mvn -o -q compile` first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-500}; m=${2:-1000}; seed=${3:-7}
dir=$(mktemp -d)
python3 "$root/bench/gpc_laplace_port.py" "$dir" "$n" "$m" "$seed"
cp=$root/kernels4j-core/target/classes:$root/kernels4j-bench/target/classes
cp=$cp:$(find ~/.m2/repository/org/bytedeco ~/.m2/repository/org/apache/commons -name '*.jar' | grep -E 'javacpp|openblas|commons-statistics|commons-numbers|commons-rng' | grep -E 'linux-x86_64|javacpp-[0-9.]+\.jar|openblas-[0-9.-]+\.jar|commons' | tr '\n' ':')
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
  org.kernels4j.bench.GpInferenceBenchmark "$dir" ep cvi
