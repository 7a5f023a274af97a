package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.privacy.PrivateKernelSum;

/**
 * {@code bench private-kde}: the error of ε-differentially private kernel sums (random features plus
 * Laplace noise, {@link PrivateKernelSum}) against the exact sums Σⱼ k(q, xⱼ), and their query time,
 * for each feature count and ε, on seeded data ({@link SyntheticData#regression} inputs; points seed
 * 21, queries seed 22; frequency seeds 100 + r; the noise is the library's secure, unseeded discrete Laplace, so the noise part of
 * the error varies from run to run). Times are wall-clock.
 */
public final class PrivateKdeBenchmark {
    /**
     * What to run.
     *
     * @param kernel the kernel
     * @param n private points
     * @param queries queries
     * @param d dimension
     * @param epsilons privacy levels
     * @param featureCounts random feature counts D
     * @param repeats releases per setting, averaged
     */
    public record Options(Kernel kernel, int n, int queries, int d, List<Double> epsilons, List<Integer> featureCounts,
            int repeats) {
        /** Copies the lists. */
        public Options {
            epsilons = List.copyOf(epsilons);
            featureCounts = List.copyOf(featureCounts);
        }
    }

    /**
     * One (D, ε) setting, averaged over the repeats.
     *
     * @param epsilon privacy level
     * @param features random features D
     * @param meanRelativeError mean over queries and repeats of |estimate − exact| / exact
     * @param predictedNoise the Laplace term's standard deviation relative to the mean exact sum
     * @param microsPerQuery query time of the private structure, µs per query
     */
    public record Row(double epsilon, int features, double meanRelativeError, double predictedNoise,
            double microsPerQuery) {
    }

    /**
     * What was measured.
     *
     * @param exactSeconds time of the exact sums for all queries, s
     * @param rows one per setting, feature counts outermost
     */
    public record Result(double exactSeconds, List<Row> rows) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }
    }

    private PrivateKdeBenchmark() {
    }

    /**
     * Times the exact sums (reported to {@code onExact} in seconds), then every setting
     * ({@code onRow} receives each row as soon as it is measured).
     */
    public static Result run(Options o, DoubleConsumer onExact, Consumer<Row> onRow) {
        Kernel k = o.kernel();
        int n = o.n();
        int queries = o.queries();
        int repeats = o.repeats();
        Matrix x = SyntheticData.regression(n, o.d(), 21).x();
        Matrix q = SyntheticData.regression(queries, o.d(), 22).x();
        Matrix ones = new Matrix(n, 1);
        java.util.Arrays.fill(ones.data(), 1.0);
        long e0 = System.nanoTime();
        double[] exact = GramEngine.crossTimes(k, q, x, ones, ProgressListener.NONE).data();
        double exactSeconds = (System.nanoTime() - e0) / 1e9;
        onExact.accept(exactSeconds);
        List<Row> rows = new ArrayList<>();
        for (int features : o.featureCounts()) {
            for (double eps : o.epsilons()) {
                double err = 0;
                double seconds = 0;
                double noise = 0;
                for (int r = 0; r < repeats; r++) {
                    PrivateKernelSum p = PrivateKernelSum.builder(k).features(features).epsilon(eps).frequencySeed(100 + r)
                            .build().fit(x); // the noise: secure and unseeded, as in every real release
                    long t0 = System.nanoTime();
                    double[] est = p.sums(q);
                    seconds += (System.nanoTime() - t0) / 1e9;
                    for (int i = 0; i < queries; i++) {
                        err += Math.abs(est[i] - exact[i]) / exact[i] / (queries * repeats);
                    }
                    double meanExact = 0;
                    for (double v : exact) {
                        meanExact += v / queries;
                    }
                    noise = n * p.noiseStandardDeviation() / meanExact;
                }
                Row row = new Row(eps, features, err, noise, 1e6 * seconds / (queries * repeats));
                rows.add(row);
                onRow.accept(row);
            }
        }
        return new Result(exactSeconds, rows);
    }
}
