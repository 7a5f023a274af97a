package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * The grid GP's input checks (each documented in {@link KroneckerGaussianProcess}: distinct axis
 * coordinates, one value per cell, the missing-cell cap, the feature count at prediction), its model
 * files, and the description of a learned search. References: the dense GP on the observed cells
 * (as in {@link KroneckerGaussianProcessTest}) and the documented contracts.
 */
class KroneckerGaussianProcessChecksTest {

    private static final List<Kernel> TWO_AXES = List.of(KernelSpec.parse("1.5*rbf(length=0.8)"),
            KernelSpec.parse("matern(nu=1.5, length=1.1)"));

    /** A 4 × 3 grid of a smooth field plus noise, with the listed cells missing. */
    private static KroneckerGaussianProcess.Grid grid(int... missing) {
        double[] a = {0, 0.7, 1.5, 2.1};
        double[] b = {-1, 0.2, 1.4};
        double[] values = new double[12];
        boolean[] observed = new boolean[12];
        Random r = new Random(41);
        for (int c = 0; c < 12; c++) {
            values[c] = 5 + Math.sin(a[c / 3]) + Math.cos(b[c % 3]) + 0.1 * r.nextGaussian();
            observed[c] = true;
        }
        for (int c : missing) {
            observed[c] = false;
        }
        return new KroneckerGaussianProcess.Grid(List.of(a, b), values, observed);
    }

