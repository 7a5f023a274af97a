package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

/**
 * The grid GP against the dense GP on the observed points: gp.GaussianProcess with the ARD RBF
 * kernel (which is the product of per-axis RBF kernels), and a dense Gram matrix built here for
 * other products; with and without missing cells.
 */
class KroneckerGaussianProcessTest {

    private static double[] axis(int n, double from, double step, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = from + step * i + 0.2 * step * r.nextDouble(); // irregular spacing
        }
        return a;
    }

    /** A grid with a smooth noisy field and {@code missing} cells dropped at random. */
    private static KroneckerGaussianProcess.Grid grid(List<double[]> axes, int missing, long seed) {
        Random r = new Random(seed);
        int n = 1;
        for (double[] a : axes) {
            n *= a.length;
        }
        double[] values = new double[n];
        boolean[] observed = new boolean[n];
        java.util.Arrays.fill(observed, true);
        for (int c = 0; c < n; c++) {
            int rest = c;
            double s = 0;
            for (int d = axes.size() - 1; d >= 0; d--) {
                s += Math.sin((d + 1) * axes.get(d)[rest % axes.get(d).length]);
                rest /= axes.get(d).length;
            }
            values[c] = s + 0.1 * r.nextGaussian();
        }
        for (int k = 0; k < missing; ) {
            int c = r.nextInt(n);
            if (observed[c]) {
                observed[c] = false;
                values[c] = Double.NaN; // ignored
                k++;
            }
        }
        return new KroneckerGaussianProcess.Grid(axes, values, observed);
    }

    private static Matrix queries(int dims, long seed) {
        Random r = new Random(seed);
        Matrix q = new Matrix(6, dims);
        for (int i = 0; i < q.data().length; i++) {
            q.data()[i] = 4 * r.nextDouble() - 0.5;
        }
        return q;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7})
    void rbfProductsEqualTheDenseArdRbfGp(int missing) {
        KroneckerGaussianProcess.Grid g = grid(List.of(axis(6, 0, 0.6, 1), axis(5, -0.3, 0.8, 2)), missing, 3);
        double noise = 0.04;
        KroneckerGaussianProcess kron = KroneckerGaussianProcess.builder(List.of(KernelSpec.parse("2*rbf(length=0.7)"),
                KernelSpec.parse("rbf(length=1.3)"))).noise(noise).build();
        Matrix x = g.observedPoints();
        Matrix y = g.observedValues();
        assertEquals(30 - missing, x.rows());
        GaussianProcess dense = GaussianProcess.builder(KernelSpec.parse("2*rbf(length=[0.7, 1.3])")).noise(noise).build();
        double expected = dense.evidence(x, y).value();
        HyperparameterSearch.Evidence e = kron.evidence(g);
        assertEquals(expected, e.value(), 1e-9 * Math.abs(expected));
        double[] dg = GaussianProcess.builder(KernelSpec.parse("2*rbf(length=[0.7, 1.3]) + white(noise=0.04)")).noise(0)
                .build().evidence(x, y).gradient(); // scale, length[0], length[1], noise
        assertEquals(4, e.gradient().length);
        for (int j = 0; j < 4; j++) {
            assertEquals(dg[j], e.gradient()[j], 1e-7 * (1 + Math.abs(dg[j])), "parameter " + j);
        }
        Matrix q = queries(2, 4);
        q.set(0, 0, g.axes().get(0)[2]);
        q.set(0, 1, g.axes().get(1)[1]);
        GaussianProcessModel dm = dense.fit(x, y);
        KroneckerGaussianProcessModel km = kron.fit(g);
        assertEquals(0, km.predict(q).maxAbsDifference(dm.predict(q)), 1e-9);
        assertEquals(0, km.predictiveVariance(q).maxAbsDifference(dm.predictiveVariance(q)), 1e-9);
        assertEquals(expected, km.logMarginalLikelihood(), 1e-9 * Math.abs(expected));
        // fit(x, y) finds the same grid from scattered rows in any order
        int[] reversed = new int[x.rows()];
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = x.rows() - 1 - i;
        }
        KroneckerGaussianProcessModel fromPoints = kron.fit(x.selectRows(reversed), y.selectRows(reversed));
        assertEquals(0, fromPoints.predict(q).maxAbsDifference(dm.predict(q)), 1e-9);
    }

    /** Dense log p(y_O) and predictions for k(x, z) = Π_d k_d(x_d, z_d), built entry by entry. */
    private static double[] denseProduct(List<Kernel> ks, double noise, Matrix x, Matrix y, double[] query) {
        int n = x.rows();
        Matrix a = new Matrix(n, n);
        Matrix cross = new Matrix(1, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double p = 1;
                for (int d = 0; d < ks.size(); d++) {
                    p *= ks.get(d).value(new double[] {x.get(i, d)}, new double[] {x.get(j, d)});
                }
                a.set(i, j, p + (i == j ? noise : 0));
            }
            double p = 1;
            for (int d = 0; d < ks.size(); d++) {
                p *= ks.get(d).value(new double[] {query[d]}, new double[] {x.get(i, d)});
            }
            cross.set(0, i, p);
        }
        try (Cholesky c = Cholesky.factor(a, "test")) {
            Matrix alpha = c.solve(y);
            double fit = 0;
            for (int i = 0; i < n; i++) {
                fit += y.get(i, 0) * alpha.get(i, 0);
            }
            double lml = -0.5 * fit - 0.5 * c.logDeterminant() - 0.5 * n * Math.log(2 * Math.PI);
            Matrix v = c.solveLower(cross.transpose());
            double prior = 1;
            for (int d = 0; d < ks.size(); d++) {
                prior *= ks.get(d).value(new double[] {query[d]}, new double[] {query[d]});
            }
            double q = 0;
            for (int i = 0; i < n; i++) {
                q += v.get(i, 0) * v.get(i, 0);
            }
            return new double[] {lml, cross.times(alpha).get(0, 0), prior - q};
        }
    }

    @Test
    void threeAxesOfOtherKernelsWithMissingCellsEqualTheDenseProduct() {
        List<Kernel> ks = List.of(KernelSpec.parse("1.5*matern(nu=0.5, length=2)"),
                KernelSpec.parse("periodic(length=1, period=2.5)"), KernelSpec.parse("matern(nu=2.5, length=0.9)"));
        KroneckerGaussianProcess.Grid g = grid(List.of(axis(4, 0, 0.7, 5), axis(5, 1, 0.5, 6), axis(3, -1, 1, 7)), 9, 8);
        KroneckerGaussianProcess kron = KroneckerGaussianProcess.builder(ks).noise(0.02).build();
        double[] query = {1.1, 2.05, -0.2};
        double[] ref = denseProduct(ks, 0.02, g.observedPoints(), g.observedValues(), query);
        HyperparameterSearch.Evidence e = kron.evidence(g);
        assertEquals(ref[0], e.value(), 1e-9 * Math.abs(ref[0]));
        KroneckerGaussianProcessModel m = kron.fit(g);
        Matrix q = Matrix.wrap(1, 3, query.clone());
        assertEquals(ref[1], m.predict(q).get(0, 0), 1e-9);
        assertEquals(ref[2], m.predictiveVariance(q).get(0, 0), 1e-9);
        // the gradient against central differences of the evidence in log θ
        double[] theta = kron.hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray();
        assertEquals(6, theta.length); // scale, length; length, period; length; noise
        double h = 1e-5;
        for (int j = 0; j < theta.length; j++) {
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[j] *= Math.exp(h);
            down[j] *= Math.exp(-h);
            double fd = (at(kron, up).evidence(g).value() - at(kron, down).evidence(g).value()) / (2 * h);
            assertEquals(fd, e.gradient()[j], 1e-6 * (1 + Math.abs(fd)), kron.hyperparameters().get(j).name());
        }
    }

    private static KroneckerGaussianProcess at(KroneckerGaussianProcess k, double[] theta) {
        return KroneckerGaussianProcess.builder(k.kernelsOf(theta)).noise(theta[theta.length - 1]).build();
    }

    @Test
    void normalizedTargetsAndLearningFollowTheDenseGp() {
        KroneckerGaussianProcess.Grid g = grid(List.of(axis(5, 0, 0.5, 9), axis(4, 0, 0.9, 10)), 3, 11);
        Matrix x = g.observedPoints();
        Matrix y = g.observedValues();
        for (int i = 0; i < y.rows(); i++) {
            y.set(i, 0, 10 + 3 * y.get(i, 0));
        }
        double[] shifted = g.values().clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = 10 + 3 * shifted[i];
        }
        KroneckerGaussianProcess.Grid g2 = new KroneckerGaussianProcess.Grid(g.axes(), shifted, g.observed());
        KroneckerGaussianProcessModel m = KroneckerGaussianProcess.builder(List.of(KernelSpec.parse("rbf(length=1)"),
                KernelSpec.parse("rbf(length=1)"))).noise(0.3).normalizeTargets(true)
                .optimize(HyperparameterSearch.builder().build()).build().fit(g2);
        double[] theta = m.search().hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray();
        assertTrue(theta[0] != 1 && theta[1] != 1 && theta[2] != 0.3, "the search moved every parameter");
        // at the learned values the dense GP (normalizing alike) agrees and its gradient vanishes
        HyperparameterSearch.Evidence dense = GaussianProcess.builder(KernelSpec.parse("rbf(length=["
                + theta[0] + ", " + theta[1] + "]) + white(noise=" + theta[2] + ")")).noise(0).normalizeTargets(true)
                .build().evidence(x, y);
        assertEquals(dense.value(), m.logMarginalLikelihood(), 1e-9 * Math.abs(dense.value()));
        for (double d : dense.gradient()) {
            assertEquals(0, d, 1e-3);
        }
        GaussianProcessModel dm = GaussianProcess.builder(KernelSpec.parse("rbf(length=[" + theta[0] + ", " + theta[1]
                + "])")).noise(theta[2]).normalizeTargets(true).build().fit(x, y);
        Matrix q = queries(2, 12);
        assertEquals(0, m.predict(q).maxAbsDifference(dm.predict(q)), 1e-8);
        assertEquals(0, m.predictiveVariance(q).maxAbsDifference(dm.predictiveVariance(q)), 1e-8);
    }

    @Test
    void badInputsAreRefusedWithOneClearMessage() {
        KroneckerGaussianProcess kron = KroneckerGaussianProcess.builder(List.of(KernelSpec.parse("rbf(length=1)"),
                KernelSpec.parse("rbf(length=1)"))).noise(0.1).maxMissing(2).build();
        Matrix x = Matrix.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {0, 1}});
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> kron.fit(x, Matrix.column(1.0, 2, 3, 4)));
        assertTrue(e.getMessage().contains("row 4 repeats the grid point"), e.getMessage());
        Matrix sparse = Matrix.of(new double[][] {{0, 0}, {1, 1}, {2, 2}});
        e = assertThrows(Kernels4jException.class, () -> kron.fit(sparse, Matrix.column(1.0, 2, 3)));
        assertTrue(e.getMessage().contains("6 missing cells of 9") && e.getMessage().contains("at most 2"),
                e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> kron.fit(Matrix.of(new double[][] {{0, 0, 1}}),
                Matrix.column(1.0)));
        assertTrue(e.getMessage().contains("3 axes but 2 axis kernels"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KroneckerGaussianProcess.builder(List.of(
                KernelSpec.parse("rbf(length=1)"))).noise(0).build());
        assertTrue(e.getMessage().contains("noise variance > 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new KroneckerGaussianProcess.Grid(List.of(new double[] {0, 1, 1}),
                new double[3], new boolean[] {true, true, true}));
        assertTrue(e.getMessage().contains("repeated or non-finite coordinate 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new KroneckerGaussianProcess.Grid(List.of(new double[] {0, 1}),
                new double[3], new boolean[2]));
        assertTrue(e.getMessage().contains("a grid of 2 cells needs that many values"), e.getMessage());
    }
}
