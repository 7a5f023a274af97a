package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.KernelSpec;

class BenchmarkHarnessTest {
    @TempDir
    Path dir;

    @Test
    void tinyGramBenchmarkReturnsPositiveTimingsAndTheirRatios() {
        Path export = dir.resolve("x.npy");
        GramBenchmark.Result r = GramBenchmark.run(new GramBenchmark.Options(KernelSpec.parse("rbf(gamma=0.5)"),
                KernelSpec.parse("linear()"), 40, 3, 1, 1, export));
        assertTrue(r.gram().gemmSeconds() > 0 && r.gram().gramSeconds() > 0 && r.baselineSeconds() > 0, r.toString());
        assertEquals(r.gram().gramSeconds() / r.gram().gemmSeconds(), r.ratio());
        assertEquals(r.gram().gramSeconds() / r.baselineSeconds(), r.ratioOverBaseline());
        assertEquals("rbf(gamma=0.5)", r.gram().kernel());
        assertEquals("linear()", r.baselineKernel());
        assertEquals(40, r.gram().n());
        // The exported points are the ones timed.
        assertEquals(0, Npy.read(export).maxAbsDifference(SyntheticData.regression(40, 3, 1).x()));

        GramBenchmark.Result plain = GramBenchmark.run(new GramBenchmark.Options(KernelSpec.parse("linear()"), null,
                10, 2, 1, 1, null));
        assertFalse(plain.hasBaseline());
        assertTrue(Double.isNaN(plain.ratioOverBaseline()));
        assertThrows(IllegalArgumentException.class, () -> new GramBenchmark.Options(KernelSpec.parse("linear()"), null,
                0, 2, 1, 1, null));
        assertEquals(0, plain.gram().n() - plain.gram().m(), "K(X, X) is n×n");
        assertFalse(plain.gram().cross());
        assertEquals(plain.gram().gramCpuSeconds() / plain.gram().gemmCpuSeconds(), plain.gram().cpuRatio());
    }

    @Test
    void crossGramBenchmarkTimesTheRectangularMatrixAndExportsBothSets() {
        Path export = dir.resolve("pts.npy");
        GramBenchmark.Result r = GramBenchmark.run(new GramBenchmark.Options(KernelSpec.parse("rbf(gamma=0.5)"), null,
                30, 3, 1, 4, export, 12));
        assertTrue(r.gram().cross());
        assertEquals(30, r.gram().n());
        assertEquals(12, r.gram().m());
        assertEquals(3, r.gram().d());
        assertTrue(r.gram().gemmSeconds() > 0 && r.gram().gramSeconds() > 0, r.toString());
        assertTrue(r.gram().gemmCpuSeconds() >= 0 && r.gram().gramCpuSeconds() >= 0, r.toString());
        // X with the seed, Z with seed + 1, Z beside X
        assertEquals(dir.resolve("pts_z.npy"), GramBenchmark.crossExport(export));
        assertEquals(0, Npy.read(export).maxAbsDifference(SyntheticData.regression(30, 3, 4).x()));
        assertEquals(0, Npy.read(GramBenchmark.crossExport(export)).maxAbsDifference(
                SyntheticData.regression(12, 3, 5).x()));
        assertThrows(IllegalArgumentException.class, () -> new GramBenchmark.Options(KernelSpec.parse("linear()"), null,
                5, 2, 1, 1, null, -1));
    }

    @Test
    void krrBenchmarkStreamsOneRowPerSizeAndExports() {
        List<KrrBenchmark.Row> seen = new ArrayList<>();
        KrrBenchmark.Result r = KrrBenchmark.run(new KrrBenchmark.Options(KernelSpec.parse("rbf(gamma=0.5)"), 1e-3,
                List.of(30, 60), 20, 3, dir.resolve("krr")), seen::add);
        assertEquals(seen, r.rows());
        assertEquals(List.of(30, 60), r.rows().stream().map(KrrBenchmark.Row::n).toList());
        for (KrrBenchmark.Row row : r.rows()) {
            assertTrue(row.fitSeconds() > 0 && row.predictSeconds() > 0 && row.testRmse() > 0, row.toString());
            assertEquals(row.fitSeconds() + row.predictSeconds(), row.totalSeconds(), 1e-9);
        }
        assertTrue(Files.exists(dir.resolve("krr/pred_60.npy")) && Files.exists(dir.resolve("krr/time_30.txt")));
    }

