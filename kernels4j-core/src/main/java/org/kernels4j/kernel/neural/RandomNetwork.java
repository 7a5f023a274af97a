package org.kernels4j.kernel.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * One finite, randomly initialized fully connected network of the architecture a
 * {@link NeuralKernel} describes: L hidden layers of {@code width} units and a scalar read-out,
 * weights and biases standard normal, scaled as in the kernel's parameterization. It is the
 * Monte-Carlo ground truth for the closed-form kernels: as the width grows, its empirical kernels
 * converge to the NNGP and the NTK (relative error of order 1/√width).
 *
 * <ul>
 *   <li>{@link #empiricalNngp}: the read-out's covariance given the hidden layers,
 *       {@code (w_var/width)·⟨φ(h^L(x)), φ(h^L(z))⟩ + b_var} (its expectation over the hidden
 *       weights tends to the NNGP);</li>
 *   <li>{@link #empiricalNtk}: {@code Σ_θ ∂f(x)/∂θ · ∂f(z)/∂θ} over all weights and biases, from a
 *       hand-written backward pass. Per layer l with fan-in m the weight gradient is
 *       s·δˡ·(aˡ⁻¹)ᵀ and the bias gradient s_b·δˡ, so the layer contributes
 *       (s²·⟨aˡ⁻¹(x), aˡ⁻¹(z)⟩ + s_b²)·⟨δˡ(x), δˡ(z)⟩, with s² = w_var/m and s_b² = b_var in the NTK
 *       parameterization and s² = s_b² = 1 in the standard one.</li>
 * </ul>
 * Cost: O(n·width²·L) flops for n inputs, all as GEMMs; memory O(n·width·L).
 */
public final class RandomNetwork {
    private final NeuralKernel spec;
    private final int width;
    private final List<Matrix> weights = new ArrayList<>(); // layer l: fanOut × fanIn, standard normal
    private final List<double[]> biases = new ArrayList<>();
    private final double[] readout;
    private final double readoutBias;

    /**
     * Samples a network.
     *
     * @param kernel the architecture (depth, activation, variances, parameterization)
     * @param inputDim d
     * @param width hidden width, ≥ 1
     * @param seed random seed; same seed, same network
     */
    public RandomNetwork(NeuralKernel kernel, int inputDim, int width, long seed) {
        if (width < 1 || inputDim < 1) {
            throw new Kernels4jException("a random network needs width >= 1 and input dimension >= 1");
        }
        this.spec = kernel;
        this.width = width;
        SplittableRandom rnd = new SplittableRandom(seed);
        int fanIn = inputDim;
        for (int l = 0; l < kernel.depth(); l++) {
            Matrix w = new Matrix(width, fanIn);
            double[] d = w.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = gaussian(rnd);
            }
            double[] b = new double[width];
            for (int i = 0; i < width; i++) {
                b[i] = gaussian(rnd);
            }
            weights.add(w);
            biases.add(b);
            fanIn = width;
        }
        readout = new double[fanIn];
        for (int i = 0; i < fanIn; i++) {
            readout[i] = gaussian(rnd);
        }
        readoutBias = gaussian(rnd);
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Forward pass state for n inputs: pre-activations and activations per layer. */
    private final class Forward {
        final List<Matrix> pre = new ArrayList<>(); // h^l, n × width
        final List<Matrix> act = new ArrayList<>(); // a^0 = x, a^l = φ(h^l)
        final double[] output;

        Forward(Matrix x) {
            Activation phi = spec.activation();
            Matrix a = x;
            act.add(a);
            for (int l = 0; l < weights.size(); l++) {
                Matrix w = weights.get(l);
                double s = Math.sqrt(spec.weightVariance() / w.cols());
                double sb = Math.sqrt(spec.biasVariance());
                Matrix h = new Matrix(a.rows(), w.rows());
                Blas.gemm(false, true, s, a, w, 0.0, h);
                double[] hd = h.data();
                double[] b = biases.get(l);
                Matrix next = new Matrix(h.rows(), h.cols());
                double[] nd = next.data();
                for (int i = 0; i < hd.length; i++) {
                    hd[i] += sb * b[i % w.rows()];
                    nd[i] = phi.apply(hd[i]);
                }
                pre.add(h);
                act.add(next);
                a = next;
            }
            output = new double[a.rows()];
            double s = Math.sqrt(spec.weightVariance() / a.cols());
            Blas.gemv(false, s, a, readout, 0.0, output);
            for (int i = 0; i < output.length; i++) {
                output[i] += Math.sqrt(spec.biasVariance()) * readoutBias;
            }
        }
    }

    /** The network's outputs f(x) for each row of x (n×d). */
    public double[] apply(Matrix x) {
        return new Forward(x).output.clone();
    }

    /** The read-out covariance given the hidden layers (n×n), an estimate of the NNGP. */
    public Matrix empiricalNngp(Matrix x) {
        Forward f = new Forward(x);
        Matrix last = f.act.get(f.act.size() - 1);
        Matrix k = new Matrix(x.rows(), x.rows());
        Blas.syrk(spec.weightVariance() / last.cols(), last, 0.0, k);
        addConstant(k, spec.biasVariance());
        return k;
    }

    /** The empirical NTK Σ_θ ∂f/∂θ(x_i)·∂f/∂θ(x_j) (n×n), by a backward pass. */
    public Matrix empiricalNtk(Matrix x) {
        Forward f = new Forward(x);
        int n = x.rows();
        boolean standard = spec.standardParameterization();
        Activation phi = spec.activation();
        Matrix ntk = new Matrix(n, n);
        // read-out layer
        Matrix last = f.act.get(f.act.size() - 1);
        double sOut2 = standard ? 1 : spec.weightVariance() / last.cols();
        Blas.syrk(sOut2, last, 0.0, ntk);
        addConstant(ntk, standard ? 1 : spec.biasVariance());
        // δ for the top hidden layer: ∂f/∂h^L = s_out·readout ∘ φ'(h^L)
        int layers = weights.size();
        Matrix delta = null;
        for (int l = layers - 1; l >= 0; l--) {
            Matrix h = f.pre.get(l);
            Matrix upstream = new Matrix(n, h.cols()); // ∂f/∂a^l
            if (l == layers - 1) {
                double s = Math.sqrt(spec.weightVariance() / readout.length);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < h.cols(); j++) {
                        upstream.set(i, j, s * readout[j]);
                    }
                }
            } else {
                Matrix w = weights.get(l + 1);
                Blas.gemm(false, false, Math.sqrt(spec.weightVariance() / w.cols()), delta, w, 0.0, upstream);
            }
            double[] u = upstream.data();
            double[] hd = h.data();
            for (int i = 0; i < u.length; i++) {
                u[i] *= phi.derivative(hd[i]);
            }
            delta = upstream;
            Matrix input = f.act.get(l);
            Matrix aa = new Matrix(n, n);
            double s2 = standard ? 1 : spec.weightVariance() / input.cols();
            Blas.syrk(s2, input, 0.0, aa);
            addConstant(aa, standard ? 1 : spec.biasVariance());
            Matrix dd = new Matrix(n, n);
            Blas.syrk(1.0, delta, 0.0, dd);
            double[] nd = ntk.data();
            double[] ad = aa.data();
            double[] ddd = dd.data();
            for (int i = 0; i < nd.length; i++) {
                nd[i] += ad[i] * ddd[i];
            }
        }
        return ntk;
    }

    /** Hidden width. */
    public int width() {
        return width;
    }

    private static void addConstant(Matrix m, double c) {
        double[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += c;
        }
    }
}
