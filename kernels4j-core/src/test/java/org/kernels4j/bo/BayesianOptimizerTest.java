package org.kernels4j.bo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.KernelSpec;

/** The ask/tell contract: immutability, determinism, the initial design, batches, integers and goals. */
class BayesianOptimizerTest {
    private static final SearchSpace SPACE = SearchSpace.builder().continuous("x", -2, 2).integer("k", 0, 4).build();

    private static double objective(double[] p) {
        return (p[0] - 0.7) * (p[0] - 0.7) + 0.3 * (p[1] - 3) * (p[1] - 3);
    }

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    private static BayesianOptimizer run(BayesianOptimizer bo, int evaluations) {
        for (int i = 0; i < evaluations; i++) {
            double[] p = bo.ask();
            bo = bo.tell(p, objective(p));
        }
        return bo;
    }

    @Test
    void initialDesignIsALatinHypercube() {
        SearchSpace s = SearchSpace.box(new double[] {0, 0, 0}, new double[] {1, 1, 1});
        BayesianOptimizer bo = BayesianOptimizer.builder(s).initialPoints(7).seed(3).build();
        assertEquals(7, bo.initialPoints());
        List<double[]> design = bo.ask(7);
        for (int f = 0; f < 3; f++) {
            boolean[] stratum = new boolean[7];
            for (double[] p : design) {
                stratum[(int) Math.floor(p[f] * 7)] = true;
            }
            for (boolean hit : stratum) {
                assertTrue(hit, "every seventh of coordinate " + f + " holds one point");
            }
        }
        // asking is pure: the same points again, and the design continues where the observations end
        assertArrayEquals(design.get(0), bo.ask(), 0);
        BayesianOptimizer told = bo.tell(design.get(0), 1.0).tell(design.get(1), 2.0);
        assertArrayEquals(design.get(2), told.ask(), 0);
        assertEquals(Math.max(5, 2 * 3), BayesianOptimizer.builder(s).build().initialPoints());
        assertEquals(8, BayesianOptimizer.builder(SearchSpace.box(new double[4], new double[] {1, 1, 1, 1})).build()
                .initialPoints());
    }

    @Test
    void tellReturnsANewOptimizerAndKeepsTheOldOne() {
        BayesianOptimizer empty = BayesianOptimizer.builder(SPACE).seed(1).build();
        double[] p = {0.5, 2};
        BayesianOptimizer one = empty.tell(p, 3.0);
        assertNotSame(empty, one);
        assertEquals(0, empty.observations().size());
        assertEquals(1, one.observations().size());
        p[0] = 1.5; // the caller's array is copied
        assertEquals(0.5, one.observations().get(0).point()[0], 0);
        one.observations().get(0).point()[0] = 9; // and so is the returned one
        assertEquals(0.5, one.observations().get(0).point()[0], 0);
        assertThrows(UnsupportedOperationException.class, () -> one.observations().add(new Observation(p, 1)));
        refused(() -> one.tell(new double[] {0.5, 2.5}, 1), "must be an integer");
        refused(() -> one.tell(new double[] {3, 2}, 1), "outside");
        refused(() -> one.tell(new double[] {0.5, 2}, Double.NaN), "not finite");
        refused(() -> one.ask(0), "at least 1 point");
        refused(() -> empty.best(), "no observations");
        refused(() -> one.posterior(), "at least 2 observations");
    }

    @Test
    void findsTheMinimumOfAQuadraticWithAnIntegerParameter() {
        BayesianOptimizer bo = run(BayesianOptimizer.builder(SPACE).seed(2).rawSamples(128).starts(2).build(), 14);
        Observation best = bo.best();
        assertEquals(3, best.point()[1], 0);
        assertEquals(0.7, best.point()[0], 0.1);
        for (Observation o : bo.observations()) {
            assertEquals(Math.rint(o.point()[1]), o.point()[1], 0);
            assertTrue(o.value() >= best.value());
        }
        // asking is pure, and a seed fixes the design: the same seed the same points, another seed others
        assertArrayEquals(bo.ask(), bo.ask(), 0);
        BayesianOptimizer a = BayesianOptimizer.builder(SPACE).seed(2).build();
        BayesianOptimizer b = BayesianOptimizer.builder(SPACE).seed(3).build();
        assertArrayEquals(a.ask(4).get(3), BayesianOptimizer.builder(SPACE).seed(2).build().ask(4).get(3), 0);
        assertTrue(a.ask(4).get(3)[0] != b.ask(4).get(3)[0]);
    }

