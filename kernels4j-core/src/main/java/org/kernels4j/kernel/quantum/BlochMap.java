package org.kernels4j.kernel.quantum;

import org.kernels4j.kernel.RowFeatureMap;

/**
 * φ(x) = (r_1, …, r_n)/√2 with r_k = (⟨X_k⟩, ⟨Y_k⟩, ⟨Z_k⟩) the Bloch vector of qubit k's reduced density
 * matrix ρ_k = (I + r_k·σ)/2 in |Φ(x)⟩, so that ‖φ(x) − φ(z)‖² = Σ_k ‖ρ_k(x) − ρ_k(z)‖²_F.
 */
record BlochMap(PauliFeatureMap featureMap) implements RowFeatureMap {

    @Override
    public int width(int d) {
        return 3 * d;
    }

    @Override
    public boolean complex() {
        return false;
    }

    @Override
    public void map(double[] x, int offset, int d, double[] out) {
        double[] psi = new double[PauliFeatureMap.stateLength(d)];
        featureMap.state(x, offset, d, psi);
        blochVectors(psi, d, out);
        double s = Math.sqrt(0.5);
        for (int k = 0; k < 3 * d; k++) {
            out[k] *= s;
        }
    }

    /**
     * The Bloch vectors of every qubit's reduced density matrix, {@code out[3k..3k+2] = (⟨X_k⟩, ⟨Y_k⟩, ⟨Z_k⟩)}:
     * ⟨X_k⟩ = 2·Re Σ conj(ψ_{b0})ψ_{b1}, ⟨Y_k⟩ = 2·Im Σ conj(ψ_{b0})ψ_{b1}, ⟨Z_k⟩ = Σ (|ψ_{b0}|² − |ψ_{b1}|²),
     * summed over the basis states b0 with bit k clear and b1 = b0 with bit k set. O(n·2ⁿ).
     */
    static void blochVectors(double[] psi, int n, double[] out) {
        int dim = 1 << n;
        for (int k = 0; k < n; k++) {
            int bit = 1 << k;
            double sx = 0;
            double sy = 0;
            double sz = 0;
            for (int b0 = 0; b0 < dim; b0++) {
                if ((b0 & bit) != 0) {
                    continue;
                }
                int b1 = b0 | bit;
                double r0 = psi[2 * b0];
                double i0 = psi[2 * b0 + 1];
                double r1 = psi[2 * b1];
                double i1 = psi[2 * b1 + 1];
                sx += r0 * r1 + i0 * i1;
                sy += r0 * i1 - i0 * r1;
                sz += r0 * r0 + i0 * i0 - r1 * r1 - i1 * i1;
            }
            out[3 * k] = 2 * sx;
            out[3 * k + 1] = 2 * sy;
            out[3 * k + 2] = sz;
        }
    }
}
