package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.spectral.SpectralFilter;

/** The spectral-path benchmark measures what it says: L distinct values per filter, and the fits the API makes. */
class SpectralPathBenchmarkTest {
    @Test
    void everyFilterIsScoredAtTheRequestedNumberOfDistinctValuesAndChoosesWhatTheEstimatorChooses() {
        for (SpectralFilter f : SpectralPathBenchmark.filters()) {
            double[] g = SpectralPathBenchmark.grid(f, 100);
            assertEquals(100, g.length, f.toSpec());
            for (int i = 1; i < g.length; i++) {
                assertTrue(g[i] > g[i - 1], f + " grid not increasing at " + i);
            }
            for (double p : g) {
                f.checkParameter(p); // whole numbers for steps, positive where required
            }
        }
        var kernel = KernelSpec.parse("rbf(gamma=0.5)");
        SpectralPathBenchmark.Result r = SpectralPathBenchmark.run(new SpectralPathBenchmark.Options(kernel, 150, 3, 20),
                row -> { });
        assertEquals(SpectralPathBenchmark.filters().size(), r.rows().size());
        SyntheticData.Regression data = SyntheticData.regression(150, 3, 1150);
        double total = 0;
        for (int i = 0; i < r.rows().size(); i++) {
            SpectralFilter f = SpectralPathBenchmark.filters().get(i);
            SpectralPathBenchmark.Row row = r.rows().get(i);
            assertEquals(f.toSpec(), row.filter());
            assertEquals((r.eigenSeconds() + row.pathSeconds()) / r.eigenSeconds(), row.ratio(), 1e-12);
            total += row.pathSeconds();
            KernelRidgeModel m = KernelRidge.builder(kernel).fitIntercept(true)
                    .filter(f, SpectralPathBenchmark.grid(f, 20), RegularizationPath.Criterion.GCV).build()
                    .fit(data.x(), data.y());
            assertEquals(m.lambda(), row.chosen(), 0, f.toSpec());
        }
        assertEquals((r.eigenSeconds() + total) / r.eigenSeconds(), r.allFiltersRatio(), 1e-12);
    }
}
