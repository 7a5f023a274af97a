#!/usr/bin/env bash
# Three-class GP classification with learned hyperparameters on identical rows, one run: kernels4j softmax
# (Laplace, R&W Algorithm 3.3) and one-vs-rest, and scikit-learn's GaussianProcessClassifier (one-vs-rest,
# bench/gpc_softmax_peer.py). Installs python3-sklearn if missing (a benchmark tool, never a project dependency).
# Usage: bench/gpc-softmax.sh [N_TRAIN (default 2000)] [N_TEST (default 1000)] [SEED (default 1)]
# (needs the CLI jar: mvn -o -q -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! "$PY" -c "import sklearn" 2>/dev/null; then
  echo "installing python3-sklearn (Debian package) for the peer comparison..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-sklearn >&2
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
echo "peer: scikit-learn $("$PY" -c 'import sklearn; print(sklearn.__version__)')"
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar kernels4j-cli/target/kernels4j.jar \
  bench gpc-softmax --n "${1:-2000}" --test "${2:-1000}" --seed "${3:-1}" --python "$PY" --script bench/gpc_softmax_peer.py
