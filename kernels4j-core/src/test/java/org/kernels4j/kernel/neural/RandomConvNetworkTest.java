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

    @Test
    void errorFallsWithWidth() {
        ConvolutionalKernel k = (ConvolutionalKernel) KernelSpec.parse(
                "cntk(shape=[6, 1], layers=[conv3, relu, conv3, relu], readout=gap)");
        Matrix x = TestData.gaussian(5, 6, 1.0, 2);
        Matrix exact = GramEngine.gram(k, x);
        double[] err = new double[2];
        int[] widths = {8, 128};
        for (int i = 0; i < 2; i++) {
            for (int s = 0; s < 4; s++) {
                Matrix e = new RandomConvNetwork(k, 6, widths[i], 77 + s).empiricalNtk(x);
                double num = 0;
                double den = 0;
                for (int j = 0; j < e.data().length; j++) {
                    num += Math.pow(e.data()[j] - exact.data()[j], 2);
                    den += Math.pow(exact.data()[j], 2);
                }
                err[i] += Math.sqrt(num / den) / 4;
            }
        }
        // the relative error is O(1/√width): 16 times the width, about a quarter of the error
        assertTrue(err[1] < 0.5 * err[0], "error " + err[0] + " at width 8, " + err[1] + " at width 128");
    }
}