    @Test
    void svmBenchmarkSplitsScoresAndComputesScaleGamma() {
        SvmBenchmark.Split split = SvmBenchmark.Split.synthetic(120, 40, 5, 7);
        assertEquals(120, split.xTrain().rows());
        assertEquals(40, split.yTest().length);
        SvmBenchmark.Result r = SvmBenchmark.run(new SvmBenchmark.Options(split, null, 1, 16, 64, true, null));
        assertEquals(SvmBenchmark.scaleGamma(split.xTrain()), r.gamma());
        assertEquals("rbf(gamma=" + r.gamma() + ")", r.kernel());
        assertTrue(r.fitSeconds() > 0 && r.testAccuracy() > 0.5 && r.supportVectors() > 0, r.toString());
        assertEquals(1, r.model().solves().size());
        SvmBenchmark.Result fixed = SvmBenchmark.run(new SvmBenchmark.Options(split, KernelSpec.parse("linear()"), 1, 16,
                64, true, null));
        assertTrue(Double.isNaN(fixed.gamma()));
        assertEquals("linear()", fixed.kernel());
    }

    @Test
    void nystromBenchmarkComparesWithExactOnlyWhenAsked() {
        NystromBenchmark.Result r = NystromBenchmark.run(new NystromBenchmark.Options(KernelSpec.parse("rbf(gamma=0.5)"),
                1, 200, 3, 20, 50, 3, 0, null));
        assertNull(r.exact());
        assertTrue(Double.isNaN(r.rmseRatio()));
        assertTrue(r.fitSeconds() > 0 && r.testRmse() > 0 && r.cgIterations() == 3, r.toString());
    }

    @Test
    void balancingBenchmarkSolvesTheSameProblemBothWaysAndRatiosItsTimes() {
        BalancingBenchmark.Result r = BalancingBenchmark.run(new BalancingBenchmark.Options(
                KernelSpec.parse("rbf(length=2)"), 300, 400, 3, 10, 0.01, 0, 1e-7, 60, 5));
        assertEquals(300, r.observedRows());
        assertEquals(10, r.anchors());
        assertTrue(r.dual().converged() && r.primal().converged(), r.toString());
        assertEquals(PrimalBalancing.Stop.CONVERGED, r.primalStop());
        assertTrue(r.dual().maxViolation() <= 1e-7 && r.primal().maxViolation() <= 1e-7, r.toString());
        // one problem, one optimum: the objectives differ by at most the tolerance times the multipliers' size
        assertEquals(r.dual().kl(), r.primal().kl(), 1e-5);
        assertTrue(r.maxWeightDifference() < 1e-2, r.toString());
        assertEquals(r.primal().seconds(), r.phiSeconds() + r.primalSolveSeconds(), 1e-12);
        assertEquals(r.primal().seconds() / r.dual().seconds(), r.ratio());
        double dualSolve = r.dual().seconds() - r.phiSeconds();
        assertEquals(dualSolve > 0 ? r.primalSolveSeconds() / dualSolve : Double.NaN, r.solveRatio());
        assertTrue(r.effectiveSampleSize() > 1 && r.effectiveSampleSize() < 300, r.toString());
        assertThrows(IllegalArgumentException.class, () -> new BalancingBenchmark.Options(KernelSpec.parse("linear()"),
                10, 5, 2, 6, 0, 0, 1e-6, 1, 1));
    }

    @Test
    void balancingDataKeepsRowsWithTheStatedSelectionProbability() {
        int n = 20000;
        BalancingBenchmark.Sample s = BalancingBenchmark.selectionSample(n, n, 3, 9);
        // Reference for E[x0 | kept], E[x1 | kept] by importance sampling: x ~ N(0, I), weights p(x) as documented.
        java.util.Random r = new java.util.Random(1);
        double num = 0;
        double num1 = 0;
        double den = 0;
        for (int i = 0; i < 400_000; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double c = r.nextGaussian();
            double p = 1 / (1 + Math.exp(-(-1 + 0.8 * a - 0.6 * b + 0.4 * a * c)));
            num += p * a;
            num1 += p * b;
            den += p;
        }
        double expected = num / den;
        double observed = s.observed().columnMeans()[0];
        double tol = 4 * 1.1 / Math.sqrt(n) + 4 * 1.1 / Math.sqrt(400_000 * 0.3);
        assertEquals(num1 / den, s.observed().columnMeans()[1], tol);
        assertTrue(num1 / den < -0.2, "the selection shifts x1 by " + num1 / den);
        double target = s.target().columnMeans()[0];
        // standard error of a mean of n rows with sd <= 1.1, plus the reference's own (smaller) error; 4 of them
        assertEquals(expected, observed, tol);
        assertEquals(0, target, 4 / Math.sqrt(n)); // the target is the population
        assertTrue(expected > 0.3, "the selection shifts x0 by " + expected);
    }
}
