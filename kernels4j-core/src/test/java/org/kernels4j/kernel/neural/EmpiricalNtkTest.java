package org.kernels4j.kernel.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;

/**
 * {@link EmpiricalNtk} of multi-output networks against a brute-force network written here: the
 * parameters are re-drawn from the seed in the documented order, the forward pass is written out,
 * and the Jacobian J (O×P per input) comes from central differences (step 1e-5, smooth
 * activations: truncation ≈ 1e-10, rounding ≈ 1e-11), so the kernels built from it agree to 1e-7
 * relative.
 */
class EmpiricalNtkTest {
    private static final int D = 3;
    private static final int WIDTH = 4;
    private static final int OUT = 3;

    /** Parameters in draw order, and the brute-force forward pass of a net with OUT outputs. */
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
            count += OUT * fanIn + OUT;
            theta = new double[count];
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < count; i++) {
                double u = 1.0 - r.nextDouble();
                double v = r.nextDouble();
                theta[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
            }
        }

        double[] f(double[] p, double[] x) {
            double[] a = x;
            int at = 0;
            double sb = Math.sqrt(k.biasVariance());
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
                    next[i] = k.activation().apply(next[i] + sb * p[at + i]);
                }
                at += WIDTH;
                a = next;
            }
            double[] out = new double[OUT];
            double s = Math.sqrt(k.weightVariance() / a.length);
            for (int o = 0; o < OUT; o++) {
                double sum = 0;
                for (int j = 0; j < a.length; j++) {
                    sum += p[at + o * a.length + j] * a[j];
                }
                out[o] = s * sum + sb * p[at + OUT * a.length + o];
            }
            return out;
        }

        /** In the standard parameterization a parameter's gradient is taken w.r.t. s·θ: weight 1/s². */
        double weight(int index) {
            if (!k.standardParameterization()) {
                return 1;
            }
            int at = 0;
            int fanIn = D;
            for (int l = 0; l <= k.depth(); l++) {
                int out = l == k.depth() ? OUT : WIDTH;
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

        /** J[a][p] = ∂f_a/∂θ_p by central differences. */
        double[][] jacobian(double[] x) {
            double[][] j = new double[OUT][theta.length];
            double h = 1e-5;
            for (int p = 0; p < theta.length; p++) {
                double[] up = theta.clone();
                double[] down = theta.clone();
                up[p] += h;
                down[p] -= h;
                double[] fu = f(up, x);
                double[] fd = f(down, x);
                for (int a = 0; a < OUT; a++) {
                    j[a][p] = (fu[a] - fd[a]) / (2 * h);
                }
            }
            return j;
        }
    }

    @Test
    void fullPseudoAndTraceKernelsMatchFiniteDifferenceJacobians() {
        Matrix x = TestData.gaussian(4, D, 1, 91);
        int n = x.rows();
        for (NeuralKernel k : new NeuralKernel[] {NeuralKernel.ntk(2, Activation.named("tanh"), 1.7, 0.3),
            NeuralKernel.ntk(0, Activation.relu(), 1.3, 0.2),
            NeuralKernel.ntkStandard(2, Activation.named("erf"), 1.4, 0.25, WIDTH)}) {
            long seed = 17;
            RandomNetwork net = new RandomNetwork(k, D, WIDTH, OUT, seed);
            Net ref = new Net(k, seed);
            assertEquals(ref.theta.length, net.parameterCount());
            Matrix outputs = net.outputs(x);
            double[][][] jac = new double[n][][];
            for (int i = 0; i < n; i++) {
                double[] f = ref.f(ref.theta, x.row(i));
                for (int a = 0; a < OUT; a++) {
                    assertEquals(f[a], outputs.get(i, a), 1e-12, k + " output");
                }
                jac[i] = ref.jacobian(x.row(i));
            }
            Matrix full = EmpiricalNtk.full(net, x);
            Matrix pseudo = EmpiricalNtk.pseudo(net, x);
            Matrix trace = EmpiricalNtk.trace(net, x);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double tr = 0;
                    double ps = 0;
                    for (int a = 0; a < OUT; a++) {
                        for (int b = 0; b < OUT; b++) {
                            double t = 0;
                            for (int p = 0; p < ref.theta.length; p++) {
                                t += ref.weight(p) * jac[i][a][p] * jac[j][b][p];
                            }
                            assertEquals(t, full.get(i * OUT + a, j * OUT + b), 1e-7 * Math.max(1, Math.abs(t)),
                                    k + " full");
                            ps += t / OUT;
                            tr += a == b ? t : 0;
                        }
                    }
                    assertEquals(ps, pseudo.get(i, j), 1e-7 * Math.max(1, Math.abs(ps)), k + " pseudo");
                    assertEquals(tr, trace.get(i, j), 1e-7 * Math.max(1, Math.abs(tr)), k + " trace");
                }
            }
        }
    }

    @Test
    void projectedKernelIsUnbiasedForTheTraceKernel() {
        // mean over S independent projections of k = 4 rows: each entry within 4 standard errors of the trace NTK
        NeuralKernel k = NeuralKernel.ntk(2, Activation.named("tanh"), 1.5, 0.2);
        RandomNetwork net = new RandomNetwork(k, D, WIDTH, OUT, 5);
        Matrix x = TestData.gaussian(3, D, 1, 92);
        Matrix trace = EmpiricalNtk.trace(net, x);
        int s = 400;
        double[] sum = new double[9];
        double[] sum2 = new double[9];
        for (int seed = 0; seed < s; seed++) {
            Matrix p = EmpiricalNtk.projected(net, x, 4, seed);
            for (int e = 0; e < 9; e++) {
                sum[e] += p.data()[e];
                sum2[e] += p.data()[e] * p.data()[e];
            }
        }
        for (int e = 0; e < 9; e++) {
            double mean = sum[e] / s;
            double se = Math.sqrt((sum2[e] / s - mean * mean) / (s - 1));
            assertTrue(Math.abs(mean - trace.data()[e]) < 4 * se + 1e-12,
                    "entry " + e + ": " + mean + " +/- " + se + " vs " + trace.data()[e]);
        }
        // the same seed projects the same way whatever the inputs: one row's features do not depend on the others
        Matrix g = EmpiricalNtk.projectedGradients(net, x, 6, 3);
        Matrix g0 = EmpiricalNtk.projectedGradients(net, x.rowRange(0, 1), 6, 3);
        for (int c = 0; c < OUT * 6; c++) {
            assertEquals(g.data()[c], g0.data()[c], 1e-12);
        }
    }

    @Test
    void pseudoNtkErrorAgainstTheFullKernelFallsWithWidth() {
        // the off-diagonal output blocks of Θ are O(1/√width): the error ‖pNTK⊗I − Θ‖/‖Θ‖ should shrink ≈ 4×
        // from width 16 to 256; over 6 networks per width we require at least 2× with the gap > 3 standard errors
        NeuralKernel k = NeuralKernel.ntk(2, Activation.relu(), 2, 0.1);
        Matrix x = TestData.gaussian(6, 5, 1, 93);
        double[][] err = new double[2][6];
        int[] widths = {16, 256};
        for (int w = 0; w < 2; w++) {
            for (int s = 0; s < 6; s++) {
                RandomNetwork net = new RandomNetwork(k, 5, widths[w], 4, 100 + s);
                Matrix full = EmpiricalNtk.full(net, x);
                err[w][s] = EmpiricalNtk.relativeError(EmpiricalNtk.withIdentity(EmpiricalNtk.pseudo(net, x), 4), full);
            }
        }
        double m0 = mean(err[0]);
        double m1 = mean(err[1]);
        double se = Math.sqrt(variance(err[0]) / 6 + variance(err[1]) / 6);
        assertTrue(m1 < m0 / 2 && m0 - m1 > 3 * se, "narrow " + m0 + ", wide " + m1 + ", se " + se);
    }

    @Test
    void oneOutputNetworksAgreeWithTheScalarNtkAndMisuseIsRefused() {
        NeuralKernel k = NeuralKernel.ntk(3, Activation.relu(), 2, 0.1);
        Matrix x = TestData.gaussian(5, D, 1, 94);
        RandomNetwork one = new RandomNetwork(k, D, 8, 1, 3);
        Matrix full = EmpiricalNtk.full(one, x);
        assertTrue(full.maxAbsDifference(one.empiricalNtk(x)) < 1e-12);
        assertTrue(full.maxAbsDifference(EmpiricalNtk.pseudo(one, x)) < 1e-12);
        RandomNetwork three = new RandomNetwork(k, D, 8, 3, 3);
        assertThrows(Kernels4jException.class, () -> three.empiricalNtk(x));
        assertThrows(Kernels4jException.class, () -> three.apply(x));
        assertThrows(Kernels4jException.class, () -> EmpiricalNtk.projected(three, x, 0, 1));
        assertThrows(Kernels4jException.class, () -> three.outputs(new Matrix(2, D + 1)));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e;
        }
        return s / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double e : v) {
            s += (e - m) * (e - m);
        }
        return s / (v.length - 1);
    }
}
