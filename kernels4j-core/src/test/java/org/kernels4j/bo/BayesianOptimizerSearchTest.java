package org.kernels4j.bo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The check at a small budget: on standard test functions the best value BO finds beats
 * random search with the same number of evaluations, in the median over seeds.
 */
class BayesianOptimizerSearchTest {
    static double bestOfBo(TestFunctions.TestFunction f, Acquisition acquisition, int budget, long seed) {
        BayesianOptimizer bo = BayesianOptimizer.builder(f.space()).acquisition(acquisition).seed(seed)
                .rawSamples(128).starts(2).build();
        while (bo.observations().size() < budget) {
            double[] x = bo.ask();
            bo = bo.tell(x, f.value(x));
        }
        return bo.best().value();
    }

    static double bestOfRandom(TestFunctions.TestFunction f, int budget, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 1000);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < budget; i++) {
            double[] u = new double[f.space().dimension()];
            for (int j = 0; j < u.length; j++) {
                u[j] = r.nextDouble();
            }
            best = Math.min(best, f.value(f.space().fromUnit(u)));
        }
        return best;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void beatsRandom(TestFunctions.TestFunction f, int budget, int seeds) {
        double[] bo = new double[seeds];
        double[] rs = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            bo[s] = bestOfBo(f, Acquisition.expectedImprovement(), budget, s) - f.minimum();
            rs[s] = bestOfRandom(f, budget, s) - f.minimum();
        }
        assertTrue(median(bo) < median(rs), f.name() + ": BO median gap " + median(bo) + " vs random " + median(rs));
    }

    /** Branin at 15 evaluations (5 of them the initial design), 3 seeds; the benchmark runs all three functions. */
    @Test
    void braninBeatsRandomSearch() {
        beatsRandom(TestFunctions.branin(), 15, 3);
    }
}
