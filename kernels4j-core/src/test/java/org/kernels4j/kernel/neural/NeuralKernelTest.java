package org.kernels4j.kernel.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SpecialFunctions;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.Specs;

class NeuralKernelTest {

    @Test
    void erfAndNormalCdfMatchTabulatedValues() {
        // Abramowitz & Stegun table 7.1 / standard tables
        assertEquals(0.5204998778130465, SpecialFunctions.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, SpecialFunctions.erf(1.0), 1e-15);
        assertEquals(0.9953222650189527, SpecialFunctions.erf(2.0), 1e-15);
        assertEquals(-0.8427007929497149, SpecialFunctions.erf(-1.0), 1e-15);
        assertEquals(2.209049699858544e-05, SpecialFunctions.erfc(3.0), 1e-18);
        assertEquals(0.9750021048517795, SpecialFunctions.normalCdf(1.96), 1e-14);
    }

    @Test
    void expressionActivationsMatchBuiltInsAndClosedForms() {
        Matrix x = TestData.gaussian(12, 3, 1, 41);
        // the same function written as an expression gives the built-in numerical activation's values
        for (String kind : List.of("nngp", "ntk")) {
            Matrix builtIn = GramEngine.gram(KernelSpec.parse(kind + "(depth=2, activation=tanh, w_var=1.5, b_var=0.1)"), x);
            Matrix expr = GramEngine.gram(KernelSpec.parse(kind + "(depth=2, activation=\"tanh(x)\", w_var=1.5, b_var=0.1)"),
                    x);
            assertTrue(expr.maxAbsDifference(builtIn) < 1e-12, kind + " " + expr.maxAbsDifference(builtIn));
        }
        // φ = x²: E[u²v²] = q11·q22 + 2·q12², which 32-point Gauss–Hermite integrates exactly
        NeuralKernel sq = (NeuralKernel) KernelSpec.parse("nngp(depth=1, activation=\"x^2\", w_var=2, b_var=0.3)");
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) {
                double q11 = 2 * dot(x, i, i) / 3 + 0.3;
                double q22 = 2 * dot(x, j, j) / 3 + 0.3;
                double q12 = 2 * dot(x, i, j) / 3 + 0.3;
                double exact = 2 * (q11 * q22 + 2 * q12 * q12) + 0.3;
                assertEquals(exact, sq.value(x.row(i), x.row(j)), 1e-10 * exact);
            }
        }
        // a kinked expression against the ReLU closed form, within the bound the quadrature test of the
        // built-in kinked activations uses (3e-2 of √(K_ii·K_jj); the class comment says about 1e-2)
        Matrix relu = GramEngine.gram(KernelSpec.parse("nngp(depth=1, activation=relu, w_var=2, b_var=0.1)"), x);
        Matrix max = GramEngine.gram(KernelSpec.parse("nngp(depth=1, activation=\"max(x, 0)\", w_var=2, b_var=0.1)"), x);
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) {
                assertEquals(relu.get(i, j), max.get(i, j), 3e-2 * Math.sqrt(relu.get(i, i) * relu.get(j, j)));
            }
        }
        // derivatives are exact: against central differences
        Activation a = Activation.expression("x*erf(x) + sigmoid(2*x)^2 - log(1 + exp(-x))/3");
        for (double t : new double[] {-2.1, -0.4, 0.3, 1.7}) {
            double h = 1e-5;
            double fd = (a.apply(t + h) - a.apply(t - h)) / (2 * h);
            assertEquals(fd, a.derivative(t), 1e-8);
        }
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> KernelSpec.parse("ntk(activation=\"x*erff(x)\")"));
        assertTrue(e.getMessage().contains("unknown function 'erff'"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelSpec.parse("ntk(activation=\"x*(x\")"));
        assertTrue(e.getMessage().contains("column"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelSpec.parse("ntk(activation=\"x"));
        assertTrue(e.getMessage().contains("unterminated string"), e.getMessage());
        Kernel k = KernelSpec.parse("ntk(depth=3, activation=\"max(x, 0.1*x)\")");
        assertEquals(k, KernelSpec.parse(k.toSpec()));
    }

    private static double dot(Matrix x, int i, int j) {
        double s = 0;
        for (int f = 0; f < x.cols(); f++) {
            s += x.get(i, f) * x.get(j, f);
        }
        return s;
    }

    /**
     * A point against itself in a cross kernel (where the engine cannot know the points coincide)
     * must give the exact diagonal: correlations a few ulp from 1 are snapped to 1, otherwise
     * arccos(1 − ε) turns rounding into 1e-8 errors in the NTK.
     */
    @Test
    void coincidentPointsInCrossKernelsMatchTheExactDiagonal() {
        Matrix x = TestData.gaussian(40, 7, 1, 31);
        for (String spec : List.of("ntk(depth=4, activation=relu, w_var=2, b_var=0.1)",
                "ntk(depth=3, activation=leaky_relu, alpha=0.2)", "nngp(depth=5, activation=relu)",
                "ntk(depth=2, activation=relu, w_var=2, b_var=0.05, param=standard, width=128)")) {
            Kernel k = KernelSpec.parse(spec);
            Matrix cross = GramEngine.cross(k, x, x.copy());
            Matrix gram = GramEngine.gram(k, x);
            for (int i = 0; i < x.rows(); i++) {
                assertEquals(gram.get(i, i), cross.get(i, i), 1e-13 * gram.get(i, i), spec + " point " + i);
            }
        }
    }

    @Test
    void quadratureAgreesWithEveryClosedForm() {
        double[][] cases = {{1.0, 0.3, 2.0}, {0.5, -0.4, 0.7}, {2.0, 1.99, 2.0}, {1.5, 0.0, 0.2}, {3.0, -2.9, 3.0}};
        for (Activation act : List.of(Activation.named("erf"), Activation.named("sin"), Activation.named("gelu"),
                Activation.named("identity"))) {
            for (double[] c : cases) {
                // documented accuracy: ~1e-6 for |correlation| <= 0.9, ~1e-3 as |correlation| -> 1
                double tol = Math.abs(c[1]) / Math.sqrt(c[0] * c[2]) > 0.9 ? 3e-3 : 1e-5;
                double q = GaussHermite.expectation(act::apply, c[0], c[1], c[2]);
                assertEquals(q, act.pair(c[0], c[1], c[2]), tol * Math.max(1, Math.abs(q)), act + " T at " + c[1]);
                double qd = GaussHermite.expectation(act::derivative, c[0], c[1], c[2]);
                assertEquals(qd, act.derivativePair(c[0], c[1], c[2]), tol * Math.max(1, Math.abs(qd)),
                        act + " Tdot at " + c[1]);
            }
        }
        // kinked activations: quadrature converges slowly, so only ~1e-2 (the documented accuracy)
        for (Activation act : List.of(Activation.relu(), Activation.leakyRelu(0.2), Activation.abRelu(-0.5, 2))) {
            for (double[] c : cases) {
                double q = GaussHermite.expectation(act::apply, c[0], c[1], c[2]);
                assertEquals(q, act.pair(c[0], c[1], c[2]), 3e-2 * Math.sqrt(c[0] * c[2]), act + " T");
            }
        }
        // the self forms equal the pair forms at q12 = q11 = q22
        for (Activation act : List.of(Activation.relu(), Activation.named("erf"), Activation.named("sin"),
                Activation.named("gelu"), Activation.named("step"), Activation.named("sign"))) {
            assertEquals(act.pair(1.7, 1.7, 1.7), act.self(1.7), 1e-12, act.name());
        }
    }

    @Test
    void quadratureForSmoothActivationsMatchesOneDimensionalMonteCarlo() {
        // tanh has no closed form; check E[tanh(u)tanh(v)] by a large seeded Monte-Carlo estimate
        Activation tanh = Activation.named("tanh");
        java.util.Random r = new java.util.Random(5);
        double q11 = 1.3;
        double q22 = 0.6;
        double q12 = 0.5;
        double c = q12 / Math.sqrt(q11 * q22);
        int samples = 2_000_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < samples; i++) {
            double g1 = r.nextGaussian();
            double g2 = r.nextGaussian();
            double v = Math.tanh(Math.sqrt(q11) * g1) * Math.tanh(Math.sqrt(q22) * (c * g1 + Math.sqrt(1 - c * c) * g2));
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / samples;
        double se = Math.sqrt((sumSq / samples - mean * mean) / samples);
        assertEquals(mean, tanh.pair(q11, q12, q22), 4 * se);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void reluNngpIsTheScaledArcCosineKernel(int depth) {
        Matrix x = TestData.gaussian(6, 5, 1, 3);
        Kernel nngp = NeuralKernel.nngp(depth, Activation.relu(), 2, 0);
        Kernel arccos = new ArcCosineKernel(1, depth);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double a = i == j ? nngp.selfValue(x.row(i)) : nngp.value(x.row(i), x.row(j));
                double b = i == j ? arccos.selfValue(x.row(i)) : arccos.value(x.row(i), x.row(j));
                assertEquals(2.0 / 5 * b, a, 1e-12);
            }
        }
    }

    @Test
    void arcCosineOrdersMatchTheirDefiningIntegralsByMonteCarlo() {
        // k_n(x, z) = 2·E_w[Θ(w·x)Θ(w·z)(w·x)^n(w·z)^n] for w ~ N(0, I)
        double[] x = {0.8, -0.3, 0.5};
        double[] z = {0.1, 0.9, -0.4};
        java.util.Random r = new java.util.Random(11);
        int samples = 1_000_000;
        for (int order = 0; order <= 2; order++) {
            double sum = 0;
            double sumSq = 0;
            for (int s = 0; s < samples; s++) {
                double wx = 0;
                double wz = 0;
                for (int f = 0; f < 3; f++) {
                    double w = r.nextGaussian();
                    wx += w * x[f];
                    wz += w * z[f];
                }
                double v = wx > 0 && wz > 0 ? 2 * Math.pow(wx, order) * Math.pow(wz, order) : 0;
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / samples;
            double se = Math.sqrt((sumSq / samples - mean * mean) / samples);
            assertEquals(mean, new ArcCosineKernel(order, 1).value(x, z), 4 * se, "order " + order);
        }
    }

    @Test
    void identityActivationGivesALinearKernel() {
        double w = 1.7;
        double b = 0.3;
        int depth = 3;
        double[] x = {1, 2, -1, 0.5};
        double[] z = {0.2, -1, 1, 2};
        double k = w * Specs.dot(x, z) / 4 + b;
        double theta = k;
        for (int l = 0; l < depth; l++) {
            k = w * k + b;
            theta = k + w * theta;
        }
        assertEquals(k, NeuralKernel.nngp(depth, Activation.named("identity"), w, b).value(x, z), 1e-12);
        assertEquals(theta, NeuralKernel.ntk(depth, Activation.named("identity"), w, b).value(x, z), 1e-12);
    }

    @Test
    void standardParameterizationMatchesNeuralTangentsDenseRule() {
        // depth 0 is one dense layer: Θ_std = ⟨x, z⟩ + 1, Θ_ntk = w⟨x, z⟩/d + b; the NNGP is the same
        double[] x = {1, 2, -1};
        double[] z = {0.5, 0.5, 2};
        assertEquals(Specs.dot(x, z) + 1, NeuralKernel.ntkStandard(0, Activation.relu(), 2, 0.1, 7).value(x, z), 1e-12);
        // depth 1 by hand: Θ = width·T + 1 + w·Ṫ·(⟨x,z⟩ + 1)
        Activation relu = Activation.relu();
        double w = 2;
        double b = 0.1;
        int width = 64;
        double q12 = w * Specs.dot(x, z) / 3 + b;
        double q11 = w * Specs.dot(x, x) / 3 + b;
        double q22 = w * Specs.dot(z, z) / 3 + b;
        double expected = width * relu.pair(q11, q12, q22) + 1
                + w * relu.derivativePair(q11, q12, q22) * (Specs.dot(x, z) + 1);
        assertEquals(expected, NeuralKernel.ntkStandard(1, relu, w, b, width).value(x, z), 1e-10);
        assertEquals(NeuralKernel.nngp(3, relu, w, b).value(x, z),
                ((NeuralKernel) KernelSpec.parse("nngp(depth=3, w_var=2, b_var=0.1, param=standard)")).value(x, z));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "erf", "gelu", "tanh"})
    void closedFormsMatchWideRandomNetworks(String activation) {
        // Monte-Carlo ground truth: average the empirical kernels of S networks of width 2048.
        // Each entry's error is O(1/√width) plus sampling noise; the tolerance is 4 standard errors
        // of the S-network mean plus a 2% allowance for the O(1/width) finite-width bias.
        Matrix x = TestData.gaussian(8, 6, 1, 21);
        int depth = 2;
        int width = 2048;
        int nets = 6;
        for (boolean standard : new boolean[] {false, true}) {
            if (standard && !activation.equals("relu")) {
                continue;
            }
            NeuralKernel nngp = NeuralKernel.nngp(depth, Activation.named(activation), 1.5, 0.1);
            NeuralKernel ntk = standard ? NeuralKernel.ntkStandard(depth, Activation.named(activation), 1.5, 0.1, width)
                    : NeuralKernel.ntk(depth, Activation.named(activation), 1.5, 0.1);
            Matrix exactK = GramEngine.gram(nngp, x);
            Matrix exactT = GramEngine.gram(ntk, x);
            double[][] sumK = new double[8][8];
            double[][] sqK = new double[8][8];
            double[][] sumT = new double[8][8];
            double[][] sqT = new double[8][8];
            for (int s = 0; s < nets; s++) {
                RandomNetwork net = new RandomNetwork(ntk, 6, width, 100 + s);
                Matrix k = net.empiricalNngp(x);
                Matrix t = net.empiricalNtk(x);
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 8; j++) {
                        sumK[i][j] += k.get(i, j);
                        sqK[i][j] += k.get(i, j) * k.get(i, j);
                        sumT[i][j] += t.get(i, j);
                        sqT[i][j] += t.get(i, j) * t.get(i, j);
                    }
                }
            }
            checkMean(sumK, sqK, nets, exactK, activation + " NNGP");
            checkMean(sumT, sqT, nets, exactT, activation + (standard ? " standard" : "") + " NTK");
        }
    }

    /**
     * Compares the S-network mean with the closed form over all entries at once:
     * ‖mean − exact‖_F ≤ 4·√(Σ standard error²) + 0.03·‖exact‖_F. The first term is the sampling
     * noise of the mean (the squared error sum has expectation Σ se²), the second allows for the
     * O(1/width) finite-width bias.
     */
    private static void checkMean(double[][] sum, double[][] sq, int count, Matrix exact, String what) {
        double err2 = 0;
        double se2 = 0;
        double norm2 = 0;
        for (int i = 0; i < sum.length; i++) {
            for (int j = 0; j < sum.length; j++) {
                double mean = sum[i][j] / count;
                double var = Math.max(0, sq[i][j] / count - mean * mean) * count / (count - 1);
                se2 += var / count;
                double e = mean - exact.get(i, j);
                err2 += e * e;
                norm2 += exact.get(i, j) * exact.get(i, j);
            }
        }
        double bound = 4 * Math.sqrt(se2) + 0.03 * Math.sqrt(norm2);
        assertTrue(Math.sqrt(err2) <= bound, what + ": error " + Math.sqrt(err2) + " > bound " + bound
                + " (kernel norm " + Math.sqrt(norm2) + ")");
    }

    @Test
    void specsRoundTripAndBadSpecsAreClear() {
        for (String spec : List.of("ntk(depth=5, activation=relu, w_var=2, b_var=0.05)", "nngp(depth=3, activation=erf)",
                "ntk(depth=2, activation=leaky_relu, alpha=0.1)", "nngp(activation=abrelu, a=-0.5, b=2)",
                "ntk(depth=2, param=standard, width=512)", "arccos(order=2, depth=3)", "ntk(activation=tanh)",
                "0.5*ntk(depth=2) + rbf(gamma=0.1)")) {
            Kernel k = KernelSpec.parse(spec);
            assertEquals(k, KernelSpec.parse(k.toSpec()), spec);
        }
        var e = assertThrows(Kernels4jException.class, () -> KernelSpec.parse("ntk(activation=relux)"));
        assertTrue(e.getMessage().contains("'activation' must be one of relu"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelSpec.parse("ntk(param=standard)"));
        assertTrue(e.getMessage().contains("needs the hidden layer width"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelSpec.parse("ntk(alpha=0.1)"));
        assertTrue(e.getMessage().contains("'alpha' applies only to activation=leaky_relu"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelSpec.parse("arccos(order=3)"));
        assertTrue(e.getMessage().contains("order must be 0, 1 or 2"), e.getMessage());
    }

    /**
     * The tile engine's ReLU-family path (correlation form, ElementOps.reluFamilyRow) against the
     * one-pair recursion of value(): activations with a ≠ b of both signs, a = b (which takes the
     * general path), zero inputs with b_var = 0 (zero variances at every layer; the
     * standard-parameterization NTK takes the general path there), and depth 0.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ntk(depth=3, activation=abrelu, a=-0.5, b=1.5, w_var=1.2, b_var=0.1)",
        "nngp(depth=4, activation=abrelu, a=0.7, b=0.7, b_var=0.2)", "ntk(depth=3, activation=abrelu, a=0.7, b=0.7)",
        "ntk(depth=4, activation=relu, w_var=2, b_var=0)", "nngp(depth=4, activation=leaky_relu, alpha=0.2, b_var=0)",
        "ntk(depth=3, activation=relu, b_var=0, param=standard, width=50)",
        "ntk(depth=2, activation=relu, b_var=0.1, param=standard, width=50)", "ntk(depth=0, b_var=0.1)",
        "nngp(depth=0, b_var=0.1)", "ntk(depth=0, param=standard, width=20)"})
    void reluFamilyTilesMatchTheOnePairRecursion(String spec) {
        Kernel k = KernelSpec.parse(spec);
        Matrix x = TestData.gaussian(70, 6, 1, 17);
        for (int j = 0; j < x.cols(); j++) {
            x.set(5, j, 0); // zero inputs
            x.set(40, j, 0);
        }
        Matrix z = TestData.gaussian(45, 6, 1, 18);
        for (int j = 0; j < z.cols(); j++) {
            z.set(7, j, 0);
        }
        Matrix gram = GramEngine.gram(k, x);
        Matrix cross = GramEngine.cross(k, x, z);
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.rows(); j++) {
                double ref = i == j ? k.selfValue(x.row(i)) : k.value(x.row(i), x.row(j));
                assertEquals(ref, gram.get(i, j), 1e-12 * Math.max(1, Math.abs(ref)), spec + " gram " + i + "," + j);
            }
            for (int j = 0; j < z.rows(); j++) {
                double ref = k.value(x.row(i), z.row(j));
                assertEquals(ref, cross.get(i, j), 1e-12 * Math.max(1, Math.abs(ref)), spec + " cross " + i + "," + j);
            }
        }
    }

    @Test
    void zeroInputsAndDuplicatesAreFinite() {
        Matrix x = new Matrix(4, 3);
        x.set(1, 0, 1);
        x.set(2, 0, 1); // a duplicate of row 1
        x.set(3, 2, -2);
        for (String spec : List.of("ntk(depth=4)", "nngp(depth=3, activation=erf)", "arccos(order=0, depth=2)",
                "ntk(depth=3, activation=gelu, b_var=0.1)")) {
            Matrix g = GramEngine.gram(KernelSpec.parse(spec), x);
            for (double v : g.data()) {
                assertTrue(Double.isFinite(v), spec);
            }
            // distinct samples go through arccos(c) with c = 1 − O(1e-16) from rounding, and arccos
            // turns that into θ ≈ 1e-8; the diagonal itself is exact
            assertEquals(g.get(1, 1), g.get(1, 2), 1e-7 * Math.abs(g.get(1, 1)), spec + ": duplicates");
        }
    }
}
