package org.kernels4j.approx;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.ArcCosineKernel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;

/**
 * Random features of a one-hidden-layer network: the hidden units of a random network of width D,
 * whose inner products converge to the network's NNGP kernel as D grows (Cho &amp; Saul, 2009;
 * Neal, 1996).
 * <ul>
 *   <li>{@code nngp(depth=1, activation=φ, w_var=σw², b_var=σb²)}: with g_i ~ N(0, I_d),
 *       β_i ~ N(0, 1), u_i(x) = √(σw²/d)·g_iᵀx + σb·β_i (variance K⁰(x, x)), the features are
 *       √(σw²/D)·φ(u_i(x)) followed by the constant σb when σb² &gt; 0, so
 *       E[φ(x)·φ(z)] = σw²·E[φ(u)φ(v)] + σb² = K¹(x, z). Any activation works; D + 1 features.</li>
 *   <li>{@code arccos(order=n, depth=1)}: √(2/D)·Θ(g_iᵀx)·(g_iᵀx)ⁿ, whose expected inner product is
 *       (1/π)‖x‖ⁿ‖z‖ⁿJ_n(θ): step features for n = 0, ReLU for n = 1.</li>
 * </ul>
 * An NTK spec uses the features of its NNGP. Deeper kernels have no exact finite-width feature map
 * with independent features; use Nyström for them. Cost: one GEMM plus n·D activations.
 */
public final class RandomNetworkFeatures extends ProjectionFeatureMap {
    private final double[] biases; // D, already scaled
    private final Activation activation; // null: arc-cosine of the given order
    private final int order;
    private final double outScale;
    private final double constant; // extra constant feature, 0 when absent

    private RandomNetworkFeatures(Kernel kernel, Matrix weights, double[] biases, Activation activation, int order,
            double outScale, double constant) {
        super(kernel, weights);
        this.biases = biases;
        this.activation = activation;
        this.order = order;
        this.outScale = outScale;
        this.constant = constant;
    }

    /** Draws D hidden units for {@code nngp(depth=1, …)} or {@code arccos(order, depth=1)}. */
    public static RandomNetworkFeatures of(Kernel kernel, int features, int d, long seed) {
        if (features < 1 || d < 1) {
            throw new Kernels4jException("random network features: need features >= 1 and d >= 1, got " + features
                    + " and " + d);
        }
        Random r = new Random(seed);
        Matrix w = Directions.gaussian(features, d, r);
        double[] b = new double[features];
        if (kernel instanceof ArcCosineKernel && ((ArcCosineKernel) kernel).depth() == 1) {
            return new RandomNetworkFeatures(kernel, w, b, null, ((ArcCosineKernel) kernel).order(),
                    Math.sqrt(2.0 / features), 0);
        }
        if (kernel instanceof NeuralKernel && ((NeuralKernel) kernel).depth() == 1) {
            NeuralKernel k = (NeuralKernel) kernel;
            double sw = Math.sqrt(k.weightVariance() / d);
            double sb = Math.sqrt(k.biasVariance());
            for (int i = 0; i < w.data().length; i++) {
                w.data()[i] *= sw;
            }
            for (int i = 0; i < features; i++) {
                b[i] = sb * r.nextGaussian();
            }
            return new RandomNetworkFeatures(kernel, w, b, k.activation(),
                    -1, Math.sqrt(k.weightVariance() / features), sb);
        }
        throw new Kernels4jException("random network features need nngp(depth=1, ...), ntk(depth=1, ...) (its NNGP)"
                + " or arccos(order=n, depth=1); got " + kernel.toSpec() + " (use Nystrom for deeper kernels)");
    }

    @Override
    public int outputDimension() {
        return projectionCount() + (constant > 0 ? 1 : 0);
    }

    @Override
    public Matrix transform(Matrix x) {
        Matrix pre = project(x);
        int n = x.rows();
        int h = projectionCount();
        int width = outputDimension();
        Matrix out = new Matrix(n, width);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                double u = pre.get(i, j) + biases[j];
                double v;
                if (activation != null) {
                    v = activation.apply(u);
                } else {
                    v = u > 0 ? (order == 0 ? 1 : (order == 1 ? u : u * u)) : 0;
                }
                out.set(i, j, outScale * v);
            }
            if (constant > 0) {
                out.set(i, h, constant);
            }
        }
        return out;
    }
}
