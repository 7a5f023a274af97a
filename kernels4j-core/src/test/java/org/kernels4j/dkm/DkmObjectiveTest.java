package org.kernels4j.dkm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

/**
 * The exact DKM objective at a size where its tiled passes (64×64 tiles), parallel row blocks (n ≥ 128) and
 * per-layer chains all take part: n = 131 (not a multiple of the tile), L = 3, two targets. The value is checked
 * against the formula evaluated here by another route (G = V·Vᵀ by a triple loop, the library's heap Cholesky
 * for every log-determinant, trace and solve), the gradient against central differences, and the worker-thread
 * path against the one-block path.
 */
class DkmObjectiveTest {
    private static final int N = 131;

    @Test
    void valueGradientAndThreadingAtATiledSize() {
        Matrix x = TestData.gaussian(N, 600, 1, 31); // d ≫ n: G_0 = XXᵀ/d and every K_ℓ well conditioned
        Matrix y = new Matrix(N, 2);
        for (int i = 0; i < N; i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)) + 0.5 * x.get(i, 1));
            y.set(i, 1, x.get(i, 2) * x.get(i, 3));
        }
        GramMap map = GramMap.nngp(Activation.relu(), 2, 0.1);
        double[] nu = {0.8, 1.7, 3.0};
        double noise = 0.1;
        DeepKernelMachine dkm = DeepKernelMachine.builder(map).layers(3).nu(nu).noise(noise).build();
        DeepKernelMachine.Problem p = dkm.problem(x, y, null);
        DkmObjective f = (DkmObjective) p.objective();
        double[] theta = p.theta().clone();
        Random rnd = new Random(5);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.02 * rnd.nextGaussian(); // away from the start, where every KL gradient vanishes
        }

        // the value by the formula, another route
        int m = DkmObjective.packedSize(N);
        double[] jitter = p.jitter();
        Matrix previous = DeepKernelMachine.inputGram(x);
        double expected = 0;
        for (int l = 1; l <= 3; l++) {
            Matrix v = DkmObjective.unpack(theta, (l - 1) * m, N);
            Matrix g = TestData.naiveProduct(v, v.transpose());
            try (Cholesky k = Cholesky.factor(DkmObjective.apply(map, previous, jitter[l - 1]), "K");
                    Cholesky gc = Cholesky.factor(g, "G")) {
                double trace = 0;
                Matrix kg = k.solve(g);
                for (int i = 0; i < N; i++) {
                    trace += kg.get(i, i);
                }
                expected -= nu[l - 1] * 0.5 * (trace - gc.logDeterminant() + k.logDeterminant() - N);
            }
            previous = g;
        }
        try (Cholesky c = Cholesky.factor(DkmObjective.apply(map, previous, jitter[3] + noise), "C")) {
            Matrix alpha = c.solve(y);
            expected += -0.5 * DkmObjective.dot(y, alpha) - c.logDeterminant() - N * Math.log(2 * Math.PI);
        }

        double[] g1 = new double[theta.length];
        double[] g2 = new double[theta.length];
        double v1 = -f.valueAndGradient(theta, g1);
        double v2 = -f.evaluateOnWorkers(theta, g2);
        assertEquals(expected, v1, 1e-9 * Math.abs(expected));
        assertEquals(v1, v2, 1e-10 * Math.abs(v1));
        for (int i = 0; i < theta.length; i++) {
            assertEquals(g1[i], g2[i], 1e-9 * (1 + Math.abs(g1[i])), "one block against the workers, parameter " + i);
        }
        // central differences on diagonal and off-diagonal entries of every layer, in different tiles
        double h = 1e-5;
        for (int l = 0; l < 3; l++) {
            for (int[] ij : new int[][] {{0, 0}, {70, 3}, {130, 64}, {130, 130}}) {
                int idx = l * m + ij[0] * (ij[0] + 1) / 2 + ij[1];
                double[] tp = theta.clone();
                double[] tm = theta.clone();
                tp[idx] += h;
                tm[idx] -= h;
                double fd = (f.valueAndGradient(tp, null) - f.valueAndGradient(tm, null)) / (2 * h);
                assertEquals(fd, g1[idx], 1e-6 * (1 + Math.abs(fd)), "layer " + (l + 1) + " entry " + ij[0] + "," + ij[1]);
            }
        }
        // whitened at θ (V = W·V', the panel-wise triangular products of two tiles' width and more): the value at
        // V' = I is the unwhitened one, and the gradient in V' at a moved point matches central differences
        double[] whitened = f.whiten(theta);
        assertEquals(v1, -f.valueAndGradient(whitened, null), 1e-10 * Math.abs(v1));
        for (int i = 0; i < whitened.length; i++) {
            whitened[i] += 0.01 * rnd.nextGaussian();
        }
        double[] gw = new double[whitened.length];
        f.valueAndGradient(whitened, gw);
        for (int l = 0; l < 3; l++) {
            for (int[] ij : new int[][] {{0, 0}, {70, 3}, {130, 64}, {130, 130}, {100, 97}}) {
                int idx = l * m + ij[0] * (ij[0] + 1) / 2 + ij[1];
                double[] tp = whitened.clone();
                double[] tm = whitened.clone();
                tp[idx] += h;
                tm[idx] -= h;
                double fd = (f.valueAndGradient(tp, null) - f.valueAndGradient(tm, null)) / (2 * h);
                assertEquals(fd, gw[idx], 1e-6 * (1 + Math.abs(fd)), "whitened layer " + (l + 1) + " entry " + ij[0]
                        + "," + ij[1]);
            }
        }
    }
}
