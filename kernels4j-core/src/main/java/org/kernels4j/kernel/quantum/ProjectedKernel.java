package org.kernels4j.kernel.quantum;

import java.util.List;
import java.util.Objects;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelCatalog;
import org.kernels4j.kernel.Specs;

/**
 * The projected quantum kernel (Huang et al., "Power of data in quantum machine learning", Nature
 * Communications 12, 2021): K(x, z) = exp(−γ·Σ_k ‖ρ_k(x) − ρ_k(z)‖²_F), where ρ_k(x) is the reduced
 * density matrix of qubit k in the state |Φ(x)⟩ of a {@link PauliFeatureMap}. Spec:
 * {@code projected(paulis=[Z, ZZ], reps=2, entanglement=full, alpha=2, gamma=1)}.
 *
 * <p>Why it exists beside the fidelity kernel: fidelities between 2ⁿ-dimensional states concentrate
 * exponentially around their mean as qubits are added (Thanasilp et al. 2022), so fidelity Gram
 * matrices approach a constant times the identity; the one-qubit projections keep O(1) spread.
 *
 * <p>With ρ_k = (I + r_k·σ)/2 for the Bloch vector r_k = (⟨X_k⟩, ⟨Y_k⟩, ⟨Z_k⟩),
 * ‖ρ_k(x) − ρ_k(z)‖²_F = ‖r_k(x) − r_k(z)‖²/2, so K is an RBF kernel on the 3n features r/√2 computed
 * once per point (O(reps·2ⁿ·(n + t)) each, see {@link PauliFeatureMap}); each Gram tile is then one
 * GEMM of width 3n. PSD for every γ &gt; 0. ∂K/∂log γ = −γ·D·K.
 */
public final class ProjectedKernel implements Kernel {
    /** γ &gt; 0, learnable. */
    public static final KernelCatalog.Param GAMMA = KernelCatalog.Param.positive("gamma", 1,
            "RBF scale on the sum of squared Frobenius distances of the one-qubit reduced density matrices, > 0");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("projected",
            "k(x,z) = exp(-gamma * sum_k ||rho_k(x) - rho_k(z)||_F^2), rho_k = one-qubit reduced density matrix of"
                    + " the Pauli feature-map state (Huang 2021)")
            .params(FidelityKernel.PAULIS, FidelityKernel.REPS, FidelityKernel.ENTANGLEMENT, FidelityKernel.ALPHA,
                    GAMMA)
            .caveat("one qubit per feature: each point's state (2^d amplitudes) is simulated once")
            .examples("projected(paulis=[Z, YY], reps=1, entanglement=linear, alpha=0.9, gamma=0.5)",
                    "projected(reps=3, gamma=2.5)")
            .factory(a -> new ProjectedKernel(FidelityKernel.map(a, a.wordList(FidelityKernel.PAULIS)),
                    a.number(GAMMA)));

    private final PauliFeatureMap featureMap;
    private final BlochMap features;
    private final double gamma;

    /** The projected kernel of {@code featureMap} with scale γ &gt; 0. */
    public ProjectedKernel(PauliFeatureMap featureMap, double gamma) {
        this.featureMap = Objects.requireNonNull(featureMap, "featureMap");
        this.features = new BlochMap(featureMap);
        this.gamma = GAMMA.check(TYPE.name(), gamma);
    }

    /** The feature map. */
    public PauliFeatureMap featureMap() {
        return featureMap;
    }

    /** γ. */
    public double gamma() {
        return gamma;
    }

    /**
     * The Bloch vectors of every qubit of |Φ(x)⟩, {@code [3k, 3k+3) = (⟨X_k⟩, ⟨Y_k⟩, ⟨Z_k⟩)}: the
     * classical shadow of the state that the kernel compares.
     */
    public double[] blochVectors(double[] x) {
        double[] out = new double[3 * x.length];
        BlochMap.blochVectors(featureMap.state(x), x.length, out);
        return out;
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        double[] a = blochVectors(x);
        double[] b = blochVectors(z);
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double dk = a[k] - b[k];
            s += dk * dk;
        }
        return Math.exp(-gamma * s / 2);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.mappedSquaredDistances(features, out);
        int len = block.rows() * block.cols();
        for (int k = 0; k < len; k++) {
            out[k] = Math.exp(-gamma * out[k]);
        }
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        block.mappedSquaredDistances(features, out);
        double[] g = gradients[0];
        int len = block.rows() * block.cols();
        for (int k = 0; k < len; k++) {
            double e = Math.exp(-gamma * out[k]);
            g[k] = -gamma * out[k] * e;
            out[k] = e;
        }
    }

    /** {@code projected.gamma}. */
    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(GAMMA.hyperparameter(TYPE, gamma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 1);
        return new ProjectedKernel(featureMap, values[0]);
    }

    @Override
    public String toSpec() {
        return TYPE.spec("[" + String.join(", ", featureMap.paulis()) + "]", featureMap.reps(),
                featureMap.entanglementSpec(), featureMap.alpha(), gamma);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProjectedKernel && ((ProjectedKernel) o).featureMap.equals(featureMap)
                && ((ProjectedKernel) o).gamma == gamma;
    }

    @Override
    public int hashCode() {
        return Objects.hash(featureMap, gamma);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
