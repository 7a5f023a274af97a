package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.gram.GramEngine;

class KernelTest {

    /** Every kernel type, plus composites, written as specs. */
    static Stream<String> specs() {
        return Stream.of("linear()", "poly(degree=3, gamma=0.5, coef0=1)", "poly(degree=2, gamma=1, coef0=0)",
                "cosine()", "rbf(gamma=0.3)", "rbf(length=1.5)", "rbf(length=[0.5, 1, 2, 4, 1.5])",
                "laplacian(gamma=0.4)", "laplacian(gamma=0.4, norm=l1)", "matern(nu=0.5, length=2)",
                "matern(nu=1.5, length=1.2)", "matern(nu=2.5, length=0.8)", "matern(nu=2.5, length=[1, 2, 1, 3, 0.5])",
                "rq(alpha=0.7, length=1.3)", "periodic(length=1.1, period=2.5)", "white(noise=0.25)",
                "constant(value=2)", "0.5*rbf(gamma=0.2) + linear()", "rbf(gamma=0.1) * periodic(length=1, period=3)",
                "2*(rbf(gamma=1) + constant(value=0.5)) + white(noise=0.01)",
                "matern(nu=1.5, length=1) * (2*linear())", "arccos(order=0, depth=2)", "arccos(order=1, depth=3)",
                "arccos(order=2, depth=1)", "nngp(depth=3, activation=relu, w_var=2, b_var=0.1)",
                "ntk(depth=10, activation=relu, w_var=2, b_var=0.05)", "ntk(depth=2, activation=leaky_relu, alpha=0.1)",
                "ntk(depth=3, activation=erf, w_var=1.5, b_var=0.2)", "nngp(depth=2, activation=sign, b_var=0.1)",
                "ntk(depth=2, activation=gelu, b_var=0.1)", "ntk(depth=2, activation=sin)",
                "ntk(depth=2, param=standard, width=100, b_var=0.1)");
    }

