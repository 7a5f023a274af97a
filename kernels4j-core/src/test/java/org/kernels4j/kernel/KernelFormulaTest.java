package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;

/**
 * Kernel values against textbook formulas written out here at hand-picked distances, through the
 * scalar path and the Gram/cross tiles; the radial derivatives 2g'(s) against central differences
 * of the textbook profile; hyperparameter gradients of the base kernels and composites against
 * central differences; sums, products and scalings against element-wise combinations of their
 * parts; and spec printing/parsing round trips. Tolerances: values 1e-13 relative (double rounding
 * of a few exp/pow calls), finite differences 1e-7 relative (their own truncation error is
 * h²·g'''/6 ≈ 1e-10 at h = 1e-5), all far below the 1e-2 a planted formula error would cause.
 */
class KernelFormulaTest {
    /**
     * Four points in ℝ³ with hand-picked pairwise distances: |p0p1| = 0.5, |p0p2| = 1.2, |p0p3| = 5,
     * |p1p2| = 1.3, |p1p3| = √22.25, |p2p3| = √(9 + 7.84 + 0) and an extra third coordinate on p3 for ARD.
     */
    private static final double[][] P = {{0, 0, 0}, {0.5, 0, 0}, {0, 1.2, 0}, {3, 4, 0.7}};
    private static final Matrix X = Matrix.wrap(4, 3, flat(P));

