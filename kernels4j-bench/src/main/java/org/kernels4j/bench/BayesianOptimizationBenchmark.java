package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.kernels4j.bo.Acquisition;
import org.kernels4j.bo.BayesianOptimizer;
import org.kernels4j.bo.TestFunctions;

/**
 * {@code bench bo}: Bayesian optimization against random search on Branin (2-D), Hartmann-6 and
 * Ackley (d-D, standard domain [−32.768, 32.768]^d) over seeds, and the wall time of one proposal
 * at a given number of observations in 6 dimensions.
 *
 * <p>Quality: for each function, seed and method, the best value after each evaluation; reported as
 * the median over seeds of the gap to the known minimum at checkpoints, and the number of seeds on
 * which BO's best beats random search's at the full budget. Random search draws uniform points in the
 * same unit cube with its own seed (independent of BO's design). Proposal time: the optimizer is
 * told {@code proposalN} Hartmann-6 evaluations at uniform random points, then one {@code ask()} is
 * timed (the hyperparameter fit from the default start plus the acquisition maximization; the least
 * of {@code reps} fresh optimizers), and one more with a warm start (the fit after one extra tell,
 * as in the loop).
 */
public final class BayesianOptimizationBenchmark {
    /**
     * What to run.
     *
     * @param budget evaluations per run
     * @param seeds runs per function and method
     * @param ackleyDims Ackley's dimension
     * @param acquisition the acquisition function
     * @param proposalN observations before the timed proposal (0 skips it)
     * @param reps timed proposals; the least is reported
     * @param functions which of branin, hartmann6, ackley to run
     */
    public record Options(int budget, int seeds, int ackleyDims, Acquisition acquisition, int proposalN, int reps,
            List<String> functions) {
    }

    /**
     * One function's comparison.
     *
     * @param function its name
     * @param checkpoints evaluation counts
     * @param boMedianGap median over seeds of (best value − minimum) for BO at each checkpoint
     * @param randomMedianGap the same for random search
     * @param boWins seeds where BO's final best is below random search's
     * @param seeds seeds run
     * @param seconds wall time of all BO runs of this function
     */
    public record Row(String function, int[] checkpoints, double[] boMedianGap, double[] randomMedianGap, int boWins,
            int seeds, double seconds) {
    }

    /**
     * The proposal timing.
     *
     * @param observations n
     * @param dims d
     * @param coldSeconds one ask() with the hyperparameters learned from the default start (least of reps)
     * @param warmSeconds one ask() after a tell, hyperparameters warm-started (least of reps)
     * @param coldCpuSeconds CPU time of the calling thread in the cold ask() (on a loaded machine wall time
     *     overstates the work; OpenBLAS's own threads are not counted)
     * @param warmCpuSeconds the same for the warm-started ask()
     */
    public record Proposal(int observations, int dims, double coldSeconds, double warmSeconds, double coldCpuSeconds,
            double warmCpuSeconds) {
    }

    private BayesianOptimizationBenchmark() {
    }

    /** Runs the comparison on the three functions, reporting each as it finishes. */
    public static List<Row> compare(Options o, Consumer<Row> sink) {
        List<Row> rows = new ArrayList<>();
        for (TestFunctions.TestFunction f : List.of(TestFunctions.branin(), TestFunctions.hartmann6(),
                TestFunctions.ackley(o.ackleyDims()))) {
            if (!o.functions().contains(f.name().startsWith("ackley") ? "ackley" : f.name())) {
                continue;
            }
            double[][] bo = new double[o.seeds()][];
            double[][] rs = new double[o.seeds()][];
            long t0 = System.nanoTime();
            for (int s = 0; s < o.seeds(); s++) {
                bo[s] = traceOfBo(f, o.acquisition(), o.budget(), s);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (int s = 0; s < o.seeds(); s++) {
                rs[s] = traceOfRandom(f, o.budget(), 1_000_003L * (s + 1));
            }
            int[] checkpoints = checkpoints(o.budget());
            double[] bm = new double[checkpoints.length];
            double[] rm = new double[checkpoints.length];
            for (int c = 0; c < checkpoints.length; c++) {
                bm[c] = medianAt(bo, checkpoints[c] - 1) - f.minimum();
                rm[c] = medianAt(rs, checkpoints[c] - 1) - f.minimum();
            }
            int wins = 0;
            for (int s = 0; s < o.seeds(); s++) {
                if (bo[s][o.budget() - 1] < rs[s][o.budget() - 1]) {
                    wins++;
                }
            }
            Row r = new Row(f.name(), checkpoints, bm, rm, wins, o.seeds(), seconds);
            rows.add(r);
            sink.accept(r);
        }
        return rows;
    }

    /** Best value so far after each BO evaluation. */
    public static double[] traceOfBo(TestFunctions.TestFunction f, Acquisition acquisition, int budget, long seed) {
        BayesianOptimizer bo = BayesianOptimizer.builder(f.space()).acquisition(acquisition).seed(seed).build();
        double[] trace = new double[budget];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < budget; i++) {
            double[] x = bo.ask();
            double v = f.value(x);
            bo = bo.tell(x, v);
            best = Math.min(best, v);
            trace[i] = best;
        }
        return trace;
    }

    /** Best value so far after each uniform random evaluation. */
    public static double[] traceOfRandom(TestFunctions.TestFunction f, int budget, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] trace = new double[budget];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < budget; i++) {
            double[] u = new double[f.space().dimension()];
            for (int j = 0; j < u.length; j++) {
                u[j] = r.nextDouble();
            }
            best = Math.min(best, f.value(f.space().fromUnit(u)));
            trace[i] = best;
        }
        return trace;
    }

    /** Times one proposal at n Hartmann-6 observations, cold and warm-started. */
    public static Proposal proposal(int n, int reps, Acquisition acquisition) {
        TestFunctions.TestFunction f = TestFunctions.hartmann6();
        double cold = Double.POSITIVE_INFINITY;
        double warm = Double.POSITIVE_INFINITY;
        double coldCpu = Double.POSITIVE_INFINITY;
        double warmCpu = Double.POSITIVE_INFINITY;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < reps; rep++) {
            SplittableRandom r = new SplittableRandom(77 + rep);
            BayesianOptimizer bo = BayesianOptimizer.builder(f.space()).acquisition(acquisition).seed(rep).build();
            for (int i = 0; i < n; i++) {
                double[] x = new double[6];
                for (int j = 0; j < 6; j++) {
                    x[j] = r.nextDouble();
                }
                bo = bo.tell(x, f.value(x));
            }
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            double[] x = bo.ask();
            cold = Math.min(cold, (System.nanoTime() - t0) / 1e9);
            coldCpu = Math.min(coldCpu, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
            bo = bo.tell(x, f.value(x));
            t0 = System.nanoTime();
            c0 = threads.getCurrentThreadCpuTime();
            bo.ask();
            warm = Math.min(warm, (System.nanoTime() - t0) / 1e9);
            warmCpu = Math.min(warmCpu, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        return new Proposal(n, 6, cold, warm, coldCpu, warmCpu);
    }

    static int[] checkpoints(int budget) {
        List<Integer> c = new ArrayList<>();
        for (int k = 10; k < budget; k += 10) {
            c.add(k);
        }
        c.add(budget);
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double medianAt(double[][] traces, int index) {
        double[] v = new double[traces.length];
        for (int s = 0; s < v.length; s++) {
            v[s] = traces[s][index];
        }
        Arrays.sort(v);
        int m = v.length;
        return m % 2 == 1 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
    }
}