    /** α of the dense GP with k(x, z) = Π_d k_d(x_d, z_d) on the observed cells, built entry by entry. */
    private static Matrix denseProduct(KroneckerGaussianProcess.Grid g, boolean normalize) {
        Matrix x = g.observedPoints();
        Matrix y = g.observedValues();
        int n = x.rows();
        if (normalize) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y.get(i, 0) / n;
            }
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += (y.get(i, 0) - mean) * (y.get(i, 0) - mean);
            }
            double sd = Math.sqrt(ss / n); // the population standard deviation, as GaussianProcess normalizes
            for (int i = 0; i < n; i++) {
                y.set(i, 0, (y.get(i, 0) - mean) / sd);
            }
        }
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double p = 1;
                for (int d = 0; d < 2; d++) {
                    p *= TWO_AXES.get(d).value(new double[] {x.get(i, d)}, new double[] {x.get(j, d)});
                }
                a.set(i, j, p + (i == j ? 0.07 : 0));
            }
        }
        try (org.kernels4j.linalg.Cholesky c = org.kernels4j.linalg.Cholesky.factor(a, "test")) {
            return c.solve(y);
        }
    }

    /** Coordinates must be distinct along an axis wherever the repeat stands, not only next to each other. */
    @Test
    void aRepeatedCoordinateIsRefusedWhereverItStands() {
        var e = assertThrows(Kernels4jException.class, () -> new KroneckerGaussianProcess.Grid(
                List.of(new double[] {0, 1, 0}), new double[3], new boolean[] {true, true, true}));
        assertTrue(e.getMessage().contains("repeated or non-finite coordinate 0"), e.getMessage());
    }

    /** fit(x, y) checks the training data first: a target column longer than x is an error, not ignored. */
    @Test
    void fitFromPointsChecksTheRowCounts() {
        KroneckerGaussianProcess kron = KroneckerGaussianProcess.builder(TWO_AXES).noise(0.1).build();
        Matrix x = Matrix.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        var e = assertThrows(Kernels4jException.class, () -> kron.fit(x, Matrix.column(1.0, 2, 3, 4, 5)));
        assertTrue(e.getMessage().contains("4 rows but the targets have 5"), e.getMessage());
    }

    /**
     * The cap on missing cells is inclusive (at most maxMissing are accepted, 0 allowed: complete
     * grids only), and its message gives the memory per missing cell: N doubles, 8·N bytes.
     */
    @Test
    void theMissingCellCapIsInclusiveAndItsMessageGivesTheMemory() {
        KroneckerGaussianProcess.Grid g = grid(1, 5, 10);
        KroneckerGaussianProcessModel m = KroneckerGaussianProcess.builder(TWO_AXES).noise(0.05).maxMissing(3).build()
                .fit(g);
        assertEquals(3, m.grid().missing());
        assertTrue(Double.isFinite(m.logMarginalLikelihood()));
        KroneckerGaussianProcess complete = KroneckerGaussianProcess.builder(TWO_AXES).noise(0.05).maxMissing(0).build();
        double[] values = grid().values();
        KroneckerGaussianProcessModel full = complete.fit(KroneckerGaussianProcess.Grid.complete(grid().axes(), values));
        assertEquals(12, full.grid().cells());
        assertEquals(0, full.grid().missing());
        var e = assertThrows(Kernels4jException.class, () -> complete.fit(grid(4)));
        assertTrue(e.getMessage().contains("1 missing cells of 12") && e.getMessage().contains("at most 0"),
                e.getMessage());
        // 500 × 500 cells: 8 bytes × 250 000 = 2 MB per missing cell
        double[] axis = new double[500];
        for (int i = 0; i < axis.length; i++) {
            axis[i] = i;
        }
        boolean[] observed = new boolean[250_000];
        java.util.Arrays.fill(observed, true);
        observed[7] = false;
        KroneckerGaussianProcess.Grid big = new KroneckerGaussianProcess.Grid(List.of(axis, axis), new double[250_000],
                observed);
        e = assertThrows(Kernels4jException.class, () -> complete.evidence(big));
        assertTrue(e.getMessage().contains("at 2 MB each"), e.getMessage());
    }

    /** evidence and optimize check the grid as fit does: the axis count and the missing-cell cap. */
    @Test
    void evidenceAndOptimizeCheckTheGridToo() {
        KroneckerGaussianProcess kron = KroneckerGaussianProcess.builder(TWO_AXES).noise(0.1).maxMissing(2).build();
        KroneckerGaussianProcess.Grid oneAxis = KroneckerGaussianProcess.Grid.complete(List.of(new double[] {0, 1, 2}),
                new double[] {1, 2, 3});
        var e = assertThrows(Kernels4jException.class, () -> kron.evidence(oneAxis));
        assertTrue(e.getMessage().contains("1 axes but 2 axis kernels"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> kron.optimize(grid(0, 4, 8), HyperparameterSearch.builder()
                .build()));
        assertTrue(e.getMessage().contains("3 missing cells of 12") && e.getMessage().contains("at most 2"),
                e.getMessage());
    }

    /** Prediction inputs must have one column per axis (extra columns are not silently ignored). */
    @Test
    void predictionsCheckTheFeatureCount() {
        KroneckerGaussianProcessModel m = KroneckerGaussianProcess.builder(TWO_AXES).noise(0.1).build().fit(grid(3));
        assertEquals(2, m.features());
        Matrix three = Matrix.of(new double[][] {{0.3, 0.1, 9}});
        var e = assertThrows(Kernels4jException.class, () -> m.predict(three));
        assertTrue(e.getMessage().contains("2 features but the data has 3"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> m.predictiveVariance(three));
        assertTrue(e.getMessage().contains("2 features but the data has 3"), e.getMessage());
    }

    /** A learned fit's search result describes the learned per-axis kernels and noise, and the report carries it. */
    @Test
    void theSearchResultNamesTheLearnedKernels() {
        KroneckerGaussianProcessModel m = KroneckerGaussianProcess.builder(TWO_AXES).noise(0.1)
                .optimize(HyperparameterSearch.builder().build()).build().fit(grid(2, 7));
        String spec = m.search().kernel().toSpec();
        for (Kernel k : m.kernels()) {
            assertTrue(spec.contains(k.toSpec()), spec + " names " + k.toSpec());
        }
        assertTrue(spec.contains("noise"), spec);
        assertFalse(m.kernels().get(0).toSpec().equals(TWO_AXES.get(0).toSpec()), "the search moved axis 0");
    }

    /**
     * A model file reproduces the model (it refits on the stored grid): predictions, variances, α and
     * the likelihood, with missing cells and normalization on and off; a mask entry other than 0 or 1
     * is refused.
     */
    @Test
    void modelFilesReproduceTheModel() {
        Matrix q = Matrix.of(new double[][] {{0.3, 0.1}, {1.9, -0.4}, {2.5, 1.4}});
        for (boolean normalize : new boolean[] {false, true}) {
            // the last mask has more missing cells (7) than observed ones (5)
            for (int[] missing : new int[][] {{}, {0, 6, 11}, {0, 1, 2, 3, 5, 7, 9}}) {
                KroneckerGaussianProcessModel m = KroneckerGaussianProcess.builder(TWO_AXES).noise(0.07)
                        .normalizeTargets(normalize).maxMissing(8).build().fit(grid(missing));
                // α on the grid: the dense GP's α = (K_OO + σ²I)⁻¹·y_O at the observed cells (row-major), 0 elsewhere
                Matrix denseAlpha = denseProduct(m.grid(), normalize);
                double[] alpha = m.alpha();
                for (int c = 0, r = 0; c < 12; c++) {
                    assertEquals(m.grid().observed()[c] ? denseAlpha.get(r++, 0) : 0, alpha[c], 1e-9, "alpha at " + c);
                }
                ModelState state = ModelCodecs.encode(m);
                assertEquals("kron-gp", state.kind());
                assertEquals(normalize, state.flag("options.normalize"));
                double[] flags = state.matrix("observed").data();
                double[] values = state.matrix("values").data();
                for (int c = 0; c < 12; c++) {
                    assertEquals(m.grid().observed()[c] ? 1 : 0, flags[c]);
                    assertEquals(m.grid().observed()[c] ? m.grid().values()[c] : 0, values[c]);
                }
                KroneckerGaussianProcessModel back = (KroneckerGaussianProcessModel) ModelCodecs.decode(
                        ModelState.of(state.kind(), state.fields(), state.arrays()));
                assertEquals(0, back.predict(q).maxAbsDifference(m.predict(q)), 1e-12);
                assertEquals(0, back.predictiveVariance(q).maxAbsDifference(m.predictiveVariance(q)), 1e-12);
                assertEquals(m.logMarginalLikelihood(), back.logMarginalLikelihood(), 1e-12);
                assertEquals(m.noise(), back.noise(), 0);
                assertEquals(missing.length, back.grid().missing());
                assertEquals(java.util.Arrays.toString(m.alpha()), java.util.Arrays.toString(back.alpha()));
                for (int d = 0; d < 2; d++) {
                    assertEquals(m.kernels().get(d).toSpec(), back.kernels().get(d).toSpec());
                }
            }
        }
        ModelState good = ModelCodecs.encode(KroneckerGaussianProcess.builder(TWO_AXES).noise(0.07).build().fit(grid()));
        Map<String, Matrix> arrays = new HashMap<>(good.arrays());
        double[] bad = new double[12];
        java.util.Arrays.fill(bad, 1);
        bad[4] = 0.5;
        arrays.put("observed", Matrix.column(bad));
        var e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of(good.kind(), good.fields(),
                arrays)));
        assertTrue(e.getMessage().contains("must hold 0 or 1, got 0.5"), e.getMessage());
        // one finite but huge stored value: the rebuild fails, and the message blames the file, not the training data
        Map<String, Matrix> huge = new HashMap<>(good.arrays());
        double[] values = good.arrays().get("values").data().clone();
        values[3] = 1e200;
        huge.put("values", Matrix.column(values));
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of(good.kind(), good.fields(),
                huge)));
        assertTrue(e.getMessage().startsWith("the stored grid does not rebuild a model") && e.getMessage().contains(
                "'values'"), e.getMessage());
    }

    /**
     * A model file's grid is held to the same size limit as a {@link KroneckerGaussianProcess.Grid}, whose
     * constructor takes up to Integer.MAX_VALUE / 2 = 2³⁰ − 1 cells: a file declaring axes of 1023 and 1 049 601
     * coordinates (exactly 2³⁰ − 1 cells) must get past the size check to the check of its 'values' array (which holds
     * 12), while axes of 1024 and 1 048 576 (2³⁰ cells) are refused as too many — both before anything of the grid's
     * size is allocated (the axes are 8 MB).
     */
    @Test
    void modelFilesAreHeldToTheGridsCellLimit() {
        ModelState good = ModelCodecs.encode(KroneckerGaussianProcess.builder(TWO_AXES).noise(0.07).build().fit(grid()));
        int[][] sizes = {{1023, 1_049_601}, {1024, 1_048_576}};
        for (int[] size : sizes) {
            long cells = (long) size[0] * size[1];
            Map<String, Matrix> arrays = new HashMap<>(good.arrays());
            for (int d = 0; d < 2; d++) {
                double[] axis = new double[size[d]];
                for (int i = 0; i < axis.length; i++) {
                    axis[i] = i;
                }
                arrays.put("axis." + d, Matrix.column(axis));
            }
            var e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of(good.kind(),
                    good.fields(), arrays)));
            if (cells <= Integer.MAX_VALUE / 2) {
                assertEquals((1L << 30) - 1, cells);
                assertTrue(e.getMessage().contains("'values'") && e.getMessage().contains(Long.toString(cells)),
                        e.getMessage());
            } else {
                assertTrue(e.getMessage().contains("grid has " + cells + " cells, too many"), e.getMessage());
            }
        }
    }
}
