package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench commands print the harness's records in their documented line formats. */
class BenchCliTest {
    @Test
    void gramPrintsTimesAndRatios() {
        CliTest.Run r = CliTest.run("bench", "gram", "--n", "60", "--d", "3", "--reps", "1", "--baseline", "linear()");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(6, lines.size(), r.out());
        assertTrue(lines.get(0).matches("gram rbf\\(gamma=0\\.01\\) n=60 d=3 threads=\\d+ ops=.+"), lines.get(0));
        assertTrue(lines.get(1).matches("dgemm_seconds: \\d+\\.\\d{4}"), lines.get(1));
        assertTrue(lines.get(2).matches("gram_seconds: \\d+\\.\\d{4}"), lines.get(2));
        assertTrue(lines.get(3).matches("ratio_gram_over_dgemm: \\d+\\.\\d{3}"), lines.get(3));
        assertTrue(lines.get(4).matches("baseline linear\\(\\) gram_seconds: \\d+\\.\\d{4}"), lines.get(4));
        assertTrue(lines.get(5).matches("ratio_gram_over_baseline: \\d+\\.\\d{3}"), lines.get(5));
    }

    @Test
    void krrPrintsOneRowPerSizeAndBadSizesAreOneLine() {
        CliTest.Run r = CliTest.run("bench", "krr", "--n", "40,80", "--test", "20", "--d", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertEquals("       n      fit_s  predict_s    total_s    test_rmse", lines.get(1));
        assertTrue(lines.get(3).matches(" {6}80 +\\d+\\.\\d{3} +\\d+\\.\\d{3} +\\d+\\.\\d{3} +\\d+\\.\\d{8}"), lines.get(3));
        CliTest.Run bad = CliTest.run("bench", "gram", "--n", "0");
        assertEquals(1, bad.code());
        assertEquals("kernels4j: error: --n, --d and --reps must be positive", bad.err().strip());
    }
}