    /** The same formulas as the kernel classes, written out independently here. */
    static double reference(String spec, double[] x, double[] z, boolean same) {
        Kernel k = KernelSpec.parse(spec);
        return same ? k.selfValue(x) : k.value(x, z);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void blockEngineMatchesScalarFormulaForCrossAndGram(String spec) {
        Kernel k = KernelSpec.parse(spec);
        // 300 rows exceeds one 256-row tile, so tile edges and mirroring are exercised
        Matrix x = TestData.gaussian(300, 5, 0.8, 1);
        Matrix z = TestData.gaussian(270, 5, 0.8, 2);
        Matrix cross = GramEngine.cross(k, x, z);
        double maxErr = 0;
        for (int i = 0; i < x.rows(); i += 7) {
            for (int j = 0; j < z.rows(); j += 5) {
                double ref = k.value(x.row(i), z.row(j));
                maxErr = Math.max(maxErr, Math.abs(cross.get(i, j) - ref) / Math.max(1, Math.abs(ref)));
            }
        }
        assertTrue(maxErr < 1e-10, spec + ": cross error " + maxErr);
        Matrix gram = GramEngine.gram(k, x);
        maxErr = 0;
        for (int i = 0; i < x.rows(); i += 3) {
            for (int j = 0; j < x.rows(); j += 11) {
                double ref = i == j ? k.selfValue(x.row(i)) : k.value(x.row(i), x.row(j));
                maxErr = Math.max(maxErr, Math.abs(gram.get(i, j) - ref) / Math.max(1, Math.abs(ref)));
            }
            double ref = k.selfValue(x.row(i));
            maxErr = Math.max(maxErr, Math.abs(gram.get(i, i) - ref) / Math.max(1, Math.abs(ref)));
        }
        assertTrue(maxErr < 1e-10, spec + ": gram error " + maxErr);
        try (org.kernels4j.linalg.NativeMatrix offHeap = new org.kernels4j.linalg.NativeMatrix(x.rows(), x.rows())) {
            GramEngine.gram(k, x, offHeap, org.kernels4j.ProgressListener.NONE);
            // not bitwise: the Vector API's lane-wise EXP may differ by an ulp before and after JIT compilation
            assertTrue(offHeap.toMatrix().maxAbsDifference(gram) < 1e-14, spec + ": off-heap Gram differs");
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void gramIsSymmetricAndPositiveSemiDefinite(String spec) {
        Kernel k = KernelSpec.parse(spec);
        Matrix x = TestData.gaussian(280, 5, 1.0, 3);
        Matrix g = GramEngine.gram(k, x);
        double trace = 0;
        for (int i = 0; i < g.rows(); i++) {
            trace += g.get(i, i);
            for (int j = 0; j < i; j++) {
                assertEquals(g.get(i, j), g.get(j, i), 0.0, "exact symmetry");
            }
        }
        double min = SymmetricEigen.of(g).value(0);
        assertTrue(min >= -1e-10 * trace, spec + ": smallest eigenvalue " + min + ", trace " + trace);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void specRoundTrips(String spec) {
        Kernel k = KernelSpec.parse(spec);
        Kernel back = KernelSpec.parse(k.toSpec());
        assertEquals(k, back, k.toSpec());
        assertEquals(k.toSpec(), back.toSpec());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void matrixFreeProductEqualsGramTimesVector(String spec) {
        Kernel k = KernelSpec.parse(spec);
        Matrix x = TestData.gaussian(290, 5, 1.0, 4);
        Matrix z = TestData.gaussian(260, 5, 1.0, 5);
        Matrix v = TestData.gaussian(260, 2, 1.0, 6);
        Matrix expected = TestData.naiveProduct(GramEngine.cross(k, x, z), v);
        Matrix got = GramEngine.crossTimes(k, x, z, v, org.kernels4j.ProgressListener.NONE);
        assertTrue(got.maxAbsDifference(expected) < 1e-9 * Math.max(1, maxAbs(expected)), spec);
    }

    private static double maxAbs(Matrix m) {
        double s = 0;
        for (double v : m.data()) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    /** Independent closed forms for the scalar value of each family, at hand-picked points. */
    @org.junit.jupiter.api.Test
    void scalarValuesMatchHandComputedFormulas() {
        double[] x = {1, 2, 0};
        double[] z = {0, 0.5, 1};
        double dot = 1 * 0 + 2 * 0.5 + 0; // 1
        double d2 = 1 + 2.25 + 1; // 4.25
        double d = Math.sqrt(d2);
        assertEquals(dot, new LinearKernel().value(x, z), 1e-15);
        assertEquals(Math.pow(0.5 * dot + 1, 3), new PolynomialKernel(3, 0.5, 1).value(x, z), 1e-14);
        assertEquals(dot / (Math.sqrt(5) * Math.sqrt(1.25)), new CosineKernel().value(x, z), 1e-15);
        assertEquals(Math.exp(-0.3 * d2), RbfKernel.withGamma(0.3).value(x, z), 1e-15);
        assertEquals(Math.exp(-d2 / (2 * 1.5 * 1.5)), RbfKernel.withLength(1.5).value(x, z), 1e-15);
        assertEquals(Math.exp(-0.5 * (1 / 1.0 + 2.25 / 4.0 + 1 / 0.25)),
                RbfKernel.withLengths(new double[] {1, 2, 0.5}).value(x, z), 1e-15);
        assertEquals(Math.exp(-0.4 * d), new LaplacianKernel(0.4, false).value(x, z), 1e-15);
        assertEquals(Math.exp(-0.4 * 3.5), new LaplacianKernel(0.4, true).value(x, z), 1e-15);
        double r = d / 2;
        assertEquals(Math.exp(-r), new MaternKernel(0.5, 2).value(x, z), 1e-15);
        assertEquals((1 + Math.sqrt(3) * r) * Math.exp(-Math.sqrt(3) * r), new MaternKernel(1.5, 2).value(x, z), 1e-15);
        assertEquals((1 + Math.sqrt(5) * r + 5 * r * r / 3) * Math.exp(-Math.sqrt(5) * r),
                new MaternKernel(2.5, 2).value(x, z), 1e-15);
        assertEquals(Math.pow(1 + d2 / (2 * 0.7 * 1.3 * 1.3), -0.7), new RationalQuadraticKernel(0.7, 1.3).value(x, z),
                1e-15);
        double s2 = Math.pow(Math.sin(Math.PI * 1 / 2.5), 2) + Math.pow(Math.sin(Math.PI * 1.5 / 2.5), 2)
                + Math.pow(Math.sin(Math.PI * -1 / 2.5), 2);
        assertEquals(Math.exp(-2 * s2 / (1.1 * 1.1)), new PeriodicKernel(1.1, 2.5).value(x, z), 1e-15);
        assertEquals(0.0, new WhiteNoiseKernel(0.3).value(x, z));
        assertEquals(0.3, new WhiteNoiseKernel(0.3).selfValue(x));
        assertEquals(2.0, new ConstantKernel(2).value(x, z));
        assertEquals(0.0, new CosineKernel().value(new double[3], z));
    }

    @org.junit.jupiter.api.Test
    void arbitrarySizesAndEmptyInputsWork() {
        for (int n : List.of(0, 1, 255, 256, 257, 513)) {
            Matrix x = TestData.gaussian(n, 3, 1, n);
            Matrix g = GramEngine.gram(RbfKernel.withGamma(0.5), x);
            assertEquals(n, g.rows());
            for (int i = 0; i < n; i++) {
                assertEquals(1.0, g.get(i, i), 0.0);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void mismatchedFeaturesAndNaNGiveClearErrors() {
        Kernel k = RbfKernel.withGamma(1);
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.kernels4j.Kernels4jException.class,
                () -> GramEngine.cross(k, new Matrix(3, 2), new Matrix(3, 4)));
        assertTrue(e.getMessage().contains("different numbers of features: 2 and 4"), e.getMessage());
        Matrix bad = new Matrix(4, 2);
        bad.set(2, 1, Double.NaN);
        e = org.junit.jupiter.api.Assertions.assertThrows(org.kernels4j.Kernels4jException.class,
                () -> GramEngine.gram(k, bad));
        assertTrue(e.getMessage().contains("NaN value at row 2, column 1"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(org.kernels4j.Kernels4jException.class,
                () -> GramEngine.gram(KernelSpec.parse("rbf(length=[1, 2])"), new Matrix(3, 3)));
        assertTrue(e.getMessage().contains("2 per-feature length scales but the data has 3 features"), e.getMessage());
    }
}
