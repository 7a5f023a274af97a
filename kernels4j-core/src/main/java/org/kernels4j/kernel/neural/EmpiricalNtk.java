package org.kernels4j.kernel.neural;

import java.util.List;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * The empirical neural tangent kernel of a finite {@link RandomNetwork} with O outputs (logits)
 * f(x) = (f_1(x) … f_O(x)), and the cheaper approximations of it used to build kernel surrogates
 * of trained networks (Mohamadi, Bae &amp; Sutherland, ICML 2023; Engel et al., 2023). With
 * J(x) = ∂f(x)/∂θ the O×P Jacobian over all P parameters (weights and biases, in the network's
 * parameterization), for n inputs:
 * <ul>
 *   <li>{@link #full}: Θ(x, z) = J(x)·J(z)ᵀ for every output pair, an (n·O)×(n·O) matrix whose
 *       row and column i·O + a belong to input i and output a (Neural Tangents'
 *       {@code empirical_ntk_fn(trace_axes=())}). Memory (n·O)², the reason for the others.</li>
 *   <li>{@link #pseudo}: the sum-of-logits pNTK, ∇_θ(Σ_a f_a(x)/√O)·∇_θ(Σ_a f_a(z)/√O), n×n; the
 *       approximation is Θ ≈ pNTK ⊗ I_O. At initialization the off-diagonal output blocks of Θ
 *       vanish like 1/√width and the diagonal blocks agree, so the error falls with width.</li>
 *   <li>{@link #trace}: Σ_a ∇f_a(x)·∇f_a(z) = tr Θ(x, z), n×n (Θ ≈ (trace/O) ⊗ I_O).</li>
 *   <li>{@link #projected}: the trace kernel of k-dimensional random projections of the
 *       per-example Jacobians, Σ_a ⟨R·∇f_a(x), R·∇f_a(z)⟩ with R a k×P matrix of N(0, 1/k) entries
 *       (so its expectation is {@link #trace}, relative error O(1/√k)); {@link #projectedGradients}
 *       gives the (n·O)×k features themselves, whose Gram matrix estimates {@link #full}. R is never
 *       stored: each of its rows is drawn per layer from (seed, layer, row), so the same seed projects
 *       any inputs the same way.</li>
 * </ul>
 * Cost: one forward and backward pass, O(n·O·width²·L) flops as GEMMs, plus the Gram products
 * (O(n²·O²·width·L) for {@link #full}, O(n²·O·width·L) for trace, O(n²·width·L) for pseudo);
 * {@link #projected} costs O(k·n·O·P) flops and O(n·O·k + largest layer) memory.
 */
public final class EmpiricalNtk {
    private EmpiricalNtk() {
    }

    /** Θ = J Jᵀ over all parameters, (n·O)×(n·O), row i·O + a for input i and output a. */
    public static Matrix full(RandomNetwork net, Matrix x) {
        return net.tangentGram(net.new Forward(x), Matrix.identity(net.outputCount()), false);
    }

    /** The sum-of-logits pseudo-NTK, n×n: the tangent kernel of Σ_a f_a/√O. */
    public static Matrix pseudo(RandomNetwork net, Matrix x) {
        int o = net.outputCount();
        Matrix u = new Matrix(1, o);
        java.util.Arrays.fill(u.data(), 1 / Math.sqrt(o));
        return net.tangentGram(net.new Forward(x), u, false);
    }

    /** The trace NTK Σ_a ∇f_a(x)·∇f_a(z), n×n. */
    public static Matrix trace(RandomNetwork net, Matrix x) {
        return net.tangentGram(net.new Forward(x), Matrix.identity(net.outputCount()), true);
    }

    /**
     * R·∇f_a(x_i) for every input i and output a: (n·O)×k, row i·O + a, R a k×P matrix of N(0, 1/k)
     * entries drawn from {@code seed} (the same for any inputs).
     *
     * @param k projection dimension ≥ 1
     */
    public static Matrix projectedGradients(RandomNetwork net, Matrix x, int k, long seed) {
        if (k < 1) {
            throw new Kernels4jException("the projection dimension must be >= 1, got " + k);
        }
        RandomNetwork.Forward f = net.new Forward(x);
        int n = x.rows();
        int o = net.outputCount();
        List<Matrix> deltas = net.backward(f, Matrix.identity(o));
        List<Matrix> hidden = net.hiddenWeights();
        Matrix out = new Matrix(n * o, k);
        double scale = 1 / Math.sqrt(k);
        for (int layer = 0; layer <= hidden.size(); layer++) {
            Matrix input = f.act.get(layer); // n × fanIn
            Matrix delta;
            if (layer == hidden.size()) { // the read-out: ∂f_a/∂(its pre-activation) = e_a
                delta = new Matrix(n * o, o);
                for (int i = 0; i < n; i++) {
                    for (int a = 0; a < o; a++) {
                        delta.set(i * o + a, a, 1);
                    }
                }
            } else {
                delta = deltas.get(layer);
            }
            int fanOut = delta.cols();
            int fanIn = input.cols();
            double sw = Math.sqrt(net.weightScale2(fanIn));
            double sb = Math.sqrt(net.biasScale2());
            Matrix m = new Matrix(fanOut, fanIn);
            Matrix dm = new Matrix(n * o, fanIn);
            double[] b = new double[fanOut];
            for (int r = 0; r < k; r++) {
                // row r of R restricted to this layer: a fanOut×fanIn block for the weights, fanOut for the biases
                SplittableRandom rnd = new SplittableRandom(mix(mix(mix(seed) + layer) + r));
                double[] md = m.data();
                for (int i = 0; i < md.length; i++) {
                    md[i] = gaussian(rnd);
                }
                for (int i = 0; i < fanOut; i++) {
                    b[i] = gaussian(rnd);
                }
                // weight gradient s·δ aᵀ projected on M: s·δᵀ M a; bias gradient s_b·δ projected on b
                Blas.gemm(false, false, 1.0, delta, m, 0.0, dm);
                double[] dmd = dm.data();
                double[] dd = delta.data();
                for (int row = 0; row < n * o; row++) {
                    int i = row / o;
                    double w = 0;
                    for (int q = 0; q < fanIn; q++) {
                        w += dmd[row * fanIn + q] * input.data()[i * fanIn + q];
                    }
                    double bias = 0;
                    for (int p = 0; p < fanOut; p++) {
                        bias += dd[row * fanOut + p] * b[p];
                    }
                    out.data()[row * k + r] += scale * (sw * w + sb * bias);
                }
            }
        }
        return out;
    }

    /** The projected trace NTK Σ_a ⟨R∇f_a(x_i), R∇f_a(x_j)⟩, n×n, an unbiased estimate of {@link #trace}. */
    public static Matrix projected(RandomNetwork net, Matrix x, int k, long seed) {
        Matrix g = projectedGradients(net, x, k, seed);
        int n = x.rows();
        Matrix t = new Matrix(n, n);
        // rows i·O + a of length k are, read row-major, one row of O·k per input i
        Blas.syrk(1.0, Matrix.wrap(n, net.outputCount() * k, g.data()), 0.0, t);
        return t;
    }

    /** K ⊗ I_O in the row order of {@link #full}: entry (i·O + a, j·O + b) = K_ij·[a = b]. */
    public static Matrix withIdentity(Matrix k, int outputs) {
        int n = k.rows();
        Matrix out = new Matrix(n * outputs, n * outputs);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int a = 0; a < outputs; a++) {
                    out.set(i * outputs + a, j * outputs + a, k.get(i, j));
                }
            }
        }
        return out;
    }

    /** ‖approx − exact‖_F / ‖exact‖_F (same shapes). */
    public static double relativeError(Matrix approx, Matrix exact) {
        approx.requireSameShape(exact, "the approximate kernel");
        double num = 0;
        double den = 0;
        for (int i = 0; i < exact.data().length; i++) {
            double e = approx.data()[i] - exact.data()[i];
            num += e * e;
            den += exact.data()[i] * exact.data()[i];
        }
        return Math.sqrt(num / den);
    }

    /**
     * A 64-bit mixer (Stafford's variant 13): SplittableRandom streams of seeds one golden gamma apart are the same
     * stream shifted, so nearby (seed, layer, row) triples must be hashed apart.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
