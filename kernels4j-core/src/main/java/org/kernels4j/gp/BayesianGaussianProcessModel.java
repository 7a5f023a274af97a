package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;

/**
 * A fully Bayesian Gaussian process (see {@link BayesianGaussianProcess}): an equal-weight mixture
 * of S Gaussian processes, one per kept posterior draw θ_s of the hyperparameters, all conditioned
 * on the same (X, y). Predictions are the mixture's moments:
 * <pre>
 *   mean(x*)     = (1/S)·Σ_s m_s(x*)
 *   variance(x*) = (1/S)·Σ_s (v_s(x*) + m_s(x*)²) − mean(x*)²
 * </pre>
 * It also keeps every posterior draw of the free log-hyperparameters ({@link #logDraws}) and the
 * diagnostics in {@link #report()}. Immutable; memory O(S·n²) for the members' Cholesky factors;
 * prediction S times a Gaussian process's cost.
 */
public final class BayesianGaussianProcessModel implements PredictiveVariance {
    private final Kernel kernel;
    private final double noise;
    private final boolean normalizeTargets;
    private final Matrix x;
    private final Matrix y;
    private final Matrix thetas;
    private final List<GaussianProcessModel> members;
    private final List<String> names;
    private final Matrix logDraws;
    private final FitReport report;

    /**
     * Assembles a model (the estimator and model files call this).
     *
     * @param kernel the prior kernel (its kind and spec; each member has its own θ)
     * @param thetas S × P: every hyperparameter θ (fixed ones included) of each member
     * @param members the S Gaussian processes fitted at those θ, in the same order
     * @param names the free hyperparameters, the columns of {@code logDraws}
     * @param logDraws all posterior draws of the free log θ, one per row
     */
    BayesianGaussianProcessModel(Kernel kernel, double noise, boolean normalizeTargets, Matrix x, Matrix y, Matrix thetas,
            List<GaussianProcessModel> members, List<String> names, Matrix logDraws, FitReport report) {
        if (members.isEmpty() || thetas.rows() != members.size()) {
            throw new Kernels4jException("a Bayesian Gaussian process needs one hyperparameter row per member, got "
                    + thetas.rows() + " rows for " + members.size() + " members");
        }
        if (logDraws.cols() != names.size()) {
            throw new Kernels4jException("the draws have " + logDraws.cols() + " columns for " + names.size()
                    + " free hyperparameters");
        }
        this.kernel = kernel;
        this.noise = noise;
        this.normalizeTargets = normalizeTargets;
        this.x = x;
        this.y = y;
        this.thetas = thetas;
        this.members = List.copyOf(members);
        this.names = List.copyOf(names);
        this.logDraws = logDraws;
        this.report = report;
    }

    /** Fits one Gaussian process per row of {@code thetas}. */
    static List<GaussianProcessModel> members(Kernel kernel, double noise, boolean normalizeTargets, Matrix x, Matrix y,
            Matrix thetas) {
        List<GaussianProcessModel> out = new ArrayList<>();
        for (int s = 0; s < thetas.rows(); s++) {
            out.add(GaussianProcess.builder(kernel.withHyperparameters(thetas.row(s))).noise(noise)
                    .normalizeTargets(normalizeTargets).build().fit(x, y));
        }
        return out;
    }

    /** The prior kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** The fixed noise variance σ². */
    public double noise() {
        return noise;
    }

    /** Whether the members normalize their targets. */
    public boolean normalizesTargets() {
        return normalizeTargets;
    }

    /** The S mixture members. */
    public List<GaussianProcessModel> members() {
        return members;
    }

    /** A copy of the members' hyperparameters θ, S × P (all of them, in {@link Kernel#hyperparameters()} order). */
    public Matrix memberHyperparameters() {
        return thetas.copy();
    }

    /** The names of the free hyperparameters, the columns of {@link #logDraws}. */
    public List<String> parameterNames() {
        return names;
    }

    /** A copy of every posterior draw of the free log θ (HMC: chains·draws rows, chain by chain; VI: draws from q). */
    public Matrix logDraws() {
        return logDraws.copy();
    }

    /** A copy of the training inputs. */
    public Matrix trainingInputs() {
        return x.copy();
    }

    /** A copy of the training targets. */
    public Matrix trainingTargets() {
        return y.copy();
    }

    @Override
    public FitReport report() {
        return report;
    }

    @Override
    public int features() {
        return x.cols();
    }

    /** The mixture mean, m × k. */
    @Override
    public Matrix predict(Matrix xTest) {
        return moments(xTest, false);
    }

    /** The mixture variance of f(x*), m × k: the mean member variance plus the spread of the member means. */
    @Override
    public Matrix predictiveVariance(Matrix xTest) {
        return moments(xTest, true);
    }

    private Matrix moments(Matrix xTest, boolean variance) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        int s = members.size();
        Matrix out = null;
        double[] second = null;
        for (GaussianProcessModel g : members) {
            Matrix m = g.predict(xTest);
            double[] md = m.data();
            if (out == null) {
                out = new Matrix(m.rows(), m.cols());
                second = new double[md.length];
            }
            double[] vd = variance ? g.predictiveVariance(xTest).data() : null;
            double[] od = out.data();
            for (int i = 0; i < md.length; i++) {
                od[i] += md[i] / s;
                if (variance) {
                    second[i] += (vd[i] + md[i] * md[i]) / s;
                }
            }
        }
        if (variance) {
            double[] od = out.data();
            for (int i = 0; i < od.length; i++) {
                od[i] = Math.max(second[i] - od[i] * od[i], 0);
            }
        }
        return out;
    }
}