    @Test
    void maximizingLooksForTheLargestValue() {
        BayesianOptimizer bo = BayesianOptimizer.builder(SPACE).goal(BayesianOptimizer.Goal.MAXIMIZE).initialPoints(6)
                .seed(4).build();
        for (int i = 0; i < 8; i++) {
            double[] p = bo.ask();
            bo = bo.tell(p, -objective(p));
        }
        Observation best = bo.best();
        Observation worst = bo.observations().get(0);
        for (Observation o : bo.observations()) {
            assertTrue(o.value() <= best.value());
            worst = o.value() < worst.value() ? o : worst;
        }
        // the posterior models the value itself when maximizing (not its negation): its mean interpolates
        assertEquals(best.value(), bo.posterior().mean(SPACE.toUnit(best.point())), 0.01 * (best.value() - worst.value()));
        assertEquals(worst.value(), bo.posterior().mean(SPACE.toUnit(worst.point())),
                0.01 * (best.value() - worst.value()));
        BayesianOptimizer min = BayesianOptimizer.builder(SPACE).build().tell(bo.observations());
        assertEquals(worst, min.best()); // the same observations, the other goal
    }

    @Test
    void batchProposalsAreDistinctAndDecreaseTheAcquisition() {
        SearchSpace s = SearchSpace.box(new double[] {0, 0}, new double[] {1, 1});
        BayesianOptimizer bo = BayesianOptimizer.builder(s).initialPoints(6).seed(5).build();
        for (int i = 0; i < 6; i++) {
            double[] p = bo.ask();
            bo = bo.tell(p, TestFunctions.branin(TestFunctions.branin().space().fromUnit(p)));
        }
        List<double[]> batch = bo.ask(3);
        assertEquals(3, batch.size());
        assertArrayEquals(bo.ask(), batch.get(0), 0); // the first of a batch is the single proposal
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < i; j++) {
                double dx = batch.get(i)[0] - batch.get(j)[0];
                double dy = batch.get(i)[1] - batch.get(j)[1];
                assertTrue(Math.hypot(dx, dy) > 1e-3, "batch points " + i + " and " + j + " coincide");
            }
        }
        // the single proposal maximizes EI: no raw point scores higher
        double best = bo.acquisitionValue(batch.get(0));
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int t = 0; t < 200; t++) {
            double[] p = {r.nextDouble(), r.nextDouble()};
            assertTrue(bo.acquisitionValue(p) <= best * (1 + 1e-9) + 1e-15);
        }
    }

    @Test
    void everyAcquisitionAndSurrogateProposesInsideTheSpace() {
        SearchSpace s = SearchSpace.builder().continuous("x", -1, 1).logScale("lr", 1e-3, 1).build();
        Surrogate[] surrogates = {Surrogate.matern52(), Surrogate.studentT(KernelSpec.parse("matern(nu=2.5, length=0.3)"), 5),
            Surrogate.gaussianProcess(KernelSpec.parse("nngp(depth=2)")).noise(1e-4)};
        for (Surrogate sur : surrogates) {
            for (String a : sur == surrogates[0] ? new String[] {"ei", "pi", "ucb", "kg", "nei"} : new String[] {"ei"}) {
                BayesianOptimizer bo = BayesianOptimizer.builder(s).acquisition(Acquisition.parse(a)).surrogate(sur)
                        .initialPoints(4).rawSamples(64).starts(2).seed(6).build();
                for (int i = 0; i < 4; i++) {
                    double[] p = bo.ask();
                    bo = bo.tell(p, p[0] * p[0] + Math.log10(p[1]) * Math.log10(p[1]));
                }
                for (double[] p : bo.ask(2)) {
                    s.requireInside(p);
                }
            }
        }
    }

    @Test
    void builderChecksItsOptions() {
        refused(() -> BayesianOptimizer.builder(null), "search space");
        refused(() -> BayesianOptimizer.builder(SPACE).initialPoints(0).build(), "at least 1 point");
        refused(() -> BayesianOptimizer.builder(SPACE).starts(0).build(), ">= 1 start");
        refused(() -> BayesianOptimizer.builder(SPACE).rawSamples(0).build(), "raw sample");
        refused(() -> BayesianOptimizer.builder(SPACE).acquisition(null).build(), "acquisition");
        refused(() -> Surrogate.studentT(KernelSpec.parse("rbf(length=1)"), 2), "degrees of freedom > 2");
        refused(() -> Surrogate.matern52().noise(-1), "noise variance");
        refused(() -> Surrogate.matern52().restarts(-1), "restarts");
        refused(() -> Surrogate.gaussianProcess(null), "needs a kernel");
    }
}
