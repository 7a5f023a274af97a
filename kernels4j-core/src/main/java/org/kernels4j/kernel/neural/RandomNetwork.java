package org.kernels4j.kernel.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * One finite, randomly initialized fully connected network of the architecture a
 * {@link NeuralKernel} describes: L hidden layers of {@code width} units and a linear read-out of
 * O outputs (1 unless asked), weights and biases standard normal, scaled as in the kernel's
 * parameterization. It is the Monte-Carlo ground truth for the closed-form kernels: as the width
 * grows, its empirical kernels converge to the NNGP and the NTK (relative error of order 1/√width).
 *
 * <p>Parameters are drawn from the seed in this order (Box–Muller on {@link SplittableRandom}):
 * per hidden layer the weights row by row (width × fan-in), then its biases; then the read-out
 * weights row by row (O × fan-in), then the O read-out biases.
 *
 * <ul>
 *   <li>{@link #empiricalNngp}: the read-out's covariance given the hidden layers,
 *       {@code (w_var/width)·⟨φ(h^L(x)), φ(h^L(z))⟩ + b_var} (its expectation over the hidden
 *       weights tends to the NNGP; the same for every output);</li>
 *   <li>{@link #empiricalNtk}: {@code Σ_θ ∂f(x)/∂θ · ∂f(z)/∂θ} over all weights and biases, from a
 *       hand-written backward pass. Per layer l with fan-in m the weight gradient is
 *       s·δˡ·(aˡ⁻¹)ᵀ and the bias gradient s_b·δˡ, so the layer contributes
 *       (s²·⟨aˡ⁻¹(x), aˡ⁻¹(z)⟩ + s_b²)·⟨δˡ(x), δˡ(z)⟩, with s² = w_var/m and s_b² = b_var in the NTK
 *       parameterization and s² = s_b² = 1 in the standard one. With several outputs,
 *       {@link EmpiricalNtk} gives the full (nO × nO), pseudo, trace and projected kernels.</li>
 * </ul>
 * Cost: O(n·width²·L) flops for n inputs, all as GEMMs; memory O(n·width·L).
 */
public final class RandomNetwork {
    private final NeuralKernel spec;
    private final int width;
    private final int outputs;
    private final List<Matrix> weights = new ArrayList<>(); // layer l: fanOut × fanIn, standard normal
    private final List<double[]> biases = new ArrayList<>();
    private final Matrix readout; // O × fanIn
    private final double[] readoutBias; // O

    /**
     * Samples a network with one output.
     *
     * @param kernel the architecture (depth, activation, variances, parameterization)
     * @param inputDim d
     * @param width hidden width, ≥ 1
     * @param seed random seed; same seed, same network
     */
    public RandomNetwork(NeuralKernel kernel, int inputDim, int width, long seed) {
        this(kernel, inputDim, width, 1, seed);
    }

    /**
     * Samples a network with {@code outputs} read-out units (logits). With one output it is the
     * network {@link #RandomNetwork(NeuralKernel, int, int, long)} draws from the same seed.
     *
     * @param outputs O ≥ 1
     */
    public RandomNetwork(NeuralKernel kernel, int inputDim, int width, int outputs, long seed) {
        if (width < 1 || inputDim < 1 || outputs < 1) {
            throw new Kernels4jException("a random network needs width >= 1, input dimension >= 1 and outputs >= 1, got "
                    + width + ", " + inputDim + " and " + outputs);
        }
        this.spec = kernel;
        this.width = width;
        this.outputs = outputs;
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
        readout = new Matrix(outputs, fanIn);
        for (int i = 0; i < readout.data().length; i++) {
            readout.data()[i] = gaussian(rnd);
        }
        readoutBias = new double[outputs];
        for (int i = 0; i < outputs; i++) {
            readoutBias[i] = gaussian(rnd);
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Forward pass state for n inputs: pre-activations and activations per layer. */
    final class Forward {
        final List<Matrix> pre = new ArrayList<>(); // h^l, n × width
        final List<Matrix> act = new ArrayList<>(); // a^0 = x, a^l = φ(h^l)
        final Matrix output; // n × O

        Forward(Matrix x) {
            if (x.cols() != inputDimension()) {
                throw new Kernels4jException("the network takes " + inputDimension() + " inputs but the data has "
                        + x.cols() + " columns");
            }
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
            output = new Matrix(a.rows(), outputs);
            Blas.gemm(false, true, Math.sqrt(spec.weightVariance() / a.cols()), a, readout, 0.0, output);
            double sb = Math.sqrt(spec.biasVariance());
            for (int i = 0; i < a.rows(); i++) {
                for (int o = 0; o < outputs; o++) {
                    output.data()[i * outputs + o] += sb * readoutBias[o];
                }
            }
        }
    }

    /**
     * The network's outputs f(x) for each row of x (n×d).
     *
     * @throws Kernels4jException when the network has more than one output (use {@link #outputs(Matrix)})
     */
    public double[] apply(Matrix x) {
        requireOneOutput("apply");
        return new Forward(x).output.data().clone();
    }

    /** The network's outputs, n×O for n×d inputs. */
    public Matrix outputs(Matrix x) {
        return new Forward(x).output;
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

    /**
     * The empirical NTK Σ_θ ∂f/∂θ(x_i)·∂f/∂θ(x_j) (n×n) of a one-output network, by a backward pass.
     *
     * @throws Kernels4jException when the network has more than one output (see {@link EmpiricalNtk})
     */
    public Matrix empiricalNtk(Matrix x) {
        requireOneOutput("empiricalNtk");
        return tangentGram(new Forward(x), Matrix.identity(1), false);
    }

    /**
     * The tangent kernel of the scalar functions g_c(x) = ⟨u_c, f(x)⟩ for the rows u_c of
     * {@code directions} (r × O): entry ((i, c), (j, c')) = Σ_θ ∂g_c(x_i)/∂θ · ∂g_c'(x_j)/∂θ, an
     * (n·r)×(n·r) matrix with row index i·r + c; with {@code traceOverDirections} the n×n sum over
     * c = c' of it instead. Σ over layers of F_l ∘ D_l, F_l[i, j] = s²⟨aˡ⁻¹_i, aˡ⁻¹_j⟩ + s_b², D_l the
     * Gram of the back-propagated δ's (for the read-out, ⟨u_c, u_c'⟩).
     */
    Matrix tangentGram(Forward f, Matrix directions, boolean traceOverDirections) {
        int n = f.output.rows();
        int r = directions.rows();
        int size = traceOverDirections ? n : n * r;
        Matrix gram = new Matrix(size, size);
        Matrix uu = new Matrix(r, r);
        Blas.gemm(false, true, 1.0, directions, directions, 0.0, uu);
        List<Matrix> deltas = backward(f, directions);
        for (int layer = weights.size(); layer >= 0; layer--) {
            Matrix input = f.act.get(layer);
            Matrix aa = new Matrix(n, n);
            Blas.syrk(weightScale2(input.cols()), input, 0.0, aa);
            addConstant(aa, biasScale2());
            double[] g = gram.data();
            if (layer == weights.size()) { // read-out: D = ⟨u_c, u_c'⟩
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double a = aa.get(i, j);
                        if (traceOverDirections) {
                            double t = 0;
                            for (int c = 0; c < r; c++) {
                                t += uu.get(c, c);
                            }
                            g[i * n + j] += a * t;
                        } else {
                            for (int c = 0; c < r; c++) {
                                for (int e = 0; e < r; e++) {
                                    g[(i * r + c) * size + j * r + e] += a * uu.get(c, e);
                                }
                            }
                        }
                    }
                }
                continue;
            }
            Matrix delta = deltas.get(layer); // (n·r) × width, row i·r + c
            Matrix dd;
            if (traceOverDirections) {
                // rows i·r + c of width w are, read row-major, one row of r·w per example i: Σ_c ⟨δ_ic, δ_jc⟩
                dd = new Matrix(n, n);
                Blas.syrk(1.0, Matrix.wrap(n, r * delta.cols(), delta.data()), 0.0, dd);
            } else {
                dd = new Matrix(n * r, n * r);
                Blas.syrk(1.0, delta, 0.0, dd);
            }
            double[] ddd = dd.data();
            for (int p = 0; p < size; p++) {
                int i = traceOverDirections ? p : p / r;
                for (int q = 0; q < size; q++) {
                    int j = traceOverDirections ? q : q / r;
                    g[p * size + q] += aa.get(i, j) * ddd[p * size + q];
                }
            }
        }
        return gram;
    }

    /**
     * δˡ = ∂g_c(x_i)/∂hˡ for every hidden layer l, (n·r) × width with row i·r + c, for the output
     * directions u_c (rows of {@code directions}, r × O).
     */
    List<Matrix> backward(Forward f, Matrix directions) {
        int n = f.output.rows();
        int r = directions.rows();
        Activation phi = spec.activation();
        List<Matrix> deltas = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            deltas.add(null);
        }
        Matrix delta = null;
        for (int l = weights.size() - 1; l >= 0; l--) {
            Matrix h = f.pre.get(l);
            Matrix upstream = new Matrix(n * r, h.cols()); // ∂g/∂aˡ
            if (l == weights.size() - 1) { // s_out·Rᵀu_c, the same for every example
                Matrix ur = new Matrix(r, h.cols());
                Blas.gemm(false, false, Math.sqrt(spec.weightVariance() / readout.cols()), directions, readout, 0.0, ur);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(ur.data(), 0, upstream.data(), i * r * h.cols(), r * h.cols());
                }
            } else {
                Matrix w = weights.get(l + 1);
                Blas.gemm(false, false, Math.sqrt(spec.weightVariance() / w.cols()), delta, w, 0.0, upstream);
            }
            double[] u = upstream.data();
            double[] hd = h.data();
            int cols = h.cols();
            for (int p = 0; p < u.length; p++) {
                int i = p / (r * cols);
                u[p] *= phi.derivative(hd[i * cols + p % cols]);
            }
            delta = upstream;
            deltas.set(l, delta);
        }
        return deltas;
    }

    /** s² of a layer with this fan-in: w_var/fan-in (NTK parameterization) or 1 (standard). */
    double weightScale2(int fanIn) {
        return spec.standardParameterization() ? 1 : spec.weightVariance() / fanIn;
    }

    /** s_b²: b_var (NTK parameterization) or 1 (standard). */
    double biasScale2() {
        return spec.standardParameterization() ? 1 : spec.biasVariance();
    }

    /** The architecture. */
    public NeuralKernel kernel() {
        return spec;
    }

    /** Hidden width. */
    public int width() {
        return width;
    }

    /** O, the number of outputs. */
    public int outputCount() {
        return outputs;
    }

    /** d, the input dimension. */
    public int inputDimension() {
        return weights.isEmpty() ? readout.cols() : weights.get(0).cols();
    }

    /**
     * The number of trainable parameters P = Σ_l (fan-out·fan-in + fan-out) over hidden layers and
     * read-out.
     */
    public long parameterCount() {
        long p = 0;
        for (Matrix w : weights) {
            p += (long) w.rows() * w.cols() + w.rows();
        }
        return p + (long) readout.rows() * readout.cols() + readout.rows();
    }

    List<Matrix> hiddenWeights() {
        return weights;
    }

    Matrix readoutWeights() {
        return readout;
    }

    private void requireOneOutput(String what) {
        if (outputs != 1) {
            throw new Kernels4jException(what + " needs a one-output network, this one has " + outputs
                    + " outputs (use outputs(x) or EmpiricalNtk)");
        }
    }

    private static void addConstant(Matrix m, double c) {
        double[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += c;
        }
    }
}
