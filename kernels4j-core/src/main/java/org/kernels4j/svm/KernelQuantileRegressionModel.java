package org.kernels4j.svm;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.TrainingData;

/**
 * Fitted kernel quantile regression (immutable): one function {@code q_τ(x) = Σ_i α_iτ·k(x_i, x) + b_τ} per level
 * τ (ascending). {@link #predict} returns the m×T monotonely rearranged quantiles (each row sorted, so column j
 * is the τ_j quantile and no two curves cross); {@link #rawPredictions} the functions as fitted. Cost
 * O(m·n_SV·(d + T)) (rows with α = 0 for every τ are dropped).
 */
public final class KernelQuantileRegressionModel implements Model {
    private final Kernel kernel;
    private final Matrix supportX;
    private final Matrix coef;
    private final double[] intercept;
    private final double[] taus;
    private final double c;
    private final FitReport report;

    /**
     * Assembles a model; rows whose coefficients are all zero are dropped.
     *
     * @param coef n×T coefficients α, one column per level
     * @param intercept T intercepts b
     * @param taus T ascending levels in (0, 1)
     */
    public KernelQuantileRegressionModel(Kernel kernel, Matrix trainX, Matrix coef, double[] intercept, double[] taus,
            double c, FitReport report) {
        if (coef.rows() != trainX.rows() || coef.cols() != taus.length || intercept.length != taus.length) {
            throw new Kernels4jException("kernel quantile regression model: " + trainX.rows() + " rows and "
                    + taus.length + " levels do not fit coefficients of shape " + coef.shape() + " and "
                    + intercept.length + " intercepts");
        }
        for (int j = 0; j < taus.length; j++) {
            if (!(taus[j] > 0 && taus[j] < 1) || (j > 0 && !(taus[j] > taus[j - 1]))) {
                throw new Kernels4jException("kernel quantile regression model: levels must be ascending in (0, 1), got "
                        + Arrays.toString(taus));
            }
        }
        int kept = 0;
        int[] rows = new int[coef.rows()];
        for (int i = 0; i < coef.rows(); i++) {
            boolean any = false;
            for (int j = 0; j < coef.cols(); j++) {
                any |= coef.get(i, j) != 0;
            }
            if (any) {
                rows[kept++] = i;
            }
        }
        int[] sv = Arrays.copyOf(rows, kept);
        this.kernel = kernel;
        this.supportX = kept == coef.rows() ? trainX : trainX.selectRows(sv);
        this.coef = kept == coef.rows() ? coef.copy() : coef.selectRows(sv);
        this.intercept = intercept.clone();
        this.taus = taus.clone();
        this.c = c;
        this.report = report;
    }

    /** The fitted quantile functions before rearrangement (m×T; columns may cross). */
    public Matrix rawPredictions(Matrix x) {
        TrainingData.requirePredictionInputs(x, supportX.cols());
        Matrix f = supportX.rows() == 0 ? new Matrix(x.rows(), taus.length)
                : GramEngine.crossTimes(kernel, x, supportX, coef, ProgressListener.NONE);
        double[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += intercept[i % taus.length];
        }
        return f;
    }

    /** The rearranged quantiles (m×T): each row of {@link #rawPredictions} sorted ascending. */
    @Override
    public Matrix predict(Matrix x) {
        Matrix f = rawPredictions(x);
        int t = taus.length;
        for (int i = 0; i < f.rows(); i++) {
            Arrays.sort(f.data(), i * t, (i + 1) * t);
        }
        return f;
    }

    /** The levels τ, ascending (column j of {@link #predict} is the τ_j quantile). */
    public double[] quantiles() {
        return taus.clone();
    }

    /** C, the weight of the pinball loss. */
    public double c() {
        return c;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** The training rows with a non-zero coefficient for some level (n_SV×d). */
    public Matrix supportInputs() {
        return supportX.copy();
    }

    /** Their coefficients α (n_SV×T). */
    public Matrix coefficients() {
        return coef.copy();
    }

    /** The intercepts b (length T). */
    public double[] intercepts() {
        return intercept.clone();
    }

    @Override
    public int features() {
        return supportX.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }
}
