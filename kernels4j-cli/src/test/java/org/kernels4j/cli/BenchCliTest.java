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
        assertEquals(10, lines.size(), r.out());
        assertTrue(lines.get(0).matches("gram rbf\\(gamma=0\\.01\\) n=60 d=3 threads=\\d+ ops=.+"), lines.get(0));
        assertTrue(lines.get(1).startsWith("BLAS: "), lines.get(1));
        assertTrue(lines.get(2).matches("dgemm_seconds: \\d+\\.\\d{4}"), lines.get(2));
        assertTrue(lines.get(3).matches("gram_seconds: \\d+\\.\\d{4}"), lines.get(3));
        assertTrue(lines.get(4).matches("ratio_gram_over_dgemm: \\d+\\.\\d{3}"), lines.get(4));
        assertTrue(lines.get(5).matches("dgemm_cpu_seconds: \\d+\\.\\d{4}"), lines.get(5));
        assertTrue(lines.get(6).matches("gram_cpu_seconds: \\d+\\.\\d{4}"), lines.get(6));
        // a tiny run may read 0 CPU seconds on the 10 ms clock: the ratio is then NaN or Infinity
        assertTrue(lines.get(7).matches("ratio_gram_over_dgemm_cpu: (\\d+\\.\\d{3}|NaN|Infinity)"), lines.get(7));
        assertTrue(lines.get(8).matches("baseline linear\\(\\) gram_seconds: \\d+\\.\\d{4}"), lines.get(8));
        assertTrue(lines.get(9).matches("ratio_gram_over_baseline: \\d+\\.\\d{3}"), lines.get(9));

        CliTest.Run cross = CliTest.run("bench", "gram", "--n", "50", "--cross", "20", "--d", "3", "--reps", "1");
        assertEquals(0, cross.code(), cross.err());
        List<String> crossLines = cross.out().lines().toList();
        assertEquals(8, crossLines.size(), cross.out());
        assertTrue(crossLines.get(0).matches("cross rbf\\(gamma=0\\.01\\) n=50 m=20 d=3 threads=\\d+ ops=.+"),
                crossLines.get(0));

        CliTest.Run negative = CliTest.run("bench", "gram", "--n", "50", "--cross", "-2");
        assertEquals(2, negative.code());
        assertEquals("kernels4j: error: --cross must be a positive number of points (or 0 for K(X, X)), got -2"
                + " (see 'kernels4j bench gram --help')", negative.err().strip());
    }

    @Test
    void dkmPrintsTheEvaluationAgainstOneCholesky() {
        CliTest.Run r = CliTest.run("bench", "dkm", "--n", "40", "--d", "5", "--repeats", "1", "--warmup", "0",
                "--map", "se(length=2)");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).matches("dkm se\\(length=2\\) layers=2 n=40 d=5 threads=\\d+ parameters=1640"), lines.get(0));
        assertTrue(lines.get(1).matches("objective\\+gradient \\d+\\.\\d{4} s, cholesky \\d+\\.\\d{4} s, ratio \\d+\\.\\d{2}"),
                lines.get(1));
        assertTrue(lines.get(2).matches("cholesky on one thread \\d+\\.\\d{4} s, ratio \\d+\\.\\d{2}"), lines.get(2));
        CliTest.Run bad = CliTest.run("bench", "dkm", "--d", "3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().strip().startsWith("kernels4j: "), bad.err());
    }

    @Test
    void krrPrintsOneRowPerSizeAndBadSizesAreOneLine() {
        CliTest.Run r = CliTest.run("bench", "krr", "--n", "40,80", "--test", "20", "--d", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertEquals("       n      fit_s  predict_s    total_s    test_rmse  steps   residual  path", lines.get(1));
        String times = " +\\d+\\.\\d{3} +\\d+\\.\\d{3} +\\d+\\.\\d{3} +\\d+\\.\\d{8}";
        assertTrue(lines.get(3).matches(" {6}80" + times + " +0 +NaN  double"), lines.get(3));
        CliTest.Run mixed = CliTest.run("bench", "krr", "--n", "80", "--test", "20", "--d", "3", "--precision", "mixed");
        assertEquals(0, mixed.code(), mixed.err());
        List<String> mixedLines = mixed.out().lines().toList();
        assertTrue(mixedLines.get(0).endsWith(" precision=mixed"), mixedLines.get(0));
        assertTrue(mixedLines.get(2).matches(" {6}80" + times + " +[1-9]\\d* +\\d\\.\\d{2}e-\\d+  mixed"), mixedLines.get(2));
        // the same data and λ: the test RMSE of the two paths agrees to the printed digits
        assertEquals(lines.get(3).split(" +")[5], mixedLines.get(2).split(" +")[5]);
        CliTest.Run word = CliTest.run("bench", "krr", "--n", "80", "--precision", "half");
        assertTrue(word.code() != 0);
        assertEquals("kernels4j: error: unknown precision 'half'; expected double, mixed or auto", word.err().strip());
        CliTest.Run bad = CliTest.run("bench", "gram", "--n", "0");
        assertEquals(2, bad.code());
        assertEquals("kernels4j: error: --n, --d and --reps must be positive (see 'kernels4j bench gram --help')",
                bad.err().strip());
    }

    @Test
    void balancePrintsBothSolversAndTheirRatio() {
        CliTest.Run r = CliTest.run("bench", "balance", "--n", "200", "--target", "300", "--anchors", "8", "--d", "3",
                "--kernel", "rbf(length=2)", "--tolerance", "1e-6", "--primal-cap-seconds", "30");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(11, lines.size(), r.out());
        assertEquals("balance rbf(length=2) n=200 target=300 d=3 m=8 C=0.01 ridge=0.0 tolerance=1.0E-6 threads="
                + lines.get(0).replaceAll(".*threads=", ""), lines.get(0));
        assertTrue(lines.get(2).matches("phi_seconds: \\d+\\.\\d{3}"), lines.get(2));
        String solver = " +\\d+\\.\\d{3} +\\d+ +\\d+ +-?\\d+\\.\\d{10} +-?\\d+\\.\\d{10} +\\d\\.\\d{3}e[-+]\\d+ +true";
        assertTrue(lines.get(4).matches("dual   " + solver), lines.get(4));
        assertTrue(lines.get(5).matches("primal " + solver), lines.get(5));
        assertTrue(lines.get(6).matches("primal_stop: converged \\(outer iterations \\d+, solve \\d+\\.\\d{3} s, cap 30 s\\)"),
                lines.get(6));
        assertTrue(lines.get(9).matches("ratio_primal_over_dual: \\d+\\.\\d{2}"), lines.get(9));
        CliTest.Run bad = CliTest.run("bench", "balance", "--n", "20", "--target", "5", "--anchors", "6");
        assertEquals(2, bad.code());
        assertEquals("kernels4j: error: --n, --target, --d and --anchors must be >= 1, with --anchors at most the target"
                + " rows (see 'kernels4j bench balance --help')", bad.err().strip());
    }

    @Test
    void thinPrintsOneRowPerCoreset() {
        CliTest.Run r = CliTest.run("bench", "thin", "--n", "1024", "--size", "32", "--kt-n", "256", "--d", "2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(7, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("thin n=1024 size=32 kt_n=256 d=[2] g=4 seed=1 reps=1 threads="), lines.get(0));
        String number = "\\d+\\.\\d+(e-\\d+)?";
        assertTrue(lines.get(2).matches("kt +2 +256 +16 +" + number + " +" + number + " +" + number), lines.get(2));
        assertTrue(lines.get(3).startsWith("compress++"), lines.get(3));
        assertTrue(lines.get(5).matches("compress\\+\\+ +2 +1024 +32 +" + number + " +" + number + " +-"), lines.get(5));
        CliTest.Run bad = CliTest.run("bench", "thin", "--n", "8");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--n must be 0 or at least 16"), bad.err());
    }

    @Test
    void thinSeedsSweepPrintsMedianRatiosOfItsPerSeedMmds() {
        CliTest.Run r = CliTest.run("bench", "thin", "--kt-n", "256", "--d", "2", "--seeds", "3", "--g-values", "0,1");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("thin quality n=256 d=[2] g=[0, 1] seeds=3"), lines.get(0));
        for (int row = 2; row < 4; row++) {
            String[] f = lines.get(row).trim().split(" +");
            assertEquals(String.valueOf(row - 2), f[1], lines.get(row));
            // the median of the per-seed ratios, recomputed from the printed per-seed MMDs (4 digits)
            double[] ratios = new double[3];
            for (int s = 0; s < 3; s++) {
                String[] pair = f[f.length - 3 + s].split("/");
                ratios[s] = Double.parseDouble(pair[1]) / Double.parseDouble(pair[0]);
            }
            java.util.Arrays.sort(ratios);
            assertEquals(ratios[1], Double.parseDouble(f[2]), 2e-3 * ratios[1] + 1e-3, lines.get(row));
            assertEquals(ratios[0], Double.parseDouble(f[3].replaceAll("[\\[,]", "")), 2e-3 * ratios[0] + 1e-3, lines.get(row));
        }
        CliTest.Run bad = CliTest.run("bench", "thin", "--kt-n", "0", "--seeds", "2");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--seeds needs --kt-n at least 16"), bad.err());
    }
}
