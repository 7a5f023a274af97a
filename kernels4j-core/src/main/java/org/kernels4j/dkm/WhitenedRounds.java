package org.kernels4j.dkm;

import java.util.Arrays;
import org.kernels4j.optim.BoundedLbfgs;

/**
 * L-BFGS on a DKM objective in whitened factors, restarted from the point reached: the one fitting loop of the
 * exact ({@link DeepKernelMachine}) and the full-batch sparse ({@link SparseDeepKernelMachine}) machines.
 *
 * <p>Each run whitens at the current factors (V = W·V', V' = I there: the KL terms' curvature, K⁻¹ ⊗ I in V, is
 * about the identity in V' as long as G stays near W·Wᵀ) and minimizes over V'; when a run stops short of the
 * gradient tolerance the factors are re-whitened at the point reached and L-BFGS restarts, at most
 * {@value #MAX_ROUNDS} runs in all, sharing the iteration limit, until a run reaches the tolerance, takes at most
 * one iteration, or gains less than L-BFGS's relative-decrease threshold over the previous run.
 */
final class WhitenedRounds {
    /** At most this many L-BFGS runs per fit. */
    static final int MAX_ROUNDS = 5;
    /** L-BFGS's relative-decrease stop (scipy's factr = 1e7), also the least relative gain that earns another run. */
    static final double RELATIVE_DECREASE = 1e7 * Math.ulp(1.0);

    /** An objective whose parameterization can be re-whitened at a point. */
    interface Whitenable extends BoundedLbfgs.Objective {
        /** Switches to factors whitened at {@code factors} (unwhitened packing); returns that point in the new one. */
        double[] whiten(double[] factors);

        /** The unwhitened packing of θ in the current parameterization. */
        double[] factors(double[] theta);
    }

    private WhitenedRounds() {
    }

    /**
     * Minimizes from {@code factors}; the result's x is in the unwhitened packing, its value and gradient are the
     * last run's (gradient in that run's whitened coordinates), iterations and evaluations summed over the runs.
     */
    static BoundedLbfgs.Result minimize(Whitenable objective, double[] factors, int maxIterations,
            double gradientTolerance) {
        double[] lower = new double[factors.length];
        double[] upper = new double[factors.length];
        Arrays.fill(lower, Double.NEGATIVE_INFINITY);
        Arrays.fill(upper, Double.POSITIVE_INFINITY);
        double[] at = factors;
        BoundedLbfgs.Result round = null;
        int iterations = 0;
        int evaluations = 0;
        for (int k = 0; k < MAX_ROUNDS && iterations < maxIterations; k++) {
            double[] whitenedStart = objective.whiten(at);
            double before = k == 0 ? Double.NaN : round.value();
            round = BoundedLbfgs.defaults().withMaxIterations(maxIterations - iterations)
                    .withTolerances(gradientTolerance, RELATIVE_DECREASE)
                    .minimize(objective, whitenedStart, lower, upper);
            iterations += round.iterations();
            evaluations += round.evaluations();
            at = objective.factors(round.x());
            boolean settled = k > 0 && before - round.value() <= RELATIVE_DECREASE * Math.max(1, Math.abs(before));
            if (round.stop() == BoundedLbfgs.Stop.GRADIENT || round.iterations() <= 1 || settled) {
                break;
            }
        }
        return new BoundedLbfgs.Result(at, round.value(), round.gradient(), iterations, evaluations, round.stop());
    }
}
