package org.kernels4j.bench;

import org.kernels4j.dkm.DeepKernelMachine;
import org.kernels4j.dkm.DeepKernelMachineModel;
import org.kernels4j.dkm.GramMap;
import org.kernels4j.dkm.SparseDeepKernelMachine;
import org.kernels4j.linalg.Matrix;

/**
 * {@code bench dkm --inducing M}: the sparse deep kernel machine at scale, against the exact one on the largest
 * subsample it fits. Data: Friedman-1 ({@link SyntheticData#friedman1}, d features, noise 1), n training rows
 * and a separate test set, targets standardized with the training mean and deviation. Both machines use the
 * same layer map, L, ν = 1 and σ² = 0.05.
 * <ul>
 *   <li>sparse: m inducing rows (uniform), Adam on minibatches; the start (Z, jitters, collapsed q(u): one pass
 *       over the n rows) and the epochs are timed apart, the epochs' time divided by their number;</li>
 *   <li>exact: the first {@code exactRows} training rows, L-BFGS for at most {@code exactIterations};</li>
 *   <li>test RMSE of both (standardized units; 1 is the mean predictor), and of the sparse machine's start
 *       (the ν → ∞ sparse NNGP, 0 epochs) as a baseline.</li>
 * </ul>
 */
public final class SparseDkmBenchmark {
    /**
     * What to run.
     *
     * @param map the layer map
     * @param layers L
     * @param rows n, training rows of the sparse machine
     * @param inducing m
     * @param d features (≥ 5)
     * @param batchSize minibatch rows
     * @param epochs Adam passes
     * @param learningRate Adam's step
     * @param exactRows the exact machine's subsample
     * @param exactIterations its L-BFGS limit
     * @param testRows the test set
     */
    public record Options(GramMap map, int layers, int rows, int inducing, int d, int batchSize, int epochs,
            double learningRate, int exactRows, int exactIterations, int testRows) {
    }

    /**
     * The measurement.
     *
     * @param startSeconds the sparse start (one pass over n rows)
     * @param epochSeconds one Adam epoch
     * @param sparseRmse the sparse machine's test RMSE after training
     * @param nngpRmse the sparse NNGP start's test RMSE
     * @param exactSeconds the exact fit
     * @param exactRmse its test RMSE
     * @param exactStop why its L-BFGS stopped
     */
    public record Result(double startSeconds, double epochSeconds, double sparseRmse, double nngpRmse,
            double exactSeconds, double exactRmse, String exactStop) {
    }

    private static final double NOISE = 0.05;

    private SparseDkmBenchmark() {
    }

    /** Runs the measurement. */
    public static Result run(Options o) {
        SyntheticData.Regression all = SyntheticData.friedman1(o.rows() + o.testRows(), o.d(), 1.0, 26);
        Matrix x = all.x().rowRange(0, o.rows());
        Matrix xTest = all.x().rowRange(o.rows(), o.rows() + o.testRows());
        double[] v = all.y().column(0);
        double mean = 0;
        for (int i = 0; i < o.rows(); i++) {
            mean += v[i] / o.rows();
        }
        double var = 0;
        for (int i = 0; i < o.rows(); i++) {
            var += (v[i] - mean) * (v[i] - mean) / o.rows();
        }
        Matrix y = new Matrix(o.rows(), 1);
        Matrix yTest = new Matrix(o.testRows(), 1);
        for (int i = 0; i < v.length; i++) {
            double s = (v[i] - mean) / Math.sqrt(var);
            if (i < o.rows()) {
                y.set(i, 0, s);
            } else {
                yTest.set(i - o.rows(), 0, s);
            }
        }
        SparseDeepKernelMachine.Builder sparse = SparseDeepKernelMachine.builder(o.map()).layers(o.layers()).nu(1)
                .noise(NOISE).inducing(o.inducing()).batchSize(o.batchSize()).learningRate(o.learningRate()).seed(5);
        SparseDeepKernelMachine machine = sparse.epochs(o.epochs()).build();
        DeepKernelMachineModel start = machine.start(x, y);
        DeepKernelMachineModel trained = machine.fit(x, y);
        double startSeconds = trained.report().number("start_seconds");
        double epochSeconds = trained.report().number("training_seconds") / o.epochs();
        long t0 = System.nanoTime();
        DeepKernelMachineModel exact = DeepKernelMachine.builder(o.map()).layers(o.layers()).nu(1).noise(NOISE)
                .maxIterations(o.exactIterations()).build().fit(x.rowRange(0, o.exactRows()),
                        y.rowRange(0, o.exactRows()));
        double exactSeconds = (System.nanoTime() - t0) / 1e9;
        return new Result(startSeconds, epochSeconds, rmse(trained.predict(xTest), yTest),
                rmse(start.predict(xTest), yTest), exactSeconds, rmse(exact.predict(xTest), yTest),
                exact.report().text("stop"));
    }

    static double rmse(Matrix prediction, Matrix truth) {
        double s = 0;
        for (int i = 0; i < truth.rows(); i++) {
            double r = prediction.get(i, 0) - truth.get(i, 0);
            s += r * r;
        }
        return Math.sqrt(s / truth.rows());
    }
}
