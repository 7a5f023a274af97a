package org.kernels4j.kernel.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Finite random CNNs against the closed-form CNN-GP and CNTK. The estimate is the mean of M
 * independent networks' empirical kernels; its standard error is the networks' standard deviation
 * over √M. At width n the mean itself is off by O(1/n) (the finite-width correction), so each entry
 * must lie within 4 standard errors plus 3/n of the entry's scale.
 */
class RandomConvNetworkTest {

    static void check(String kernelSpec, int n, int width, int networks, long seed) {
        ConvolutionalKernel k = (ConvolutionalKernel) KernelSpec.parse(kernelSpec);
        int d = k.features();
        Matrix x = TestData.gaussian(n, d, 1.0, seed);
        Matrix exactK = GramEngine.gram(k.withKind(NeuralKernel.Kind.NNGP, 0), x);
        Matrix exactT = GramEngine.gram(k.withKind(NeuralKernel.Kind.NTK, width), x);
        double[][] sumK = new double[2][n * n];
        double[][] sumT = new double[2][n * n];
        for (int m = 0; m < networks; m++) {
            RandomConvNetwork net = new RandomConvNetwork(k, d, width, seed * 1000 + m);
            double[] ek = net.empiricalNngp(x).data();
            double[] et = net.empiricalNtk(x).data();
            for (int e = 0; e < n * n; e++) {
                sumK[0][e] += ek[e];
                sumK[1][e] += ek[e] * ek[e];
                sumT[0][e] += et[e];
                sumT[1][e] += et[e] * et[e];
            }
        }
        compare(kernelSpec + " NNGP", exactK, sumK, networks, width);
        compare(kernelSpec + " NTK", exactT, sumT, networks, width);
    }

    static void compare(String what, Matrix exact, double[][] sums, int m, int width) {
        double scale = 0;
        for (double v : exact.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int e = 0; e < exact.data().length; e++) {
            double mean = sums[0][e] / m;
            double var = Math.max(0, (sums[1][e] - m * mean * mean) / (m - 1));
            double tol = 4 * Math.sqrt(var / m) + 3.0 / width * scale;
            worst = Math.max(worst, Math.abs(mean - exact.data()[e]) / tol);
            assertEquals(exact.data()[e], mean, tol, what + " entry " + e);
        }
        assertTrue(worst > 0, what);
    }

    @Test
    void signalWithGlobalAveragePoolingAndCircularPadding() {
        check("cntk(shape=[6, 2], layers=[conv3, relu, conv3s2, erf], readout=gap, padding=circular, b_var=0.1)", 4,
                96, 16, 3);
    }

    @Test
    void imageWithPoolingAndFlattenReadout() {
        check("cntk(shape=[4, 4, 1], layers=[conv3, relu, pool2, conv2, relu], b_var=0.1)", 4, 96, 16, 5);
    }

    @Test
    void standardParameterization() {
        check("cntk(shape=[5, 1], layers=[conv2, relu, conv2, relu], readout=gap, b_var=0.2, param=standard, width=96)",
                4, 96, 16, 9);
    }

    /**
     * ntk-check's open question: on this CNTK (4 inputs, 3 networks per width) its mean relative
     * error fell only about 3× from width 16 to 1024 where 1/√width predicts 8×. Settled as Monte-Carlo
     * noise, not a bias: (1) the mean of the networks' empirical kernels at width 128 equals the closed
     * form entry by entry within 4 standard errors + 3/width ({@link #compare}), so there is no error
     * floor; (2) one network's squared relative error e² has mean c/width + O(1/width²) (the empirical
     * kernel's variance; its O(1/width) bias enters squared), so width·E[e²] is the same at widths 16
     * and 128 within 4 standard errors of the difference; the 3×-over-64× decay seen would make it
     * 2.7 times larger at 128. e² is heavy-tailed (its coefficient of variation is about 1.3 here), so
     * a mean over 3 networks, the ntk-check default, easily misses the ratio by a factor of 2.
     */
    @Test
    void squaredErrorTimesWidthIsConstantAndTheMeanKernelIsUnbiased() {
        ConvolutionalKernel k = (ConvolutionalKernel) KernelSpec.parse(
                "cntk(shape=[5, 1], layers=[conv3, relu, conv3, relu], readout=gap, b_var=0.1)");
        int n = 4;
        Matrix x = TestData.gaussian(n, 5, 1.0, 2);
        Matrix exactK = GramEngine.gram(k.withKind(NeuralKernel.Kind.NNGP, 0), x);
        Matrix exactT = GramEngine.gram(k, x);
        int[] widths = {16, 128};
        int[] networks = {48, 32};
        double[][] scaled = new double[2][2]; // [NNGP, NTK][width]: width·E[e²]
        double[][] scaledSe = new double[2][2];
        double[][] sumK = new double[2][n * n];
        double[][] sumT = new double[2][n * n];
        for (int w = 0; w < 2; w++) {
            double[][] e2 = new double[2][networks[w]];
            for (int m = 0; m < networks[w]; m++) {
                RandomConvNetwork net = new RandomConvNetwork(k, 5, widths[w], 500 + 1000L * w + m);
                double[] ek = net.empiricalNngp(x).data();
                double[] et = net.empiricalNtk(x).data();
                e2[0][m] = relativeSquaredError(ek, exactK.data());
                e2[1][m] = relativeSquaredError(et, exactT.data());
                for (int e = 0; e < n * n && w == 1; e++) {
                    sumK[0][e] += ek[e];
                    sumK[1][e] += ek[e] * ek[e];
                    sumT[0][e] += et[e];
                    sumT[1][e] += et[e] * et[e];
                }
            }
            for (int kind = 0; kind < 2; kind++) {
                double mean = 0;
                for (double v : e2[kind]) {
                    mean += v / networks[w];
                }
                double var = 0;
                for (double v : e2[kind]) {
                    var += (v - mean) * (v - mean) / (networks[w] - 1);
                }
                scaled[kind][w] = widths[w] * mean;
                scaledSe[kind][w] = widths[w] * Math.sqrt(var / networks[w]);
            }
        }
        compare("mean of 32 networks at width 128, NNGP", exactK, sumK, networks[1], widths[1]);
        compare("mean of 32 networks at width 128, NTK", exactT, sumT, networks[1], widths[1]);
        for (int kind = 0; kind < 2; kind++) {
            double tol = 4 * Math.hypot(scaledSe[kind][0], scaledSe[kind][1]);
            String what = (kind == 0 ? "NNGP" : "NTK") + ": width·E[e²] = " + scaled[kind][0] + " ± " + scaledSe[kind][0]
                    + " at width 16, " + scaled[kind][1] + " ± " + scaledSe[kind][1] + " at 128";
            assertEquals(scaled[kind][0], scaled[kind][1], tol, what);
            // the test can tell: the tolerance is below the 1.7·(width 16 value) gap a 3×-over-64× decay would leave
            assertTrue(tol < 1.7 * scaled[kind][0], what);
        }
    }

    private static double relativeSquaredError(double[] a, double[] exact) {
        double num = 0;
        double den = 0;
        for (int j = 0; j < a.length; j++) {
            num += (a[j] - exact[j]) * (a[j] - exact[j]);
            den += exact[j] * exact[j];
        }
        return num / den;
    }
}
