package org.kernels4j.kernel.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * One finite, randomly initialized convolutional network of the architecture a
 * {@link ConvolutionalKernel} describes, with {@code width} channels in every convolution: the
 * Monte-Carlo ground truth for the CNN-GP and the CNTK, in the style of {@link RandomNetwork}. A
 * convolution with fan-in m = C_in·f^k maps a (P_in × C_in) layer to
 * h[q, o] = s·Σ_{taps a, c} W[a, c, o]·x[s·q + a, c] + s_b·β[o] with W, β standard normal,
 * s² = w_var/m and s_b² = b_var (zero padding, or wrapping for circular); pooling averages windows;
 * the read-out is s·⟨v, flatten(a)⟩ + s_b·β (m = P·C) or s·⟨v, mean_p a[p, ·]⟩ + s_b·β (gap, m = C).
 *
 * <ul>
 *   <li>{@link #empiricalNngp}: the read-out's covariance given the hidden layers,
 *       (w_var/m)·⟨feature(x), feature(z)⟩ + b_var;</li>
 *   <li>{@link #empiricalNtk}: Σ_θ ∂f(x)/∂θ·∂f(z)/∂θ over every weight and bias, from a hand-written
 *       backward pass (convolutions as im2col products, their transposes as scatter-adds); gradients
 *       are taken with respect to the standard normal W, β in the NTK parameterization and with respect
 *       to the scaled weights s·W, s_b·β in the standard one.</li>
 * </ul>
 * Cost: per input O(Σ_layers P·f^k·C_in·C_out) flops as GEMMs; memory: the gradient of every input,
 * n × (number of parameters) doubles, which limits it to checks on a few dozen small images.
 */
public final class RandomConvNetwork {
    private final ConvolutionalKernel spec;
    private final ConvolutionalKernel.Plan plan;
    private final int width;
    private final List<Matrix> weights = new ArrayList<>(); // conv: (f^k·C_in) × C_out
    private final List<double[]> biases = new ArrayList<>();
    private final double[] readout;
    private final double readoutBias;
    private final int parameters;

    /**
     * Samples a network.
     *
     * @param kernel the architecture (shape, layers, read-out, variances, parameterization)
     * @param inputDim d, the features per row (must fit the kernel's shape)
     * @param width channels of every convolution, ≥ 1
     * @param seed random seed; same seed, same network
     */
    public RandomConvNetwork(ConvolutionalKernel kernel, int inputDim, int width, long seed) {
        if (width < 1 || inputDim < 1) {
            throw new Kernels4jException("a random network needs width >= 1 and input dimension >= 1");
        }
        this.spec = kernel;
        this.plan = kernel.plan(inputDim);
        this.width = width;
        SplittableRandom rnd = new SplittableRandom(seed);
        int c = plan.channels();
        int count = 0;
        for (ConvolutionalKernel.Step s : plan.steps()) {
            if (s.layer().conv()) {
                Matrix w = new Matrix(s.h().taps() * s.w().taps() * c, width);
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
                count += d.length + width;
                c = width;
            }
        }
        int features = c * (spec.readout() == ConvolutionalKernel.Readout.FLATTEN ? plan.outH() * plan.outW() : 1);
        readout = new double[features];
        for (int i = 0; i < features; i++) {
            readout[i] = gaussian(rnd);
        }
        readoutBias = gaussian(rnd);
        this.parameters = count + features + 1;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Channels of every convolution. */
    public int width() {
        return width;
    }

    /** Number of weights and biases. */
    public int parameterCount() {
        return parameters;
    }

    /** The im2col matrix of a (P_in × C) layer for one convolution or pooling step: P_out × (taps·C). */
    private static Matrix patches(ConvolutionalKernel.Step s, Matrix a, int inW) {
        ConvolutionalKernel.Axis ah = s.h();
        ConvolutionalKernel.Axis aw = s.w();
        int c = a.cols();
        int taps = ah.taps() * aw.taps();
        Matrix out = new Matrix(ah.out() * aw.out(), taps * c);
        double[] o = out.data();
        double[] in = a.data();
        for (int q1 = 0; q1 < ah.out(); q1++) {
            for (int q2 = 0; q2 < aw.out(); q2++) {
                int row = (q1 * aw.out() + q2) * taps * c;
                for (int t1 = 0; t1 < ah.taps(); t1++) {
                    int u1 = ah.index(q1, t1);
                    for (int t2 = 0; t2 < aw.taps(); t2++) {
                        int u2 = aw.index(q2, t2);
                        if (u1 < 0 || u2 < 0) {
                            continue;
                        }
                        System.arraycopy(in, (u1 * inW + u2) * c, o, row + (t1 * aw.taps() + t2) * c, c);
                    }
                }
            }
        }
        return out;
    }

    /** The transpose of {@link #patches}: scatter-adds a P_out × (taps·C) gradient back to P_in × C. */
    private static Matrix unpatch(ConvolutionalKernel.Step s, Matrix g, int inH, int inW, int c) {
        ConvolutionalKernel.Axis ah = s.h();
        ConvolutionalKernel.Axis aw = s.w();
        int taps = ah.taps() * aw.taps();
        Matrix out = new Matrix(inH * inW, c);
        double[] o = out.data();
        double[] gd = g.data();
        for (int q1 = 0; q1 < ah.out(); q1++) {
            for (int q2 = 0; q2 < aw.out(); q2++) {
                int row = (q1 * aw.out() + q2) * taps * c;
                for (int t1 = 0; t1 < ah.taps(); t1++) {
                    int u1 = ah.index(q1, t1);
                    for (int t2 = 0; t2 < aw.taps(); t2++) {
                        int u2 = aw.index(q2, t2);
                        if (u1 < 0 || u2 < 0) {
                            continue;
                        }
                        int from = row + (t1 * aw.taps() + t2) * c;
                        int to = (u1 * inW + u2) * c;
                        for (int ch = 0; ch < c; ch++) {
                            o[to + ch] += gd[from + ch];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Forward pass of one input: every layer's input, the pre-activations, the output. */
    private final class Forward {
        final List<Matrix> inputs = new ArrayList<>(); // the input of each step, P × C
        final List<int[]> sizes = new ArrayList<>(); // its (H, W)
        final double[] feature;
        final double output;

        Forward(double[] x) {
            Matrix a = Matrix.wrap(plan.height() * plan.width(), plan.channels(), x.clone());
            int h = plan.height();
            int w = plan.width();
            int conv = 0;
            for (ConvolutionalKernel.Step s : plan.steps()) {
                inputs.add(a);
                sizes.add(new int[] {h, w});
                if (s.layer().conv()) {
                    Matrix wt = weights.get(conv);
                    double sc = Math.sqrt(spec.weightVariance() / wt.rows());
                    double sb = Math.sqrt(spec.biasVariance());
                    Matrix next = new Matrix(s.h().out() * s.w().out(), width);
                    Blas.gemm(false, false, sc, patches(s, a, w), wt, 0.0, next);
                    double[] nd = next.data();
                    double[] b = biases.get(conv);
                    for (int i = 0; i < nd.length; i++) {
                        nd[i] += sb * b[i % width];
                    }
                    a = next;
                    conv++;
                } else if (s.layer().pool() > 0) {
                    Matrix p = patches(s, a, w);
                    int taps = s.h().taps() * s.w().taps();
                    int c = a.cols();
                    Matrix next = new Matrix(p.rows(), c);
                    for (int q = 0; q < p.rows(); q++) {
                        for (int t = 0; t < taps; t++) {
                            for (int ch = 0; ch < c; ch++) {
                                next.data()[q * c + ch] += p.data()[(q * taps + t) * c + ch] / taps;
                            }
                        }
                    }
                    a = next;
                } else {
                    Matrix next = new Matrix(a.rows(), a.cols());
                    Activation phi = s.layer().activation();
                    for (int i = 0; i < next.data().length; i++) {
                        next.data()[i] = phi.apply(a.data()[i]);
                    }
                    a = next;
                }
                if (s.h() != null) {
                    h = s.h().out();
                    w = s.w().out();
                }
            }
            inputs.add(a);
            if (spec.readout() == ConvolutionalKernel.Readout.FLATTEN) {
                feature = a.data().clone();
            } else {
                feature = new double[a.cols()];
                for (int p = 0; p < a.rows(); p++) {
                    for (int ch = 0; ch < a.cols(); ch++) {
                        feature[ch] += a.data()[p * a.cols() + ch] / a.rows();
                    }
                }
            }
            double sc = Math.sqrt(spec.weightVariance() / feature.length);
            double o = 0;
            for (int i = 0; i < feature.length; i++) {
                o += sc * readout[i] * feature[i];
            }
            output = o + Math.sqrt(spec.biasVariance()) * readoutBias;
        }
    }

    /** The network's outputs f(x) for each row of x. */
    public double[] apply(Matrix x) {
        double[] out = new double[x.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Forward(x.row(i)).output;
        }
        return out;
    }

    /** The read-out covariance given the hidden layers (n×n), an estimate of the CNN-GP kernel. */
    public Matrix empiricalNngp(Matrix x) {
        int n = x.rows();
        Matrix f = null;
        for (int i = 0; i < n; i++) {
            double[] feat = new Forward(x.row(i)).feature;
            if (f == null) {
                f = new Matrix(n, feat.length);
            }
            System.arraycopy(feat, 0, f.data(), i * feat.length, feat.length);
        }
        Matrix k = new Matrix(n, n);
        Blas.syrk(spec.weightVariance() / f.cols(), f, 0.0, k);
        for (int i = 0; i < k.data().length; i++) {
            k.data()[i] += spec.biasVariance();
        }
        return k;
    }

    /** The empirical NTK Σ_θ ∂f/∂θ(x_i)·∂f/∂θ(x_j) (n×n), by a backward pass per input. */
    public Matrix empiricalNtk(Matrix x) {
        int n = x.rows();
        Matrix grads = new Matrix(n, parameters);
        for (int i = 0; i < n; i++) {
            gradient(x.row(i), grads.data(), i * parameters);
        }
        Matrix k = new Matrix(n, n);
        Blas.syrk(1.0, grads, 0.0, k);
        return k;
    }

    /** ∂f(x)/∂θ into g[off, off + parameters): convolutions in order (weights, then biases), then the read-out. */
    private void gradient(double[] x, double[] g, int off) {
        Forward fw = new Forward(x);
        boolean std = spec.standardParameterization();
        double w = spec.weightVariance();
        double b = spec.biasVariance();
        int[] convOffsets = new int[weights.size()];
        int pos = off;
        for (int l = 0; l < weights.size(); l++) {
            convOffsets[l] = pos;
            pos += weights.get(l).data().length + width;
        }
        // read-out: f = s·⟨v, feature⟩ + s_b·β
        double sOut = Math.sqrt(w / fw.feature.length);
        for (int i = 0; i < fw.feature.length; i++) {
            g[pos + i] = (std ? 1 : sOut) * fw.feature[i];
        }
        g[pos + fw.feature.length] = std ? 1 : Math.sqrt(b);
        Matrix last = fw.inputs.get(fw.inputs.size() - 1);
        Matrix delta = new Matrix(last.rows(), last.cols()); // ∂f/∂(last layer)
        for (int p = 0; p < last.rows(); p++) {
            for (int ch = 0; ch < last.cols(); ch++) {
                int idx = p * last.cols() + ch;
                delta.data()[idx] = spec.readout() == ConvolutionalKernel.Readout.FLATTEN ? sOut * readout[idx]
                        : sOut * readout[ch] / last.rows();
            }
        }
        int conv = weights.size() - 1;
        List<ConvolutionalKernel.Step> steps = plan.steps();
        for (int si = steps.size() - 1; si >= 0; si--) {
            ConvolutionalKernel.Step s = steps.get(si);
            Matrix in = fw.inputs.get(si);
            int[] hw = fw.sizes.get(si);
            if (s.layer().conv()) {
                Matrix wt = weights.get(conv);
                double sc = Math.sqrt(w / wt.rows());
                Matrix pt = patches(s, in, hw[1]);
                Matrix gw = new Matrix(wt.rows(), wt.cols());
                Blas.gemm(true, false, std ? 1 : sc, pt, delta, 0.0, gw);
                System.arraycopy(gw.data(), 0, g, convOffsets[conv], gw.data().length);
                int bo = convOffsets[conv] + gw.data().length;
                for (int q = 0; q < delta.rows(); q++) {
                    for (int o = 0; o < width; o++) {
                        g[bo + o] += (std ? 1 : Math.sqrt(b)) * delta.data()[q * width + o];
                    }
                }
                Matrix dp = new Matrix(delta.rows(), wt.rows());
                Blas.gemm(false, true, sc, delta, wt, 0.0, dp);
                delta = unpatch(s, dp, hw[0], hw[1], in.cols());
                conv--;
            } else if (s.layer().pool() > 0) {
                int taps = s.h().taps() * s.w().taps();
                int c = in.cols();
                Matrix dp = new Matrix(delta.rows(), taps * c);
                for (int q = 0; q < delta.rows(); q++) {
                    for (int t = 0; t < taps; t++) {
                        for (int ch = 0; ch < c; ch++) {
                            dp.data()[(q * taps + t) * c + ch] = delta.data()[q * c + ch] / taps;
                        }
                    }
                }
                delta = unpatch(s, dp, hw[0], hw[1], c);
            } else {
                Activation phi = s.layer().activation();
                for (int i = 0; i < delta.data().length; i++) {
                    delta.data()[i] *= phi.derivative(in.data()[i]);
                }
            }
        }
    }
}
