package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * The contract every registered kernel type must meet, run over {@link KernelCatalog#types()}: a
 * new kernel is tested as soon as it is registered, with no list here to extend. For each type the
 * cases are its defaults ({@code name()}), its declared {@link KernelCatalog.Type#examples()}, the
 * defaults with every hyperparameter moved by a factor 1.37, and three composites of the first
 * example: scaled by 1.7, in a sum with the type's defaults (repeated hyperparameter names), and in
 * a product with an ARD Matérn kernel. Inputs are small (n = 21, d = 3) so the suite stays fast.
 */
class KernelContractTest {
    private static final int N = 21;
    private static final int D = 3;
    private static final Matrix X = TestData.gaussian(N, D, 0.8, 101);
    private static final Matrix Z = TestData.gaussian(13, D, 0.8, 102);
    /** The inputs of the contract: Gaussian, or their absolute values for kernels on non-negative features. */
    static final Data GAUSSIAN = new Data(X, Z, true);

    /**
     * Inputs x (n = 21) and z (13 rows) for one kernel, and whether its Gram matrices must be PSD
     * (false for types declared {@link KernelCatalog.Type#positiveSemiDefinite() indefinite}).
     */
    record Data(Matrix x, Matrix z, boolean psd) {
        static Data of(KernelCatalog.Type t) {
            Matrix x = t.nonNegativeInputs() ? abs(X) : X;
            Matrix z = t.nonNegativeInputs() ? abs(Z) : Z;
            return new Data(x, z, t.positiveSemiDefinite());
        }

        private static Matrix abs(Matrix m) {
            Matrix a = m.copy();
            double[] v = a.data();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.abs(v[i]);
            }
            return a;
        }

        @Override
        public String toString() {
            return (psd ? "" : "indefinite, ") + (x == X ? "gaussian inputs" : "non-negative inputs");
        }
    }

    /** (label, kernel) for every registered type. */
    static Stream<Arguments> kernels() {
        List<Arguments> out = new ArrayList<>();
        for (KernelCatalog.Type t : KernelCatalog.types()) {
            for (Kernel k : cases(t)) {
                out.add(Arguments.of(t.name() + ": " + k.toSpec(), k, Data.of(t)));
            }
        }
        return out.stream();
    }

    static List<Kernel> cases(KernelCatalog.Type t) {
        List<Kernel> out = new ArrayList<>();
        Kernel defaults = KernelSpec.parse(t.name() + "()");
        out.add(defaults);
        for (String example : t.examples()) {
            out.add(KernelSpec.parse(example));
        }
        double[] theta = values(defaults.hyperparameters());
        if (theta.length > 0) {
            for (int p = 0; p < theta.length; p++) {
                theta[p] *= 1.37;
            }
            out.add(defaults.withHyperparameters(theta));
        }
        Kernel first = t.examples().isEmpty() ? defaults : KernelSpec.parse(t.examples().get(0));
        out.add(first.scaled(1.7));
        out.add(first.plus(defaults));
        out.add(first.times(new MaternKernel(2.5, new double[] {1.2, 0.7, 2})));
        return out;
    }

    /** The base kernels only (defaults and examples), with their type. */
    static Stream<Arguments> baseKernels() {
        List<Arguments> out = new ArrayList<>();
        for (KernelCatalog.Type t : KernelCatalog.types()) {
            out.add(Arguments.of(t, KernelSpec.parse(t.name() + "()")));
            for (String example : t.examples()) {
                out.add(Arguments.of(t, KernelSpec.parse(example)));
            }
        }
        return out.stream();
    }

    static Stream<KernelCatalog.Type> types() {
        return KernelCatalog.types().stream();
    }

    // ---------------------------------------------------------------------------- value contract

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void blockEqualsPairwiseFormula(String label, Kernel k, Data data) {
        checkBlockAgainstFormula(label, k, data);
    }

    /**
     * gram(X)_ij = value(x_i, x_j) for i ≠ j and selfValue(x_i) on the diagonal; cross(X, Z)_ij =
     * value(x_i, z_j); every entry within 10⁻¹⁰ of the largest reference value.
     */
    static void checkBlockAgainstFormula(String label, Kernel k, Data data) {
        Matrix x = data.x();
        Matrix z = data.z();
        Matrix gram = GramEngine.gram(k, x);
        Matrix ref = new Matrix(N, N);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                ref.set(i, j, i == j ? k.selfValue(x.row(i)) : k.value(x.row(i), x.row(j)));
            }
        }
        assertClose(ref, gram, 1e-10, label + ": gram vs value()/selfValue()");
        Matrix cross = GramEngine.cross(k, x, z);
        Matrix crossRef = new Matrix(N, z.rows());
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < z.rows(); j++) {
                crossRef.set(i, j, k.value(x.row(i), z.row(j)));
            }
        }
        assertClose(crossRef, cross, 1e-10, label + ": cross vs value()");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void gramIsSymmetricAndPositiveSemiDefinite(String label, Kernel k, Data data) {
        Matrix x = data.x();
        Matrix g = GramEngine.gram(k, x);
        double trace = 0;
        for (int i = 0; i < N; i++) {
            trace += g.get(i, i);
            for (int j = 0; j < i; j++) {
                assertEquals(g.get(i, j), g.get(j, i), 0.0, label + ": exact symmetry at " + i + ", " + j);
            }
        }
        Assumptions.assumeTrue(data.psd(), label + " is declared indefinite");
        double min = SymmetricEigen.of(g).value(0);
        assertTrue(min >= -1e-8 * Math.max(trace, Double.MIN_NORMAL),
                label + ": smallest eigenvalue " + min + ", trace " + trace);
    }

    /**
     * cross(X, X) equals gram(X) between different samples. On the diagonal cross does not know the
     * points are the same sample: it gives value(x, x), where gram gives selfValue(x) (they differ
     * for white noise), and only to about √ε, since the distance of a point to itself comes from
     * the GEMM as a rounded ~10⁻¹⁶ whose square root kernels such as exp(−γ‖x − z‖) see.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void crossOfTheSamePointsEqualsGramOffTheDiagonal(String label, Kernel k, Data data) {
        Matrix x = data.x();
        Matrix gram = GramEngine.gram(k, x);
        Matrix cross = GramEngine.cross(k, x, x);
        Matrix offDiagonal = cross.copy();
        Matrix diagonal = new Matrix(N, N);
        Matrix diagonalRef = new Matrix(N, N);
        for (int i = 0; i < N; i++) {
            offDiagonal.set(i, i, gram.get(i, i));
            diagonal.set(i, i, cross.get(i, i));
            diagonalRef.set(i, i, k.value(x.row(i), x.row(i)));
        }
        assertClose(gram, offDiagonal, 1e-10, label + ": cross(x, x) vs gram(x) off the diagonal");
        assertClose(diagonalRef, diagonal, 1e-6, label + ": diagonal of cross(x, x) vs value(x, x)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void specRoundTrips(String label, Kernel k, Data data) {
        Matrix x = data.x();
        String spec = k.toSpec();
        Kernel back = KernelSpec.parse(spec);
        assertEquals(spec, back.toSpec(), label);
        assertEquals(k, back, label);
        assertEquals(k.hashCode(), back.hashCode(), label);
        assertClose(GramEngine.gram(k, x), GramEngine.gram(back, x), 1e-13, label + ": values after the round trip");
    }

    // --------------------------------------------------------------------- hyperparameter contract

    /**
     * ∂K/∂log θ from {@link GramEngine#gramGradients} against central differences of the Gram matrix
     * in log θ through {@link Kernel#withHyperparameters} (step 10⁻⁵: truncation ≈ 10⁻¹⁰ and rounding
     * ≈ 10⁻¹¹, far below the 10⁻⁵ tolerance relative to the largest derivative entry).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void gramGradientsMatchCentralDifferences(String label, Kernel k, Data data) {
        Matrix x = data.x();
        List<Hyperparameter> hs = k.hyperparameters();
        assertEquals(hs.size(), new HashSet<>(hs.stream().map(Hyperparameter::name).toList()).size(),
                label + ": hyperparameter names are unique");
        double[] theta = values(hs);
        assertEquals(k, k.withHyperparameters(theta), label + ": withHyperparameters(current values)");
        Matrix[] analytic = GramEngine.gramGradients(k, x);
        assertEquals(hs.size(), analytic.length, label);
        double h = 1e-5;
        for (int p = 0; p < hs.size(); p++) {
            double[] check = GradientCheck.logGradientError(k, x, theta, p, analytic[p], h);
            double worst = check[0];
            double scale = check[1];
            String what = label + " " + hs.get(p).name();
            if (scale == 0 && k instanceof ProductKernel) {
                // e.g. white noise times a stationary kernel: the factor's length only moves the diagonal, where it is 1
                assertEquals(0.0, worst, 1e-12, what + ": analytic derivative should be 0 like the difference");
                continue;
            }
            assertTrue(scale > 0, what + " has a zero derivative");
            assertTrue(worst / scale < 1e-5, what + ": relative error " + worst / scale);
        }
    }

    /**
     * One {@link Kernel#computeGradientBlock} call on the whole Gram matrix writes the same values
     * as {@link Kernel#computeBlock} and every gradient entry (the buffers start as NaN).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void gradientPassWritesTheValuesAndEveryGradientEntry(String label, Kernel k, Data data) {
        Matrix x = data.x();
        int count = k.hyperparameters().size();
        double[] values = new double[N * N];
        double[] out = new double[N * N];
        double[][] gradients = new double[count][N * N];
        for (double[] g : gradients) {
            java.util.Arrays.fill(g, Double.NaN);
        }
        try (GramInputs in = new GramInputs(x, x.columnMeans())) {
            GramBlock block = new GramBlock(in, in, true, N * N);
            try {
                block.moveTo(0, N, 0, N);
                k.computeBlock(block, values);
                k.computeGradientBlock(block, out, gradients);
            } finally {
                block.release();
            }
        }
        assertClose(Matrix.wrap(N, N, values), Matrix.wrap(N, N, out), 1e-12, label + ": value tile of the gradient pass");
        for (int p = 0; p < count; p++) {
            for (double v : gradients[p]) {
                assertTrue(Double.isFinite(v), label + ": gradient " + p + " left an entry unwritten or not finite");
            }
        }
    }

    // ------------------------------------------------------------------------ declaration contract

    /**
     * The hyperparameters of a kernel are its declared learnable parameters, named
     * {@code <type>.<param>} or {@code <type>.<param>[f]}, in declaration order.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("baseKernels")
    void hyperparametersAreTheDeclaredLearnableParameters(KernelCatalog.Type t, Kernel k) {
        Pattern form = Pattern.compile(Pattern.quote(t.name()) + "\\.([a-z_0-9]+)(\\[\\d+\\])?");
        int last = -1;
        for (Hyperparameter h : k.hyperparameters()) {
            Matcher m = form.matcher(h.name());
            assertTrue(m.matches(), k + ": hyperparameter " + h.name() + " is not named <type>.<param>");
            KernelCatalog.Param p = t.param(m.group(1));
            assertNotNull(p, k + ": " + h.name() + " is not a declared parameter");
            assertTrue(p.learnable(), k + ": " + h.name() + " is not declared learnable");
            int index = t.params().indexOf(p);
            assertTrue(index >= last, k + ": hyperparameters out of declaration order");
            last = index;
        }
    }

    /** A printed spec names declared parameters only, each once, in declaration order. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("baseKernels")
    void printedSpecFollowsTheDeclaration(KernelCatalog.Type t, Kernel k) {
        String spec = k.toSpec();
        assertTrue(spec.startsWith(t.name() + "(") && spec.endsWith(")"), spec);
        String inside = spec.substring(t.name().length() + 1, spec.length() - 1).replaceAll("\"[^\"]*\"", "\"\"");
        int last = -1;
        Matcher m = Pattern.compile("([a-z_0-9]+)=").matcher(inside);
        while (m.find()) {
            KernelCatalog.Param p = t.param(m.group(1));
            assertNotNull(p, spec + ": prints undeclared parameter " + m.group(1));
            int index = t.params().indexOf(p);
            assertTrue(index > last, spec + ": parameters out of declaration order");
            last = index;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void everyTypeIsFoundByItsNamesAndDeclaresExamples(KernelCatalog.Type t) {
        assertSame(t, KernelCatalog.find(t.name()));
        for (String alias : t.aliases()) {
            assertSame(t, KernelCatalog.find(alias));
        }
        assertTrue(t.params().isEmpty() || !t.examples().isEmpty(),
                t + " has parameters but declares no example specs with non-default values for the contract tests");
        assertFalse(t.formula().isBlank(), t + " has no formula");
        for (KernelCatalog.Param p : t.params()) {
            assertFalse(p.description().isBlank(), t + "." + p.name() + " has no description");
        }
    }

    @Test
    void registryNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (KernelCatalog.Type t : KernelCatalog.types()) {
            assertTrue(seen.add(t.name()), t.name());
            for (String alias : t.aliases()) {
                assertTrue(seen.add(alias), alias);
            }
        }
        assertEquals(new HashSet<>(KernelCatalog.names()), seen);
    }

    /**
     * Every registered type has a row in a kernel table: the README's, or the ones in
     * docs/classic-kernels.md (sigmoid, anova, bessel, spline, chi2, additive_chi2) and
     * docs/quantum-kernels.md (zz, pauli, projected), docs/structured-gp-kernels.md (sm, stm, vmf) and
     * docs/kernel-approximations.md (homogeneous_chi2, skewed_chi2), which
     * the README links.
     */
    @Test
    void readmeTableListsEveryRegisteredKernel() throws IOException {
        Path readme = Path.of("..", "README.md");
        Assumptions.assumeTrue(Files.exists(readme), "README.md not found beside the module");
        String text = Files.readString(readme);
        for (String doc : new String[] {"classic-kernels.md", "quantum-kernels.md", "convolutional-kernels.md",
            "structured-gp-kernels.md", "kernel-approximations.md"}) {
            Path table = Path.of("..", "docs", doc);
            if (Files.exists(table)) {
                text += Files.readString(table);
            }
        }
        for (KernelCatalog.Type t : KernelCatalog.types()) {
            assertTrue(text.contains("| `" + t.name() + "("), "README kernel table lacks a row for " + t.name());
        }
    }

    // ---------------------------------------------------------------- the harness catches mistakes

    /** A kernel whose block is off by 10⁻⁸ from its formula fails the value contract. */
    @Test
    void aBlockThatDisagreesWithItsFormulaIsCaught() {
        Kernel rbf = RbfKernel.withGamma(0.5);
        Kernel broken = new Kernel() {
            @Override
            public double value(double[] x, double[] z) {
                return rbf.value(x, z);
            }

            @Override
            public void computeBlock(GramBlock block, double[] out) {
                rbf.computeBlock(block, out);
                out[1] += 1e-8;
            }

            @Override
            public String toSpec() {
                return "broken()";
            }
        };
        checkBlockAgainstFormula("rbf", rbf, GAUSSIAN);
        assertThrows(AssertionError.class, () -> checkBlockAgainstFormula("broken", broken, GAUSSIAN));
    }

    // --------------------------------------------------------------------------------- helpers

    private static void assertClose(Matrix expected, Matrix actual, double relative, String what) {
        assertEquals(expected.rows(), actual.rows(), what);
        assertEquals(expected.cols(), actual.cols(), what);
        double scale = 0;
        for (double v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.data().length; i++) {
            double e = Math.abs(expected.data()[i] - actual.data()[i]);
            if (!(e <= worst)) {
                worst = e;
                at = i;
                if (Double.isNaN(e)) {
                    break;
                }
            }
        }
        assertTrue(worst <= relative * scale, what + ": error " + worst + " at entry " + at + " (scale " + scale + ")");
    }

    private static double[] values(List<Hyperparameter> hs) {
        return hs.stream().mapToDouble(Hyperparameter::value).toArray();
    }
}
