package org.kernels4j.kernel.neural;

import java.util.Objects;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelCatalog;
import org.kernels4j.kernel.Specs;

/**
 * The arc-cosine kernel of order n ∈ {0, 1, 2} and any depth (Cho &amp; Saul, 2009):
 * {@code k(x, z) = (1/π)·‖x‖ⁿ‖z‖ⁿ·J_n(θ)}, θ the angle between x and z, with
 * J₀ = π − θ, J₁ = sin θ + (π − θ)cos θ, J₂ = 3 sin θ cos θ + (π − θ)(1 + 2cos²θ).
 * It is the kernel of one infinitely wide layer of step (n = 0), ReLU (n = 1) or squared ReLU
 * (n = 2) units with standard normal weights, times 2. Depth L applies the map L times, each time
 * to the previous layer's kernel: {@code k⁽ˡ⁺¹⁾(x, z) = (1/π)·(k⁽ˡ⁾(x, x)·k⁽ˡ⁾(z, z))^{n/2}·J_n(θ⁽ˡ⁾)}.
 *
 * <p>Relation to {@link NeuralKernel}: {@code nngp(depth=L, activation=relu, w_var=2, b_var=0)}
 * equals (2/d)·{@code arccos(order=1, depth=L)}. A zero input gives 0 (its units are all inactive).
 * Cost: one GEMM per tile plus L scalar steps per entry. Spec: {@code arccos(order=1, depth=2)}.
 */
public final class ArcCosineKernel implements Kernel {
    /** The order n ∈ {0, 1, 2}. */
    public static final KernelCatalog.Param ORDER = KernelCatalog.Param.integer("order", 1, 0, 2,
            "0 (step), 1 (relu) or 2 (squared relu)");
    /** The number of layers, 1 to 10000. */
    public static final KernelCatalog.Param DEPTH = KernelCatalog.Param.integer("depth", 1, 1, 10_000,
            "number of layers, >= 1");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("arccos",
            "k(x,z) = |x|^n |z|^n J_n(angle)/pi, applied depth times")
            .aliases("arc_cosine").params(ORDER, DEPTH)
            .examples("arccos(order=0, depth=2)", "arccos(order=2, depth=1)", "arccos(order=1, depth=3)")
            .factory(a -> new ArcCosineKernel(a.integer(ORDER), a.integer(DEPTH)));

    private final int order;
    private final int depth;

    /** @throws Kernels4jException unless order ∈ {0, 1, 2} and depth ≥ 1 */
    public ArcCosineKernel(int order, int depth) {
        this.order = ORDER.check(TYPE.name(), order);
        this.depth = DEPTH.check(TYPE.name(), depth);
    }

    /** The order n. */
    public int order() {
        return order;
    }

    /** The number of layers. */
    public int depth() {
        return depth;
    }

    private double step(double kxx, double kxz, double kzz) {
        if (!(kxx > 0) || !(kzz > 0)) {
            return 0;
        }
        double c = Activation.correlation(kxx, kxz, kzz);
        double theta = Math.acos(c);
        double s = Math.sqrt((1 - c) * (1 + c));
        switch (order) {
            case 0:
                return (Math.PI - theta) / Math.PI;
            case 1:
                return Math.sqrt(kxx * kzz) * (s + (Math.PI - theta) * c) / Math.PI;
            default:
                return kxx * kzz * (3 * s * c + (Math.PI - theta) * (1 + 2 * c * c)) / Math.PI;
        }
    }

    private double selfStep(double k) {
        if (!(k > 0)) {
            return 0;
        }
        return order == 0 ? 1 : (order == 1 ? k : 3 * k * k);
    }

    @Override
    public double value(double[] x, double[] z) {
        double kxx = Specs.dot(x, x);
        double kzz = Specs.dot(z, z);
        double kxz = Specs.dot(x, z);
        for (int l = 0; l < depth; l++) {
            kxz = step(kxx, kxz, kzz);
            kxx = selfStep(kxx);
            kzz = selfStep(kzz);
        }
        return kxz;
    }

    @Override
    public double selfValue(double[] x) {
        return selfFromSquaredNorm(Specs.dot(x, x));
    }

    private double selfFromSquaredNorm(double k) {
        for (int l = 0; l < depth; l++) {
            k = selfStep(k);
        }
        return k;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int rows = block.rows();
        int cols = block.cols();
        block.innerProducts(out);
        double[] nl = block.leftSquaredNorms();
        double[] nr = block.rightSquaredNorms();
        double[] kz = new double[cols];
        double[] kzNext = new double[cols];
        for (int i = 0; i < rows; i++) {
            double kx = nl[block.rowStart() + i];
            System.arraycopy(nr, block.colStart(), kz, 0, cols);
            for (int l = 0; l < depth; l++) {
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] = step(kx, out[i * cols + j], kz[j]);
                    kzNext[j] = selfStep(kz[j]);
                }
                System.arraycopy(kzNext, 0, kz, 0, cols);
                kx = selfStep(kx);
            }
        }
        block.setSameSampleEntries(out, sample -> selfFromSquaredNorm(nl[sample]));
    }

    @Override
    public String toSpec() {
        return TYPE.spec(order, depth);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcCosineKernel && ((ArcCosineKernel) o).order == order
                && ((ArcCosineKernel) o).depth == depth;
    }

    @Override
    public int hashCode() {
        return Objects.hash(order, depth);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
