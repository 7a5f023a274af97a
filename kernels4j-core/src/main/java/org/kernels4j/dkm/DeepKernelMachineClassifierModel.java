package org.kernels4j.dkm;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gp.GaussHermiteRule;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SpecialFunctions;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.FitReport;

/**
 * A fitted {@link DeepKernelMachineClassifier}: the one-hot DKM regression model and the class labels.
 * Labels are the argmax of the predictive means; probabilities P(f_k is the largest) by Gauss–Hermite
 * quadrature of the formula in {@link DeepKernelMachineClassifier}. Immutable.
 */
public final class DeepKernelMachineClassifierModel implements Classifier {
    private static final GaussHermiteRule RULE = new GaussHermiteRule(64);

    private final DeepKernelMachineModel regression;
    private final double[] classes;

    /**
     * @param regression the DKM fitted to the centred one-hot targets (one column per class)
     * @param classes the labels, ascending, one per target column
     */
    public DeepKernelMachineClassifierModel(DeepKernelMachineModel regression, double[] classes) {
        if (classes.length < 2 || regression.trainingTargets().cols() != classes.length) {
            throw new Kernels4jException("a DKM classifier needs one target column per class (at least two); got "
                    + regression.trainingTargets().cols() + " columns for " + classes.length + " classes");
        }
        for (int k = 1; k < classes.length; k++) {
            if (!(classes[k] > classes[k - 1])) {
                throw new Kernels4jException("the class labels must be distinct and ascending, got " + classes[k - 1]
                        + " before " + classes[k]);
            }
        }
        this.regression = regression;
        this.classes = classes.clone();
    }

    /** The one-hot regression model (its learned Grams, alignments, objective terms). */
    public DeepKernelMachineModel regression() {
        return regression;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    @Override
    public int features() {
        return regression.features();
    }

    @Override
    public FitReport report() {
        return regression.report();
    }

    /** The class with the largest predictive mean, per row (m×1). */
    @Override
    public Matrix predict(Matrix x) {
        Matrix mean = regression.predict(x);
        Matrix out = new Matrix(x.rows(), 1);
        for (int t = 0; t < x.rows(); t++) {
            int best = 0;
            for (int k = 1; k < classes.length; k++) {
                if (mean.get(t, k) > mean.get(t, best)) {
                    best = k;
                }
            }
            out.set(t, 0, classes[best]);
        }
        return out;
    }

    /** The predictive means of the centred one-hot outputs (m×c): 1/c is added back, so rows sum to about 1. */
    public Matrix scores(Matrix x) {
        Matrix mean = regression.predict(x);
        double[] d = mean.data();
        for (int e = 0; e < d.length; e++) {
            d[e] += 1.0 / classes.length;
        }
        return mean;
    }

    /**
     * P(f_k is the largest output), f_j ~ N(μ_j, s²) independent, s² = latent variance + σ²; m×c, rows sum to 1.
     */
    @Override
    public Matrix probabilities(Matrix x) {
        Matrix mean = regression.predict(x);
        double[] variance = regression.predictiveVariance(x).column(0);
        for (int t = 0; t < variance.length; t++) {
            variance[t] += regression.noise();
        }
        return largestOutputProbabilities(mean, variance);
    }

    /**
     * For each row t: P(f_k = max_j f_j) when f_j ~ N(mean_tj, variance_t) independently (one variance per row,
     * shared by the c outputs), = ∫ φ(z)·Π_{j≠k} Φ((μ_k − μ_j)/s + z) dz by 64-point Gauss–Hermite quadrature,
     * rows renormalised to sum to 1. Cost O(m·c²·64). For any one-hot (label-regression) classifier with
     * Gaussian predictive outputs.
     *
     * @throws Kernels4jException for a variance that is not positive and finite or a length mismatch
     */
    public static Matrix largestOutputProbabilities(Matrix mean, double[] variance) {
        int m = mean.rows();
        int c = mean.cols();
        if (variance.length != m) {
            throw new Kernels4jException("need one variance per row: " + variance.length + " for " + m + " rows");
        }
        Matrix p = new Matrix(m, c);
        for (int t = 0; t < m; t++) {
            if (!(variance[t] > 0) || Double.isInfinite(variance[t])) {
                throw new Kernels4jException("predictive variance of row " + t + " must be positive and finite, got "
                        + variance[t]);
            }
            double s = Math.sqrt(variance[t]);
            double total = 0;
            for (int k = 0; k < c; k++) {
                double pk = 0;
                for (int q = 0; q < RULE.size(); q++) {
                    double z = RULE.node(q);
                    double prod = RULE.weight(q);
                    for (int j = 0; j < c && prod > 0; j++) {
                        if (j != k) {
                            prod *= SpecialFunctions.normalCdf((mean.get(t, k) - mean.get(t, j)) / s + z);
                        }
                    }
                    pk += prod;
                }
                p.set(t, k, pk);
                total += pk;
            }
            for (int k = 0; k < c; k++) {
                p.set(t, k, total > 0 ? p.get(t, k) / total : 1.0 / c);
            }
        }
        return p;
    }
}
