package org.kernels4j.bench;

import org.kernels4j.approx.Landmarks;
import org.kernels4j.gp.Likelihood;
import org.kernels4j.gp.SparseVariationalGaussianProcess;
import org.kernels4j.gp.SparseVariationalGaussianProcessModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * {@code bench svgp}: sparse variational GP classification at large n. Data: {@link SyntheticData#classification}
 * (x ~ U[−1, 1]^d, a curved class boundary with label noise; labels mapped to 0/1), training seed {@code seed},
 * test seed {@code seed + 1}. After an untimed warm-up fit on 2,000 rows (JIT compilation), one timed fit: inducing
 * points by k-means++ (timed apart), then {@code epochs} passes of minibatch natural-gradient steps (timed: wall
 * and process CPU seconds, all threads). Memory: the process's peak resident set (VmHWM) after the run, next to
 * the n·d·8 bytes the training inputs take themselves. Quality: test log-loss and accuracy of the trained model
 * and of the untrained start q(v) = N(0, I) (the prior: p = ½ everywhere, so log-loss ln 2 and the accuracy of
 * always answering 0).
 */
public final class SvgpBenchmark {
    /**
     * What to run.
     *
     * @param kernel the (fixed unless {@code learn}) kernel
     * @param likelihood probit or logit
     * @param n training rows (≥ 1)
     * @param d features (≥ 5)
     * @param inducing m
     * @param batchSize rows per batch
     * @param epochs passes over the training rows
     * @param test test rows (≥ 1)
     * @param learn also learn the hyperparameters and the inducing inputs (Adam)
     * @param seed data seed
     */
    public record Options(Kernel kernel, Likelihood likelihood, int n, int d, int inducing, int batchSize, int epochs,
            int test, boolean learn, long seed) {
        /** Checks the sizes. */
        public Options {
            if (n < 1 || d < 5 || test < 1 || inducing < 1 || inducing > n || batchSize < 1 || epochs < 1) {
                throw new IllegalArgumentException("need n, test, batch size, epochs >= 1, d >= 5 and 1 <= inducing <= n");
            }
        }
    }

    /**
     * What was measured.
     *
     * @param selectSeconds choosing the inducing points (k-means++), wall s
     * @param trainSeconds the epochs, wall s
     * @param trainCpuSeconds the epochs, process CPU s (NaN where unavailable)
     * @param steps minibatch steps taken
     * @param maxResidentBytes VmHWM after the run (−1 where /proc is unavailable)
     * @param dataBytes the training inputs' own size, n·d·8
     * @param elboEstimate the fit's ELBO estimate (last epoch)
     * @param testLogLoss the trained model's mean test log-loss
     * @param testAccuracy the trained model's test accuracy
     * @param startLogLoss the untrained start's (ln 2)
     * @param startAccuracy the untrained start's (share of class 0 in the test rows)
     * @param kernel the kernel at the end
     */
    public record Result(double selectSeconds, double trainSeconds, double trainCpuSeconds, long steps,
            long maxResidentBytes, long dataBytes, double elboEstimate, double testLogLoss, double testAccuracy,
            double startLogLoss, double startAccuracy, String kernel) {
        /** Wall seconds per epoch. */
        public double secondsPerEpoch(int epochs) {
            return trainSeconds / epochs;
        }
    }

    private SvgpBenchmark() {
    }

    /** 0/1 labels as an n×1 matrix. */
    static Matrix binary(double[] pm) {
        Matrix y = new Matrix(pm.length, 1);
        for (int i = 0; i < pm.length; i++) {
            y.set(i, 0, pm[i] > 0 ? 1 : 0);
        }
        return y;
    }

    /** Generates the data, warms up, times one fit and scores it. */
    public static Result run(Options o) {
        SyntheticData.Classification tr = SyntheticData.classification(o.n(), o.d(), o.seed());
        SyntheticData.Classification te = SyntheticData.classification(o.test(), o.d(), o.seed() + 1);
        Matrix ytr = binary(tr.y());
        Matrix yte = binary(te.y());
        int warm = Math.min(o.n(), 2000);
        SparseVariationalGaussianProcess.builder(o.kernel()).likelihood(o.likelihood())
                .inducing(Math.min(warm, Math.min(o.inducing(), 100))).batchSize(Math.min(o.batchSize(), 500)).epochs(1)
                .learnHyperparameters(o.learn()).build().fit(tr.x().rowRange(0, warm), ytr.rowRange(0, warm));
        long s0 = System.nanoTime();
        Matrix z = tr.x().selectRows(Landmarks.select(Landmarks.Sampler.KMEANS_PP, o.kernel(), tr.x(), o.inducing(),
                0, 1));
        double select = (System.nanoTime() - s0) / 1e9;
        SparseVariationalGaussianProcess estimator = SparseVariationalGaussianProcess.builder(o.kernel())
                .likelihood(o.likelihood()).inducingInputs(z).batchSize(o.batchSize()).epochs(o.epochs()).seed(1)
                .learnHyperparameters(o.learn()).learnInducingInputs(o.learn()).build();
        long w0 = System.nanoTime();
        long c0 = CntkBenchmark.cpuNanos();
        SparseVariationalGaussianProcessModel m = estimator.fit(tr.x(), ytr);
        long c1 = CntkBenchmark.cpuNanos();
        double train = (System.nanoTime() - w0) / 1e9;
        double cpu = c0 < 0 ? Double.NaN : (c1 - c0) * 1e-9;
        long resident = CntkBenchmark.maxResident();
        Matrix p = m.probabilities(te.x());
        double logLoss = 0;
        double correct = 0;
        double zeros = 0;
        for (int i = 0; i < o.test(); i++) {
            double y = yte.get(i, 0);
            double p1 = Math.min(Math.max(p.get(i, 1), 1e-15), 1 - 1e-15);
            logLoss -= y == 1 ? Math.log(p1) : Math.log(1 - p1);
            correct += (p1 > 0.5 ? 1 : 0) == y ? 1 : 0;
            zeros += y == 0 ? 1 : 0;
        }
        return new Result(select, train, cpu, m.fit().steps(), resident, 8L * o.n() * o.d(),
                m.fit().elboEstimate(), logLoss / o.test(), correct / o.test(), Math.log(2), zeros / o.test(),
                m.kernel().toSpec());
    }
}
