package org.kernels4j.kernel.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;

/**
 * A small {@link RandomNetwork} (width 5) against a brute-force network written here: the same
 * standard normal parameters are re-drawn from the seed in the documented order (per hidden layer
 * the weights row by row, then the biases; then the read-out weights and bias; Box–Muller on
 * SplittableRandom), the forward pass is written out, and the empirical NTK is the sum over all
 * parameters of products of central-difference derivatives of f (step 1e-6: truncation ≈ 1e-12
 * for these piecewise-smooth f away from kinks, rounding ≈ 1e-10), so 1e-7 relative. The outputs
 * are checked first, to 1e-12, which confirms the re-drawn parameters are the network's.
 */
class RandomNetworkExactTest {
    private static final int D = 3;
    private static final int WIDTH = 5;

    /** Parameters in draw order, and the brute-force forward pass. */
    private static final class Net {
        final double[] theta;
        final NeuralKernel k;

        Net(NeuralKernel k, long seed) {
            this.k = k;
            int count = 0;
            int fanIn = D;
            for (int l = 0; l < k.depth(); l++) {
                count += WIDTH * fanIn + WIDTH;
                fanIn = WIDTH;
            }
            count += fanIn + 1;
            theta = new double[count];
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < count; i++) {
                double u = 1.0 - r.nextDouble();
                double v = r.nextDouble();
                theta[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
            }
        }

        /** f(x) with the parameters p (NTK parameterization: scaled by √(w_var/fan-in) and √b_var). */
        double f(double[] p, double[] x) {
            double[] a = x;
            int at = 0;
            for (int l = 0; l < k.depth(); l++) {
                double[] h = new double[WIDTH];
                double s = Math.sqrt(k.weightVariance() / a.length);
                for (int i = 0; i < WIDTH; i++) {
                    double sum = 0;
                    for (int j = 0; j < a.length; j++) {
                        sum += p[at + i * a.length + j] * a[j];
                    }
                    h[i] = s * sum;
                }
                at += WIDTH * a.length;
                double[] next = new double[WIDTH];
                for (int i = 0; i < WIDTH; i++) {
                    next[i] = k.activation().apply(h[i] + Math.sqrt(k.biasVariance()) * p[at + i]);
                }
                at += WIDTH;
                a = next;
            }
            double out = 0;
            for (int j = 0; j < a.length; j++) {
                out += p[at + j] * a[j];
            }
            return Math.sqrt(k.weightVariance() / a.length) * out + Math.sqrt(k.biasVariance()) * p[at + a.length];
        }

        /** The gradient-weighting per parameter: 1 (NTK param), or 1/s² for a weight and 1/b_var for a bias (standard). */
        double weight(int index) {
            if (!k.standardParameterization()) {
                return 1;
            }
            int at = 0;
            int fanIn = D;
            for (int l = 0; l <= k.depth(); l++) {
                int out = l == k.depth() ? 1 : WIDTH;
                if (index < at + out * fanIn) {
                    return fanIn / k.weightVariance();
                }
                at += out * fanIn;
                if (index < at + out) {
                    return 1 / k.biasVariance();
                }
                at += out;
                fanIn = WIDTH;
            }
            throw new IllegalStateException();
        }

        double[] gradient(double[] x) {
            double[] g = new double[theta.length];
            double h = 1e-6;
            for (int i = 0; i < theta.length; i++) {
                double[] up = theta.clone();
                double[] down = theta.clone();
                up[i] += h;
                down[i] -= h;
                g[i] = (f(up, x) - f(down, x)) / (2 * h);
            }
            return g;
        }

        /** The last hidden layer's activations (the input itself at depth 0). */
        double[] features(double[] x) {
            double[] p = theta;
            double[] a = x;
            int at = 0;
            for (int l = 0; l < k.depth(); l++) {
                double[] next = new double[WIDTH];
                double s = Math.sqrt(k.weightVariance() / a.length);
                for (int i = 0; i < WIDTH; i++) {
                    double sum = 0;
                    for (int j = 0; j < a.length; j++) {
                        sum += p[at + i * a.length + j] * a[j];
                    }
                    next[i] = s * sum;
                }
                at += WIDTH * a.length;
                for (int i = 0; i < WIDTH; i++) {
                    next[i] = k.activation().apply(next[i] + Math.sqrt(k.biasVariance()) * p[at + i]);
                }
                at += WIDTH;
                a = next;
            }
            return a;
        }
    }

    @Test
    void outputsKernelsAndTangentKernelsMatchTheBruteForceNetwork() {
        Matrix x = TestData.gaussian(4, D, 1, 90);
        for (NeuralKernel k : new NeuralKernel[] {NeuralKernel.ntk(2, Activation.named("tanh"), 1.7, 0.3),
            NeuralKernel.ntk(1, Activation.leakyRelu(0.2), 1.3, 0.2), NeuralKernel.ntk(0, Activation.relu(), 1.3, 0.2),
            NeuralKernel.ntkStandard(2, Activation.named("erf"), 1.4, 0.25, WIDTH)}) {
            long seed = 7;
            RandomNetwork net = new RandomNetwork(k, D, WIDTH, seed);
            assertEquals(WIDTH, net.width());
            Net ref = new Net(k, seed);
            double[] out = net.apply(x);
            Matrix nngp = net.empiricalNngp(x);
            Matrix ntk = net.empiricalNtk(x);
            double[][] grads = new double[x.rows()][];
            for (int i = 0; i < x.rows(); i++) {
                assertEquals(ref.f(ref.theta, x.row(i)), out[i], 1e-12, k + " output " + i);
                grads[i] = ref.gradient(x.row(i));
            }
            for (int i = 0; i < x.rows(); i++) {
                double[] fi = ref.features(x.row(i));
                for (int j = 0; j < x.rows(); j++) {
                    double[] fj = ref.features(x.row(j));
                    double dot = 0;
                    for (int u = 0; u < fi.length; u++) {
                        dot += fi[u] * fj[u];
                    }
                    double expectK = k.weightVariance() / fi.length * dot + k.biasVariance();
                    assertEquals(expectK, nngp.get(i, j), 1e-12 * Math.max(1, Math.abs(expectK)), k + " nngp " + i + j);
                    double expectT = 0;
                    for (int p = 0; p < grads[i].length; p++) {
                        expectT += ref.weight(p) * grads[i][p] * grads[j][p];
                    }
                    assertEquals(expectT, ntk.get(i, j), 1e-7 * Math.max(1, Math.abs(expectT)), k + " ntk " + i + j);
                }
            }
        }
        assertThrows(Kernels4jException.class, () -> new RandomNetwork(NeuralKernel.ntk(1, Activation.relu(), 1, 0), D, 0, 1));
        assertThrows(Kernels4jException.class, () -> new RandomNetwork(NeuralKernel.ntk(1, Activation.relu(), 1, 0), 0, 4, 1));
    }
}
