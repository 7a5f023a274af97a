package org.kernels4j.kernel.neural;

import java.util.Objects;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * The NNGP or NTK of the hierarchical (tree) CNN of Cagnetta, Favero and Wyart, "What can be learnt
 * with wide convolutional neural networks?" (ICML 2023): inputs of d = s^L numbers, L convolution
 * layers with filter = stride = s (non-overlapping patches, no padding, one input channel,
 * infinitely many hidden ones), each followed by φ, and a dense read-out of the last single position.
 * Because patches never overlap, only same-position covariances are needed, and the recursion runs on
 * the tree (NTK parameterization, w = w_var, b = b_var; children c_1 … c_s of node P):
 * <pre>
 *   Σ¹_p = (w/s)·⟨x_p, z_p⟩ + b,                          Θ¹_p = Σ¹_p
 *   Σ^{l+1}_P = (w/s)·Σ_a T(Σˡ_{c_a}) + b,                Θ^{l+1}_P = Σ^{l+1}_P + (w/s)·Σ_a Ṫ(Σˡ_{c_a})·Θˡ_{c_a}
 *   K = w·T(Σ^L) + b,                                      Θ = K + w·Ṫ(Σ^L)·Θ^L
 * </pre>
 * It is {@link ConvolutionalKernel#tree} computed directly: O(d) work and memory per pair instead of
 * the general layer machinery (the tests check the two agree). Its spec is that convolutional spec.
 */
public final class HierarchicalKernel implements Kernel {
    private final NeuralKernel.Kind kind;
    private final int filter;
    private final int depth;
    private final int inputs;
    private final Activation phi;
    private final double wVar;
    private final double bVar;
    private final ConvolutionalKernel general;

    /**
     * The tree kernel with filter = stride = s and L layers, on inputs of s^L numbers.
     *
     * @throws Kernels4jException for s &lt; 2, L &lt; 1, non-positive w_var or negative b_var
     */
    public HierarchicalKernel(NeuralKernel.Kind kind, int filter, int depth, Activation phi, double wVar, double bVar) {
        if (depth < 1) {
            throw new Kernels4jException("a tree CNN needs depth >= 1, got " + depth);
        }
        this.general = ConvolutionalKernel.tree(kind, filter, depth, phi, wVar, bVar);
        this.kind = kind;
        this.filter = filter;
        this.depth = depth;
        this.inputs = general.features();
        this.phi = Objects.requireNonNull(phi);
        this.wVar = wVar;
        this.bVar = bVar;
    }

    /** d = s^L. */
    public int inputDimension() {
        return inputs;
    }

    /** The same kernel as a general {@link ConvolutionalKernel}. */
    public ConvolutionalKernel asConvolutional() {
        return general;
    }

    private void requireLength(int d) {
        if (d != inputs) {
            throw new Kernels4jException("tree CNN kernel with filter " + filter + " and depth " + depth + " needs "
                    + inputs + " features per row, got " + d);
        }
    }

    /** The variances Σˡ_p(x, x) of every layer l = 1..L, per position. */
    private double[][] variances(double[] x, int off) {
        double[][] v = new double[depth][];
        int n = inputs / filter;
        v[0] = new double[n];
        for (int p = 0; p < n; p++) {
            double s = 0;
            for (int a = 0; a < filter; a++) {
                double e = x[off + p * filter + a];
                s += e * e;
            }
            v[0][p] = wVar / filter * s + bVar;
        }
        for (int l = 1; l < depth; l++) {
            n /= filter;
            v[l] = new double[n];
            for (int p = 0; p < n; p++) {
                double s = 0;
                for (int a = 0; a < filter; a++) {
                    s += phi.self(v[l - 1][p * filter + a]);
                }
                v[l][p] = wVar / filter * s + bVar;
            }
        }
        return v;
    }

    private double pair(double[] x, int xo, double[] z, int zo, double[][] vx, double[][] vz, double[] k, double[] t) {
        int n = inputs / filter;
        for (int p = 0; p < n; p++) {
            double s = 0;
            for (int a = 0; a < filter; a++) {
                s += x[xo + p * filter + a] * z[zo + p * filter + a];
            }
            k[p] = wVar / filter * s + bVar;
            t[p] = k[p];
        }
        for (int l = 1; l <= depth; l++) {
            int m = n / filter;
            double[] qx = vx[l - 1];
            double[] qz = vz[l - 1];
            if (l == depth) {
                double tk = phi.pair(qx[0], k[0], qz[0]);
                double out = wVar * tk + bVar;
                return kind == NeuralKernel.Kind.NNGP ? out : out + wVar * phi.derivativePair(qx[0], k[0], qz[0]) * t[0];
            }
            for (int p = 0; p < m; p++) {
                double sk = 0;
                double st = 0;
                for (int a = 0; a < filter; a++) {
                    int c = p * filter + a;
                    sk += phi.pair(qx[c], k[c], qz[c]);
                    if (kind == NeuralKernel.Kind.NTK) {
                        st += phi.derivativePair(qx[c], k[c], qz[c]) * t[c];
                    }
                }
                k[p] = wVar / filter * sk + bVar;
                t[p] = k[p] + wVar / filter * st;
            }
            n = m;
        }
        throw new IllegalStateException("unreachable");
    }

    @Override
    public double value(double[] x, double[] z) {
        requireLength(x.length);
        requireLength(z.length);
        return pair(x, 0, z, 0, variances(x, 0), variances(z, 0), new double[inputs], new double[inputs]);
    }

    @Override
    public double selfValue(double[] x) {
        return general.selfValue(x);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        requireLength(block.features());
        int rows = block.rows();
        int cols = block.cols();
        Matrix left = block.leftInputs();
        Matrix right = block.rightInputs();
        int d = inputs;
        double[][][] vr = new double[rows][][];
        for (int i = 0; i < rows; i++) {
            vr[i] = variances(left.data(), (block.rowStart() + i) * d);
        }
        double[][][] vc = new double[cols][][];
        for (int j = 0; j < cols; j++) {
            vc[j] = variances(right.data(), (block.colStart() + j) * d);
        }
        double[] k = new double[d];
        double[] t = new double[d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = pair(left.data(), (block.rowStart() + i) * d, right.data(), (block.colStart() + j) * d,
                        vr[i], vc[j], k, t);
            }
        }
        block.setSameSampleEntries(out, sample -> general.selfValue(left.row(sample)));
    }

    /** The equivalent {@code cnngp(…)}/{@code cntk(…)} spec. */
    @Override
    public String toSpec() {
        return general.toSpec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HierarchicalKernel && ((HierarchicalKernel) o).general.equals(general);
    }

    @Override
    public int hashCode() {
        return general.hashCode() + 1;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