    private static double dist(double[] a, double[] b) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            s += (a[f] - b[f]) * (a[f] - b[f]);
        }
        return Math.sqrt(s);
    }

    /** Checks value(), selfValue() and the Gram and cross tiles of k against ref(x_i, x_j). */
    private static void checkAll(Kernel k, java.util.function.BiFunction<double[], double[], Double> ref, double rel) {
        Matrix gram = GramEngine.gram(k, X);
        Matrix cross = GramEngine.cross(k, X, X.copy());
        for (int i = 0; i < P.length; i++) {
            for (int j = 0; j < P.length; j++) {
                double r = ref.apply(P[i], P[j]);
                double tol = rel * Math.max(1e-3, Math.abs(r));
                String at = k + " (" + i + ", " + j + ")";
                assertEquals(r, k.value(P[i], P[j]), tol, at + " value");
                assertEquals(r, gram.get(i, j), tol, at + " gram");
                if (i != j) {
                    assertEquals(r, cross.get(i, j), tol, at + " cross");
                } else {
                    assertEquals(r, k.selfValue(P[i]), tol, at + " self");
                }
            }
        }
    }

    /**
     * Matérn from its general definition with the modified Bessel function of the second kind,
     * k(r) = 2^{1−ν}/Γ(ν)·z^ν·K_ν(z), z = √(2ν)·r/ℓ, using the half-integer closed forms of K_ν
     * (Abramowitz &amp; Stegun 10.2.17): K_{1/2}(z) = √(π/2z)e^{−z}, K_{3/2} = K_{1/2}(1 + 1/z),
     * K_{5/2} = K_{1/2}(1 + 3/z + 3/z²); Γ(1/2) = √π, Γ(3/2) = √π/2, Γ(5/2) = 3√π/4. k(0) = 1.
     */
    private static double maternBessel(double nu, double r) {
        if (r == 0) {
            return 1;
        }
        double z = Math.sqrt(2 * nu) * r;
        double kHalf = Math.sqrt(Math.PI / (2 * z)) * Math.exp(-z);
        double bessel;
        double gamma;
        if (nu == 0.5) {
            bessel = kHalf;
            gamma = Math.sqrt(Math.PI);
        } else if (nu == 1.5) {
            bessel = kHalf * (1 + 1 / z);
            gamma = Math.sqrt(Math.PI) / 2;
        } else {
            bessel = kHalf * (1 + 3 / z + 3 / (z * z));
            gamma = 3 * Math.sqrt(Math.PI) / 4;
        }
        return Math.pow(2, 1 - nu) / gamma * Math.pow(z, nu) * bessel;
    }

    @Test
    void stationaryKernelsMatchTextbookFormulasAtHandPickedDistances() {
        checkAll(RbfKernel.withGamma(0.3), (a, b) -> Math.exp(-0.3 * dist(a, b) * dist(a, b)), 1e-13);
        checkAll(KernelSpec.parse("rbf(length=1.5)"), (a, b) -> Math.exp(-dist(a, b) * dist(a, b) / 4.5), 1e-13);
        checkAll(KernelSpec.parse("laplacian(gamma=0.4)"), (a, b) -> Math.exp(-0.4 * dist(a, b)), 1e-12);
        checkAll(KernelSpec.parse("laplacian(gamma=0.4, norm=l1)"), (a, b) -> {
            double s = 0;
            for (int f = 0; f < 3; f++) {
                s += Math.abs(a[f] - b[f]);
            }
            return Math.exp(-0.4 * s);
        }, 1e-12);
        for (double nu : new double[] {0.5, 1.5, 2.5}) {
            checkAll(new MaternKernel(nu, 1.7), (a, b) -> maternBessel(nu, dist(a, b) / 1.7), 1e-12);
            // ARD: r² = Σ (d_f/ℓ_f)²
            double[] l = {0.8, 1.9, 0.4};
            checkAll(new MaternKernel(nu, l), (a, b) -> {
                double s = 0;
                for (int f = 0; f < 3; f++) {
                    s += Math.pow((a[f] - b[f]) / l[f], 2);
                }
                return maternBessel(nu, Math.sqrt(s));
            }, 1e-12);
        }
        double[] l = {0.8, 1.9, 0.4};
        checkAll(RbfKernel.withLengths(l), (a, b) -> {
            double s = 0;
            for (int f = 0; f < 3; f++) {
                s += Math.pow((a[f] - b[f]) / l[f], 2);
            }
            return Math.exp(-0.5 * s);
        }, 1e-13);
        checkAll(new RationalQuadraticKernel(0.7, 1.3),
                (a, b) -> Math.pow(1 + dist(a, b) * dist(a, b) / (2 * 0.7 * 1.3 * 1.3), -0.7), 1e-13);
        // RQ tends to the RBF of the same length as α → ∞: (1 + r²/2αℓ²)^−α = exp(−r²/2ℓ²)(1 + O(r⁴/α))
        Kernel rq = new RationalQuadraticKernel(1e7, 1.3);
        Kernel rbf = RbfKernel.withLength(1.3);
        for (double[] p : P) {
            assertEquals(rbf.value(P[1], p), rq.value(P[1], p), 1e-6);
        }
        // periodic as the class documents it: exp(−2 Σ_f sin²(π(x_f − z_f)/p)/ℓ²)
        checkAll(new PeriodicKernel(1.1, 2.5), (a, b) -> {
            double s = 0;
            for (int f = 0; f < 3; f++) {
                s += Math.pow(Math.sin(Math.PI * (a[f] - b[f]) / 2.5), 2);
            }
            return Math.exp(-2 * s / (1.1 * 1.1));
        }, 1e-12);
        // and at hand-picked 1-D separations: a whole period → 1, half → e^{−2/ℓ²}, a quarter → e^{−1/ℓ²},
        // a sixth → sin²(π/6) = 1/4 → e^{−1/(2ℓ²)}
        PeriodicKernel per = new PeriodicKernel(1.1, 2.5);
        double l2 = 1.21;
        double[] o = {0.3};
        assertEquals(1.0, per.value(o, new double[] {0.3 + 2.5}), 1e-14);
        assertEquals(Math.exp(-2 / l2), per.value(o, new double[] {0.3 + 1.25}), 1e-14);
        assertEquals(Math.exp(-1 / l2), per.value(o, new double[] {0.3 - 0.625}), 1e-14);
        assertEquals(Math.exp(-0.5 / l2), per.value(o, new double[] {0.3 + 2.5 / 6}), 1e-14);
        Matrix line = Matrix.wrap(3, 1, new double[] {0.3, 0.3 + 1.25, 0.3 + 2.5});
        Matrix g = GramEngine.gram(per, line);
        assertEquals(Math.exp(-2 / l2), g.get(0, 1), 1e-14);
        assertEquals(1.0, g.get(0, 2), 1e-13);
        assertEquals(1.0, g.get(1, 1), 0.0);
    }

    @Test
    void dotProductKernelsMatchTheirFormulas() {
        checkAll(new LinearKernel(), (a, b) -> a[0] * b[0] + a[1] * b[1] + a[2] * b[2], 1e-14);
        checkAll(new PolynomialKernel(3, 0.5, 1.2), (a, b) -> Math.pow(0.5 * (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) + 1.2,
                3), 1e-13);
        checkAll(new PolynomialKernel(2, 1.5, 0), (a, b) -> Math.pow(1.5 * (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]), 2),
                1e-13);
        checkAll(new ConstantKernel(2.5), (a, b) -> 2.5, 0);
        // white noise: noise on the same sample, 0 elsewhere (value(x, x) of two samples is 0)
        Kernel white = new WhiteNoiseKernel(0.3);
        Matrix g = GramEngine.gram(white, X);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 0.3 : 0.0, g.get(i, j), 0.0);
            }
            assertEquals(0.3, white.selfValue(P[i]));
            assertEquals(0.0, white.value(P[i], P[i]));
        }
        Matrix c = GramEngine.cross(white, X, X.copy());
        assertEquals(0.0, c.get(1, 1));
        // cosine: ⟨x, z⟩/(‖x‖‖z‖), and 0 with a zero vector
        Kernel cos = new CosineKernel();
        Matrix y = Matrix.wrap(3, 2, new double[] {3, 4, -4, 3, 1, 1});
        Matrix gc = GramEngine.gram(cos, y);
        assertEquals(0.0, gc.get(0, 1), 1e-15);
        assertEquals(7 / (5 * Math.sqrt(2)), gc.get(0, 2), 1e-15);
        assertEquals(1.0, gc.get(2, 2), 1e-15);
        assertEquals(-1 / (5 * Math.sqrt(2)), cos.value(new double[] {-4, 3}, new double[] {1, 1}), 1e-15);
        checkAll(cos, (a, b) -> {
            double na = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
            double nb = Math.sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
            return na == 0 || nb == 0 ? 0 : (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (na * nb);
        }, 1e-14);
    }

    /**
     * 2g'(s) for g the kernel's profile in the (scaled) squared distance s, from a central difference
     * of the textbook profile written here (step 1e-6·s: truncation ≈ 1e-12·g''', rounding ≈ 1e-10,
     * so 1e-7 relative), on a tile; a positive multiple scales it.
     */
    @Test
    void radialDerivativesMatchCentralDifferencesOfTheProfile() {
        double[] l = {0.8, 1.9, 0.4};
        Object[][] cases = {{RbfKernel.withGamma(0.3), null, (DoubleUnaryOperator) s -> Math.exp(-0.3 * s)},
            {RbfKernel.withLength(1.5), null, (DoubleUnaryOperator) s -> Math.exp(-s / 4.5)},
            {RbfKernel.withLengths(l), l, (DoubleUnaryOperator) s -> Math.exp(-0.5 * s)},
            {new MaternKernel(0.5, 1.7), null, (DoubleUnaryOperator) s -> maternBessel(0.5, Math.sqrt(s) / 1.7)},
            {new MaternKernel(1.5, 1.7), null, (DoubleUnaryOperator) s -> maternBessel(1.5, Math.sqrt(s) / 1.7)},
            {new MaternKernel(2.5, 1.7), null, (DoubleUnaryOperator) s -> maternBessel(2.5, Math.sqrt(s) / 1.7)},
            {new MaternKernel(2.5, l), l, (DoubleUnaryOperator) s -> maternBessel(2.5, Math.sqrt(s))},
            {new MaternKernel(1.5, l), l, (DoubleUnaryOperator) s -> maternBessel(1.5, Math.sqrt(s))},
            {new RationalQuadraticKernel(0.7, 1.3), null,
                (DoubleUnaryOperator) s -> Math.pow(1 + s / (2 * 0.7 * 1.69), -0.7)}};
        for (Object[] c : cases) {
            for (double scale : new double[] {1, 2.5}) {
                Kernel k = scale == 1 ? (Kernel) c[0] : ((Kernel) c[0]).scaled(scale);
                double[] scales = (double[]) c[1];
                DoubleUnaryOperator g = (DoubleUnaryOperator) c[2];
                assertTrue(StationaryKernel.supports(k), k.toString());
                double[] out = new double[16];
                double[][] got;
                try (GramInputs in = new GramInputs(X, X.columnMeans())) {
                    GramBlock block = new GramBlock(in, in, true, 16);
                    try {
                        block.moveTo(0, 4, 0, 4);
                        got = StationaryKernel.radialDerivative(k, block, out);
                    } finally {
                        block.release();
                    }
                }
                assertEquals(1, got.length);
                assertTrue(java.util.Arrays.equals(scales, got[0]), k + ": distance scales");
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        if (i == j) {
                            continue; // s = 0: Matérn 1/2 is not differentiable there
                        }
                        double s = 0;
                        for (int f = 0; f < 3; f++) {
                            double t = (P[i][f] - P[j][f]) / (scales == null ? 1 : scales[f]);
                            s += t * t;
                        }
                        double h = 1e-6 * s;
                        double ref = scale * 2 * (g.applyAsDouble(s + h) - g.applyAsDouble(s - h)) / (2 * h);
                        assertEquals(ref, out[i * 4 + j], 1e-7 * Math.abs(ref) + 1e-15, k + " at (" + i + ", " + j + ")");
                    }
                }
            }
        }
        assertTrue(!StationaryKernel.supports(new LinearKernel()));
        assertTrue(!StationaryKernel.supports(new LinearKernel().scaled(2)));
        try (GramInputs in = new GramInputs(X, X.columnMeans())) {
            GramBlock block = new GramBlock(in, in, true, 16);
            try {
                block.moveTo(0, 4, 0, 4);
                assertEquals(null, StationaryKernel.radialDerivative(new LinearKernel().scaled(2), block, new double[16]));
            } finally {
                block.release();
            }
        }
    }

    /** The hyperparameter gradient contract on a small set (n = 6) with composites, step 1e-5 in log θ. */
    @Test
    void hyperparameterGradientsMatchCentralDifferences() {
        Matrix x = TestData.gaussian(6, 3, 0.9, 55);
        for (String spec : List.of("rbf(gamma=0.3)", "rbf(length=[0.8, 1.9, 0.4])", "laplacian(gamma=0.4)",
                "laplacian(gamma=0.4, norm=l1)", "matern(nu=0.5, length=1.7)", "matern(nu=1.5, length=1.7)",
                "matern(nu=2.5, length=1.7)", "matern(nu=1.5, length=[0.8, 1.9, 0.4])",
                "matern(nu=0.5, length=[0.8, 1.9, 0.4])", "matern(nu=2.5, length=[0.8, 1.9, 0.4])",
                "rq(alpha=0.7, length=1.3)", "periodic(length=1.1, period=2.5)",
                "poly(degree=3, gamma=0.5, coef0=1.2)", "constant(value=2.5)", "white(noise=0.3)",
                "2.5*rbf(gamma=0.3)", "rbf(gamma=0.3) + 0.7*matern(nu=2.5, length=1.2) + white(noise=0.1)",
                "rbf(gamma=0.3) * periodic(length=1.1, period=2.5) * constant(value=1.5)",
                "1.5*(rq(alpha=2, length=0.9) + linear()) * poly(degree=2, gamma=0.4, coef0=1)")) {
            Kernel k = KernelSpec.parse(spec);
            double[] theta = k.hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray();
            Matrix[] analytic = GramEngine.gramGradients(k, x);
            assertEquals(theta.length, analytic.length, spec);
            double h = 1e-5;
            for (int p = 0; p < theta.length; p++) {
                double[] check = GradientCheck.logGradientError(k, x, theta, p, analytic[p], h);
                double worst = check[0];
                double scale = check[1];
                String what = spec + " " + k.hyperparameters().get(p).name();
                assertTrue(scale > 1e-3, what + " has a vanishing derivative");
                assertTrue(worst <= 1e-7 * scale, what + ": error " + worst + " of " + scale);
            }
        }
        // exact closed forms: ∂(c·k)/∂log c = c·k; ∂ constant/∂log v = v; ∂ white/∂log σ² = σ² on the diagonal
        Kernel scaled = KernelSpec.parse("2.5*rbf(gamma=0.3)");
        Matrix[] gs = GramEngine.gramGradients(scaled, x);
        Matrix gram = GramEngine.gram(scaled, x);
        assertTrue(gs[0].maxAbsDifference(gram) < 1e-15);
        Matrix[] gc = GramEngine.gramGradients(new ConstantKernel(2.5), x);
        Matrix[] gw = GramEngine.gramGradients(new WhiteNoiseKernel(0.3), x);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(2.5, gc[0].get(i, j), 1e-15);
                assertEquals(i == j ? 0.3 : 0.0, gw[0].get(i, j), 1e-15);
            }
        }
        // zero constant / noise: no hyperparameter, withHyperparameters of nothing gives the same kernel
        assertEquals(0, new ConstantKernel(0).hyperparameters().size());
        assertEquals(new ConstantKernel(0), new ConstantKernel(0).withHyperparameters(new double[0]));
        assertEquals(0, new WhiteNoiseKernel(0).hyperparameters().size());
        assertEquals(new WhiteNoiseKernel(0), new WhiteNoiseKernel(0).withHyperparameters(new double[0]));
        assertEquals(new ConstantKernel(4), new ConstantKernel(2).withHyperparameters(new double[] {4}));
        assertEquals(new WhiteNoiseKernel(4), new WhiteNoiseKernel(2).withHyperparameters(new double[] {4}));
    }

    @Test
    void compositesAreElementWiseCombinationsOfTheirParts() {
        Matrix x = TestData.gaussian(9, 3, 1, 56);
        Matrix z = TestData.gaussian(5, 3, 1, 57);
        Kernel a = RbfKernel.withGamma(0.4);
        Kernel b = new PolynomialKernel(2, 0.5, 1);
        Kernel w = new WhiteNoiseKernel(0.2);
        Kernel c = new MaternKernel(1.5, 1.3);
        Matrix ga = GramEngine.gram(a, x);
        Matrix gb = GramEngine.gram(b, x);
        Matrix gw = GramEngine.gram(w, x);
        Matrix gcm = GramEngine.gram(c, x);
        Matrix xa = GramEngine.cross(a, x, z);
        Matrix xb = GramEngine.cross(b, x, z);
        Matrix xc = GramEngine.cross(c, x, z);
        Kernel sum = a.plus(b).plus(w);
        Kernel product = new ProductKernel(List.of(a, b, c));
        Kernel scaled = a.plus(b).scaled(1.7);
        Kernel nested = new ProductKernel(List.of(new SumKernel(List.of(a, w)), c.scaled(0.6)));
        Matrix gs = GramEngine.gram(sum, x);
        Matrix gp = GramEngine.gram(product, x);
        Matrix gsc = GramEngine.gram(scaled, x);
        Matrix gn = GramEngine.gram(nested, x);
        Matrix xs = GramEngine.cross(sum, x, z);
        Matrix xp = GramEngine.cross(product, x, z);
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                double s = ga.get(i, j) + gb.get(i, j) + gw.get(i, j);
                assertEquals(s, gs.get(i, j), 1e-14 * Math.abs(s), "sum");
                double p = ga.get(i, j) * gb.get(i, j) * gcm.get(i, j);
                assertEquals(p, gp.get(i, j), 1e-14 * Math.abs(p), "product");
                double sc = 1.7 * (ga.get(i, j) + gb.get(i, j));
                assertEquals(sc, gsc.get(i, j), 1e-14 * Math.abs(sc), "scaled");
                double n = (ga.get(i, j) + gw.get(i, j)) * 0.6 * gcm.get(i, j);
                assertEquals(n, gn.get(i, j), 1e-14 * Math.abs(n), "nested");
                assertEquals(n, i == j ? nested.selfValue(x.row(i)) : nested.value(x.row(i), x.row(j)),
                        1e-14 * Math.abs(n), "nested scalar");
                assertEquals(s, i == j ? sum.selfValue(x.row(i)) : sum.value(x.row(i), x.row(j)), 1e-14 * Math.abs(s));
                assertEquals(p, i == j ? product.selfValue(x.row(i)) : product.value(x.row(i), x.row(j)),
                        1e-14 * Math.abs(p));
                assertEquals(sc, i == j ? scaled.selfValue(x.row(i)) : scaled.value(x.row(i), x.row(j)),
                        1e-14 * Math.abs(sc));
            }
            for (int j = 0; j < 5; j++) {
                // cross: white noise contributes nothing between different samples
                double s = xa.get(i, j) + xb.get(i, j);
                assertEquals(s, xs.get(i, j), 1e-14 * Math.abs(s), "sum cross");
                double p = xa.get(i, j) * xb.get(i, j) * xc.get(i, j);
                assertEquals(p, xp.get(i, j), 1e-14 * Math.abs(p), "product cross");
            }
        }
        // hyperparameters are the parts' in order, and withHyperparameters slices them back
        Kernel mixed = new SumKernel(List.of(RbfKernel.withGamma(0.4), new ConstantKernel(0), new MaternKernel(2.5, 1.3),
                new PeriodicKernel(1.1, 2.5)));
        assertEquals(List.of("rbf.gamma", "matern.length", "periodic.length", "periodic.period"),
                mixed.hyperparameters().stream().map(Hyperparameter::name).toList());
        assertEquals(new SumKernel(List.of(RbfKernel.withGamma(1), new ConstantKernel(0), new MaternKernel(2.5, 2),
                new PeriodicKernel(3, 4))), mixed.withHyperparameters(new double[] {1, 2, 3, 4}));
        Kernel prod = new ProductKernel(List.of(new PeriodicKernel(1.1, 2.5), RbfKernel.withGamma(0.4)));
        assertEquals(new ProductKernel(List.of(new PeriodicKernel(3, 4), RbfKernel.withGamma(1))),
                prod.withHyperparameters(new double[] {3, 4, 1}));
        assertThrows(Kernels4jException.class, () -> prod.withHyperparameters(new double[] {3, 4}));
        assertThrows(Kernels4jException.class, () -> mixed.withHyperparameters(new double[] {1, 2, 3, 4, 5}));
        Kernel sc = RbfKernel.withGamma(0.4).scaled(2);
        assertEquals(List.of(2.0, 0.4), sc.hyperparameters().stream().map(Hyperparameter::value).toList());
        assertEquals(new ScaledKernel(3, RbfKernel.withGamma(5)), sc.withHyperparameters(new double[] {3, 5}));
        assertEquals(2.0, ((ScaledKernel) sc).scale());
        assertEquals(RbfKernel.withGamma(0.4), ((ScaledKernel) sc).kernel());
        assertThrows(Kernels4jException.class, () -> new ScaledKernel(0, new LinearKernel()));
        assertThrows(Kernels4jException.class, () -> new ScaledKernel(-1, new LinearKernel()));
    }

    @Test
    void specsPrintAndParseBack() {
        String[][] printed = {{"0.5*rbf(gamma=0.1)+linear()*2", "0.5*rbf(gamma=0.1) + 2*linear()"},
            {"2*(rbf(gamma=1) + linear())", "2*(rbf(gamma=1) + linear())"},
            {"(rbf(gamma=1) + linear()) * cosine()", "(rbf(gamma=1) + linear()) * cosine()"},
            {"(2*rbf(gamma=1)) * cosine()", "(2*rbf(gamma=1)) * cosine()"},
            {"rbf(gamma=1)*cosine()", "rbf(gamma=1) * cosine()"},
            {"matern(nu=2.5, length=[1, 2.5, 0.125])", "matern(nu=2.5, length=[1, 2.5, 0.125])"},
            {"rbf(gamma=1e-6)", "rbf(gamma=1e-6)"}, {"rbf(gamma=2.5e20)", "rbf(gamma=2.5e20)"},
            {"EXPONENTIAL(gamma=2)", "laplacian(gamma=2)"}, {"exp_sine_squared(period=3)", "periodic(length=1, period=3)"},
            {"1.5 + linear()", "constant(value=1.5) + linear()"}};
        for (String[] p : printed) {
            Kernel k = KernelSpec.parse(p[0]);
            String spec = k.toSpec();
            assertEquals(p[1], spec, p[0]);
            assertEquals(k, KernelSpec.parse(spec), spec);
            assertEquals(spec, KernelSpec.parse(spec).toSpec());
            assertEquals(spec, k.toString());
        }
        assertEquals("2*(rbf(gamma=1) + linear())", KernelSpec.parse("2*(rbf(gamma=1) + linear())").toSpec());
        assertEquals("0.5*rbf(gamma=0.1) + 2*linear()", KernelSpec.parse("0.5*rbf(gamma=0.1)+linear()*2").toSpec());
        // numbers print as the shortest text that parses back exactly
        assertEquals("2", Specs.num(2));
        assertEquals("-3", Specs.num(-3));
        assertEquals("0.1", Specs.num(0.1));
        assertEquals("1e-6", Specs.num(1e-6));
        assertEquals("2.5e20", Specs.num(2.5e20));
        assertEquals("1e15", Specs.num(1e15));
        assertEquals("123456789012345", Specs.num(123456789012345.0));
        assertEquals("[1, 0.5, 1e-7]", Specs.nums(new double[] {1, 0.5, 1e-7}));
        assertEquals("[]", Specs.nums(new double[0]));
        for (double v : new double[] {Math.PI, 1.0 / 3, 6.02214076e23, 1e-300, 0.1 + 0.2}) {
            assertEquals(v, Double.parseDouble(Specs.num(v)), 0.0);
        }
        // equality follows every parameter
        assertNotEquals(new MaternKernel(1.5, 1.3), new MaternKernel(2.5, 1.3));
        assertNotEquals(new MaternKernel(1.5, 1.3), new MaternKernel(1.5, 1.4));
        assertNotEquals(new MaternKernel(1.5, new double[] {1, 2}), new MaternKernel(1.5, new double[] {1, 3}));
        assertEquals(new MaternKernel(1.5, new double[] {1, 2}), new MaternKernel(1.5, new double[] {1, 2}));
        assertEquals(new MaternKernel(1.5, new double[] {1, 2}).hashCode(),
                new MaternKernel(1.5, new double[] {1, 2}).hashCode());
        assertEquals(new MaternKernel(1.5, 2), new MaternKernel(1.5, new double[] {2}));
        assertNotEquals(new RationalQuadraticKernel(1, 2), new RationalQuadraticKernel(1, 3));
        assertNotEquals(new RationalQuadraticKernel(1, 2), new RationalQuadraticKernel(2, 2));
        assertNotEquals(new PeriodicKernel(1, 2), new PeriodicKernel(1, 3));
        assertNotEquals(new PeriodicKernel(1, 2), new PeriodicKernel(2, 2));
        assertNotEquals(new ScaledKernel(2, new LinearKernel()), new ScaledKernel(3, new LinearKernel()));
        assertNotEquals(new ScaledKernel(2, new LinearKernel()), new ScaledKernel(2, new CosineKernel()));
        assertNotEquals(new ProductKernel(List.of(new LinearKernel(), new CosineKernel())),
                new SumKernel(List.of(new LinearKernel(), new CosineKernel())));
        assertEquals(new ConstantKernel(2).hashCode(), new ConstantKernel(2).hashCode());
        assertNotEquals(new ConstantKernel(2), new ConstantKernel(3));
        assertNotEquals(new WhiteNoiseKernel(2), new WhiteNoiseKernel(3));
        MaternKernel ard = new MaternKernel(2.5, new double[] {1, 2});
        assertEquals(2.5, ard.nu());
        assertEquals(1.0, ard.length());
        assertTrue(java.util.Arrays.equals(new double[] {1, 2}, ard.lengthScales()));
        assertEquals(null, new MaternKernel(2.5, 3).lengthScales());
        assertEquals(3.0, new MaternKernel(2.5, 3).length());
    }

    /** withHyperparameters refuses a wrong count; equals tells kernels apart; toString is the spec. */
    @Test
    void hyperparameterCountsEqualityAndPrinting() {
        Kernel[] ks = {RbfKernel.withGamma(0.3), new MaternKernel(2.5, 1.2), new RationalQuadraticKernel(0.7, 1.3),
            new PeriodicKernel(1.1, 2.5), new LaplacianKernel(0.4, false), new PolynomialKernel(3, 0.5, 1.2)};
        for (Kernel k : ks) {
            int n = k.hyperparameters().size();
            assertThrows(Kernels4jException.class, () -> k.withHyperparameters(new double[n + 1]), k.toString());
            double[] v = new double[n];
            java.util.Arrays.fill(v, 0.9);
            assertEquals(k.getClass(), k.withHyperparameters(v).getClass());
            assertEquals(k.toSpec(), k.toString());
            for (Kernel other : ks) {
                assertEquals(k == other, k.equals(other), k + " vs " + other);
            }
        }
        assertNotEquals(RbfKernel.withGamma(0.3), RbfKernel.withGamma(0.4));
        assertNotEquals(new LaplacianKernel(0.4, false), new LaplacianKernel(0.4, true));
        assertNotEquals(new LaplacianKernel(0.4, false), new LaplacianKernel(0.5, false));
        assertNotEquals(new PolynomialKernel(3, 0.5, 1.2), new PolynomialKernel(2, 0.5, 1.2));
        assertNotEquals(new PolynomialKernel(3, 0.5, 1.2), new PolynomialKernel(3, 0.6, 1.2));
        assertNotEquals(new PolynomialKernel(3, 0.5, 1.2), new PolynomialKernel(3, 0.5, 1.3));
        // periodic: different lengths of the two points are refused
        assertThrows(Kernels4jException.class, () -> new PeriodicKernel(1, 2).value(new double[2], new double[3]));
    }

    private static double[] flat(double[][] rows) {
        double[] out = new double[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        }
        return out;
    }
}
