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
}
