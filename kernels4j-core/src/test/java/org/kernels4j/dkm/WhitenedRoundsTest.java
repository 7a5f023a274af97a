package org.kernels4j.dkm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.optim.BoundedLbfgs;

/**
 * The restart loop of {@link WhitenedRounds} on a quadratic f(x) = offset + ½Σ c_i x_i² whose "whitening" re-centres at
 * the current point and scales by fixed w (x = x₀ + w∘θ): this test counts the objective's calls and the re-whitenings
 * itself and checks the loop's bookkeeping against them (evaluations summed over the runs, the iteration limit shared,
 * at most {@value WhitenedRounds#MAX_ROUNDS} runs, one run when the first reaches the gradient tolerance) and the
 * minimum x = 0 in the original coordinates.
 */
class WhitenedRoundsTest {
    private static final class Quadratic implements WhitenedRounds.Whitenable {
        final double[] c;
        final double[] w;
        final double offset;
        double[] origin;
        int whitenings;
        int calls;

        Quadratic(double[] c, double[] w, double offset) {
            this.c = c;
            this.w = w;
            this.offset = offset;
        }

        @Override
        public double[] whiten(double[] factors) {
            origin = factors.clone();
            whitenings++;
            return new double[factors.length];
        }

        @Override
        public double[] factors(double[] theta) {
            double[] x = origin.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] += w[i] * theta[i];
            }
            return x;
        }

        @Override
        public double valueAndGradient(double[] theta, double[] gradient) {
            calls++;
            double[] x = factors(theta);
            double f = offset;
            for (int i = 0; i < x.length; i++) {
                f += 0.5 * c[i] * x[i] * x[i];
                if (gradient != null) {
                    gradient[i] = w[i] * c[i] * x[i];
                }
            }
            return f;
        }
    }

    @Test
    void oneRunWhenTheGradientToleranceIsReached() {
        Quadratic q = new Quadratic(new double[] {1, 4}, new double[] {1, 1}, 0);
        BoundedLbfgs.Result r = WhitenedRounds.minimize(q, new double[] {3, -2}, 100, 1e-4);
        assertEquals(BoundedLbfgs.Stop.GRADIENT, r.stop());
        assertEquals(1, q.whitenings);
        assertEquals(q.calls, r.evaluations());
        assertTrue(r.iterations() >= 2 && r.iterations() <= r.evaluations(), r.iterations() + " iterations");
        assertEquals(0, r.x()[0], 1e-4);
        assertEquals(0, r.x()[1], 1e-4);
    }

    /**
     * A badly scaled quadratic under a large constant: the relative-decrease rule (2.2e-9 of |f| ≈ 2200 per step) stops
     * runs before the gradient tolerance, so the loop restarts; whatever the number of runs, the counts add up, the
     * iteration limit holds across runs, and there are at most five.
     */
    @Test
    void restartsShareTheIterationLimitAndAreCounted() {
        for (int limit : new int[] {3, 1000}) {
            Quadratic q = new Quadratic(new double[] {1, 1e6}, new double[] {1, 1}, 1e12);
            BoundedLbfgs.Result r = WhitenedRounds.minimize(q, new double[] {3e4, 50}, limit, 1e-12);
            assertTrue(r.iterations() <= limit, r.iterations() + " iterations, limit " + limit);
            assertTrue(q.whitenings >= 1 && q.whitenings <= WhitenedRounds.MAX_ROUNDS, q.whitenings + " runs");
            assertEquals(q.calls, r.evaluations(), "evaluations summed over " + q.whitenings + " runs");
            double fx = q.offset + 0.5 * (q.c[0] * r.x()[0] * r.x()[0] + q.c[1] * r.x()[1] * r.x()[1]);
            assertEquals(fx, r.value(), 1e-9 * fx, "the value is the returned point's");
            if (limit == 1000) {
                assertTrue(q.whitenings >= 2, "the relative-decrease stop triggers a restart: " + q.whitenings + " " + r.stop() + " " + r.iterations() + " " + java.util.Arrays.toString(r.x()));
            }
        }
    }

    /**
     * A stub whose every run stops short of the gradient tolerance yet gains: f = e^(−θ) − 10·s, where s counts the
     * re-whitenings so far and each whitening restarts at θ = 0 (a stub for the loop's rules, not a real change of
     * coordinates: the constant drops by 10 per run). e^(−θ) has no minimizer and a gradient that never vanishes, so
     * with gradient tolerance 0 every run ends on the relative-decrease rule after many iterations, 10 below the
     * previous run's value. The documented rules then allow exactly {@value WhitenedRounds#MAX_ROUNDS} runs; with
     * an iteration limit that the runs reach part way, the runs' iterations add up to the limit exactly.
     */
    @Test
    void runsThatAlwaysGainStopAtTheRoundCapAndTheSharedLimit() {
        final class Stages implements WhitenedRounds.Whitenable {
            int whitenings;
            int calls;

            @Override
            public double[] whiten(double[] factors) {
                whitenings++;
                return new double[] {0};
            }

            @Override
            public double[] factors(double[] theta) {
                return theta.clone();
            }

            @Override
            public double valueAndGradient(double[] theta, double[] gradient) {
                calls++;
                double e = Math.exp(-theta[0]);
                if (gradient != null) {
                    gradient[0] = -e;
                }
                return e - 10.0 * whitenings;
            }
        }
        Stages free = new Stages();
        BoundedLbfgs.Result r = WhitenedRounds.minimize(free, new double[] {0}, 100_000, 0);
        assertEquals(WhitenedRounds.MAX_ROUNDS, free.whitenings);
        assertTrue(r.stop() != BoundedLbfgs.Stop.GRADIENT && r.stop() != BoundedLbfgs.Stop.ITERATIONS, r.stop().toString());
        assertEquals(free.calls, r.evaluations());
        assertEquals(-10.0 * WhitenedRounds.MAX_ROUNDS, r.value(), 1e-6);
        int perRun = r.iterations() / WhitenedRounds.MAX_ROUNDS;
        assertTrue(perRun >= 4, r.iterations() + " iterations in all");
        // a limit reached in the second run: that run gets only what the first left
        int limit = perRun + perRun / 2;
        Stages capped = new Stages();
        BoundedLbfgs.Result c = WhitenedRounds.minimize(capped, new double[] {0}, limit, 0);
        assertEquals(2, capped.whitenings);
        assertEquals(limit, c.iterations());
        assertEquals(BoundedLbfgs.Stop.ITERATIONS, c.stop());
    }
}
