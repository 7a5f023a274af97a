package org.kernels4j.kernel.quantum;

import org.kernels4j.kernel.RowFeatureMap;

/** φ(x) = |Φ(x)⟩ as interleaved (re, im) amplitudes: the rows the fidelity kernel's complex GEMM reads. */
record StateMap(PauliFeatureMap featureMap) implements RowFeatureMap {

    @Override
    public int width(int d) {
        return PauliFeatureMap.stateLength(d);
    }

    @Override
    public boolean complex() {
        return true;
    }

    @Override
    public void map(double[] x, int offset, int d, double[] out) {
        featureMap.state(x, offset, d, out);
    }
}
