package org.kernels4j.svm;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.FitReport;

/**
 * A trained support vector machine (immutable): the support vectors, their dual coefficients and
 * the thresholds of its P binary (or regression, or one-class) decision functions
 *
 * <pre>  f_p(x) = Σ_s coef[s][p]·k(sv_s, x) − ρ_p,   p = 0 … P−1. </pre>
 *
 * <ul>
 *   <li>{@link Type#C_SVC}, one-vs-one: P = k(k−1)/2 functions, one per class pair (i, j), i &lt; j,
 *       in the order (0,1), (0,2), …, (0,k−1), (1,2), …; f &gt; 0 votes for {@code classes[i]},
 *       as in LIBSVM. The predicted class has the most votes (ties go to the smaller class
 *       index).</li>
 *   <li>{@link Type#C_SVC}, one-vs-rest: P = k (P = 1 for two classes, as pair (0, 1)); f_c &gt; 0
 *       means {@code classes[c]} against the rest; the prediction is the class of the largest f.</li>
 *   <li>{@link Type#NU_SVC}: as C-SVC (one-vs-one or one-vs-rest).</li>
 *   <li>{@link Type#EPSILON_SVR}, {@link Type#NU_SVR}: P = 1, the prediction is f(x).</li>
 *   <li>{@link Type#ONE_CLASS}: P = 1, the prediction is +1 (inlier) when f(x) &gt; 0, else −1.</li>
 * </ul>
 *
 * <p>With a precomputed kernel there is no kernel object: the inputs to every method are kernel
 * values against all training rows (n×n_train), and the model keeps the support vectors' row
 * indices instead of their features.
 *
 * <p>Cost of prediction: one kernel product K(X, SV)·coef through {@link GramEngine#crossTimes},
 * O(n·n_SV·(d + P)).
 */
public final class SvmModel implements Classifier, DecisionFunction {
    /** What the model does. */
    public enum Type {
        /** C-support vector classification. */
        C_SVC,
        /** ε-insensitive support vector regression. */
        EPSILON_SVR,
        /** One-class SVM (Schölkopf et al., 2001): novelty detection. */
        ONE_CLASS,
        /** ν-support vector classification (decision functions as C-SVC's, C = 1/r per binary problem). */
        NU_SVC,
        /** ν-support vector regression (ε chosen by the data). */
        NU_SVR;

        /** True for the classifiers (C-SVC, ν-SVC), which have classes, votes and probabilities. */
        public boolean isClassifier() {
            return this == C_SVC || this == NU_SVC;
        }
    }

    /** How more than two classes are split into binary problems. */
    public enum Multiclass {
        /** One problem per pair of classes, with voting (LIBSVM's way). */
        ONE_VS_ONE,
        /** One problem per class against all others. */
        ONE_VS_REST
    }

    private final Type type;
    private final Kernel kernel;
    private final Matrix supportVectors;
    private final int[] supportIndices;
    private final int trainingRows;
    private final Matrix coefficients;
    private final double[] rho;
    private final double[] classes;
    private final Multiclass multiclass;
    private final double[][] sigmoid;
    private final java.util.List<SupportVectorMachine.Solve> solves;

    /**
     * Builds a model; every array is checked for shape and finiteness.
     *
     * @param type what the model does
     * @param kernel the kernel, or null for a precomputed kernel
     * @param supportVectors n_SV×d support vectors (null for a precomputed kernel)
     * @param supportIndices each support vector's row in the training data
     * @param trainingRows number of training rows
     * @param coefficients n_SV×P dual coefficients
     * @param rho the P thresholds
     * @param classes sorted class labels (C_SVC only, else null)
     * @param multiclass the multiclass scheme (C_SVC only, else null)
     * @param sigmoid P×2 Platt parameters {A, B} per decision function, or null
     */
    public SvmModel(Type type, Kernel kernel, Matrix supportVectors, int[] supportIndices, int trainingRows,
            Matrix coefficients, double[] rho, double[] classes, Multiclass multiclass, double[][] sigmoid) {
        this.type = java.util.Objects.requireNonNull(type, "type");
        this.kernel = kernel;
        int nsv = supportIndices.length;
        int problems = rho.length;
        if (kernel != null && (supportVectors == null || supportVectors.rows() != nsv)) {
            throw new Kernels4jException("SVM model: " + nsv + " support indices but "
                    + (supportVectors == null ? "no" : String.valueOf(supportVectors.rows())) + " support vectors");
        }
        if (coefficients.rows() != nsv || coefficients.cols() != problems) {
            throw new Kernels4jException("SVM model: coefficients must be " + nsv + "x" + problems + ", got "
                    + coefficients.shape());
        }
        for (int s : supportIndices) {
            if (s < 0 || s >= trainingRows) {
                throw new Kernels4jException("SVM model: support index " + s + " is outside the " + trainingRows
                        + " training rows");
            }
        }
        coefficients.requireFinite("SVM coefficients");
        for (double r : rho) {
            if (!Double.isFinite(r)) {
                throw new Kernels4jException("SVM model: threshold rho must be finite, got " + r);
            }
        }
        int expected = expectedProblems(type, classes, multiclass);
        if (problems != expected) {
            throw new Kernels4jException("SVM model: expected " + expected + " decision functions, got " + problems);
        }
        if (sigmoid != null) {
            if (sigmoid.length != problems) {
                throw new Kernels4jException("SVM model: " + sigmoid.length + " sigmoids for " + problems
                        + " decision functions");
            }
            for (double[] s : sigmoid) {
                if (s.length != 2 || !Double.isFinite(s[0]) || !Double.isFinite(s[1])) {
                    throw new Kernels4jException("SVM model: each sigmoid needs two finite numbers A, B");
                }
            }
        }
        if (supportVectors != null) {
            supportVectors.requireFinite("support vectors");
        }
        this.supportVectors = supportVectors;
        this.supportIndices = supportIndices.clone();
        this.trainingRows = trainingRows;
        this.coefficients = coefficients.copy();
        this.rho = rho.clone();
        this.classes = classes == null ? null : classes.clone();
        this.multiclass = multiclass;
        this.sigmoid = sigmoid == null ? null : Arrays.stream(sigmoid).map(double[]::clone).toArray(double[][]::new);
        this.solves = java.util.List.of();
    }

    private SvmModel(SvmModel m, java.util.List<SupportVectorMachine.Solve> solves) {
        this.type = m.type;
        this.kernel = m.kernel;
        this.supportVectors = m.supportVectors;
        this.supportIndices = m.supportIndices;
        this.trainingRows = m.trainingRows;
        this.coefficients = m.coefficients;
        this.rho = m.rho;
        this.classes = m.classes;
        this.multiclass = m.multiclass;
        this.sigmoid = m.sigmoid;
        this.solves = java.util.List.copyOf(solves);
    }

    /** The same model with the record of how each decision function was solved. */
    SvmModel withSolves(java.util.List<SupportVectorMachine.Solve> value) {
        return new SvmModel(this, value);
    }

    /** What each decision function's solve did, in the model's order (empty for a model read from a file). */
    public java.util.List<SupportVectorMachine.Solve> solves() {
        return solves;
    }

    /** The number of support vectors and, per solve, LIBSVM's figures (objective, ρ, iterations, nSV, nBSV, gap). */
    @Override
    public FitReport report() {
        java.util.List<FitReport> parts = new java.util.ArrayList<>();
        for (SupportVectorMachine.Solve v : solves) {
            parts.add(FitReport.builder().add("objective", v.objective()).add("rho", v.rho())
                    .add("iterations", v.iterations()).add("support_vectors", v.supportVectors())
                    .add("bounded_support_vectors", v.boundedSupportVectors()).add("gap", v.gap())
                    .add("converged", v.converged()).add("kernel_rows", v.kernelRows()).add("seconds", v.seconds())
                    .build());
        }
        FitReport.Builder r = FitReport.builder().add("type", type.name().toLowerCase(java.util.Locale.ROOT))
                .add("support_vectors", supportIndices.length);
        return parts.isEmpty() ? r.build() : r.add("problems", parts).build();
    }

    @Override
    public int features() {
        return inputColumns();
    }

    private static int expectedProblems(Type type, double[] classes, Multiclass multiclass) {
        if (!type.isClassifier()) {
            if (classes != null || multiclass != null) {
                throw new Kernels4jException("SVM model: only classifiers have classes");
            }
            return 1;
        }
        if (classes == null || classes.length < 2 || multiclass == null) {
            throw new Kernels4jException("SVM model: a classifier needs at least two classes and a multiclass scheme");
        }
        for (int c = 1; c < classes.length; c++) {
            if (!(classes[c] > classes[c - 1])) {
                throw new Kernels4jException("SVM model: classes must be finite, distinct and sorted");
            }
        }
        int k = classes.length;
        return k == 2 ? 1 : multiclass == Multiclass.ONE_VS_ONE ? k * (k - 1) / 2 : k;
    }

    /** What the model does. */
    public Type type() {
        return type;
    }

    /** The kernel, or null when the model was trained on a precomputed Gram matrix. */
    public Kernel kernel() {
        return kernel;
    }

    /** True when inputs are kernel values against the training rows rather than features. */
    public boolean isPrecomputed() {
        return kernel == null;
    }

    /** The support vectors (n_SV×d), or null for a precomputed kernel. */
    public Matrix supportVectors() {
        return supportVectors == null ? null : supportVectors.copy();
    }

    /** Each support vector's row index in the training data. */
    public int[] supportIndices() {
        return supportIndices.clone();
    }

    /** Number of training rows. */
    public int trainingRows() {
        return trainingRows;
    }

    /** Number of support vectors. */
    public int supportVectorCount() {
        return supportIndices.length;
    }

    /** Dual coefficients, n_SV×P (y_s·α_s for classifiers, α_s − α*_s for regression). */
    public Matrix coefficients() {
        return coefficients.copy();
    }

    /** The P thresholds ρ. */
    public double[] rho() {
        return rho.clone();
    }

    /** Sorted class labels (classifiers), else null. */
    @Override
    public double[] classes() {
        return classes == null ? null : classes.clone();
    }

    /**
     * The binary problem that decision function {@code p} separates (f_p &gt; 0 for the first class named): "a vs b"
     * (one-vs-one, or two classes), "a vs rest" (one-vs-rest), "-" without classes (svr, oneclass).
     */
    @Override
    public String problemName(int p, java.util.function.DoubleFunction<String> label) {
        if (classes == null) {
            return "-";
        }
        if (classes.length == 2 || multiclass == Multiclass.ONE_VS_ONE) {
            int q = 0;
            for (int i = 0; i < classes.length; i++) {
                for (int j = i + 1; j < classes.length; j++, q++) {
                    if (q == p) {
                        return label.apply(classes[i]) + " vs " + label.apply(classes[j]);
                    }
                }
            }
        }
        return label.apply(classes[p]) + " vs rest";
    }

    /** The multiclass scheme (classifiers), else null. */
    public Multiclass multiclass() {
        return multiclass;
    }

    /** Platt parameters {A, B} per decision function, or null when probabilities were not fitted. */
    public double[][] sigmoids() {
        return sigmoid == null ? null : Arrays.stream(sigmoid).map(double[]::clone).toArray(double[][]::new);
    }

    /** True when {@link #probabilities} is available. */
    @Override
    public boolean hasProbabilities() {
        return sigmoid != null;
    }

    /** Number of features an input row must have (n_train for a precomputed kernel). */
    public int inputColumns() {
        return kernel == null ? trainingRows : supportVectors.cols();
    }

    /** The decision values f_p(x), n×P. */
    @Override
    public Matrix decisionValues(Matrix x) {
        return decisionValues(x, ProgressListener.NONE);
    }

    /** The decision values f_p(x), n×P, reporting progress over kernel tiles. */
    public Matrix decisionValues(Matrix x, ProgressListener progress) {
        if (x.cols() != inputColumns()) {
            throw new Kernels4jException(kernel == null
                    ? "a precomputed-kernel SVM needs kernel values against its " + trainingRows
                            + " training rows, got " + x.cols() + " columns"
                    : "the SVM was trained on " + inputColumns() + " features, got " + x.cols());
        }
        x.requireFinite(kernel == null ? "precomputed kernel values" : "input data");
        int n = x.rows();
        int problems = rho.length;
        Matrix f;
        if (supportIndices.length == 0) {
            f = new Matrix(n, problems);
        } else if (kernel != null) {
            f = GramEngine.crossTimes(kernel, x, supportVectors, coefficients, progress);
        } else {
            f = x.selectColumns(supportIndices).times(coefficients);
        }
        double[] d = f.data();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < problems; p++) {
                d[i * problems + p] -= rho[p];
            }
        }
        return f;
    }

    /** Predictions: class labels (C-SVC, ν-SVC), values (ε-SVR, ν-SVR) or ±1 (one-class). */
    @Override
    public Matrix predict(Matrix x) {
        return predict(x, ProgressListener.NONE);
    }

    /** {@link #predict(Matrix)} with progress. */
    public Matrix predict(Matrix x, ProgressListener progress) {
        return Matrix.column(predictFromDecisions(decisionValues(x, progress)));
    }

    /**
     * Predictions from decision values already computed by {@link #decisionValues} (n×P), so that
     * predictions, probabilities and decision values of the same rows need one kernel pass.
     */
    public double[] predictFromDecisions(Matrix f) {
        requireDecisionColumns(f);
        int n = f.rows();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double[] fi = f.row(i);
            switch (type) {
                case EPSILON_SVR:
                case NU_SVR:
                    out[i] = fi[0];
                    break;
                case ONE_CLASS:
                    out[i] = fi[0] > 0 ? 1 : -1;
                    break;
                default:
                    out[i] = classes[vote(fi)];
            }
        }
        return out;
    }

    /** The class index a row of decision values chooses. */
    private int vote(double[] f) {
        int k = classes.length;
        if (k == 2) {
            return f[0] > 0 ? 0 : 1;
        }
        int best = 0;
        if (multiclass == Multiclass.ONE_VS_REST) {
            for (int c = 1; c < k; c++) {
                if (f[c] > f[best]) {
                    best = c;
                }
            }
            return best;
        }
        int[] votes = new int[k];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++, p++) {
                votes[f[p] > 0 ? i : j]++;
            }
        }
        for (int c = 1; c < k; c++) {
            if (votes[c] > votes[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Class probabilities, n×k in {@link #classes()} order: Platt's sigmoid on each decision value,
     * then pairwise coupling (one-vs-one; Wu, Lin &amp; Weng 2004) or normalization (one-vs-rest).
     *
     * @throws Kernels4jException when the model was trained without probabilities
     */
    @Override
    public Matrix probabilities(Matrix x) {
        requireProbabilities();
        return probabilitiesFromDecisions(decisionValues(x));
    }

    /** {@link #probabilities} from decision values already computed by {@link #decisionValues} (n×P). */
    public Matrix probabilitiesFromDecisions(Matrix f) {
        requireProbabilities();
        requireDecisionColumns(f);
        int n = f.rows();
        int k = classes.length;
        Matrix out = new Matrix(n, k);
        for (int i = 0; i < n; i++) {
            double[] fi = f.row(i);
            double[] prob;
            if (k == 2) {
                double p = Probabilities.sigmoid(fi[0], sigmoid[0][0], sigmoid[0][1]);
                prob = new double[] {p, 1 - p};
            } else if (multiclass == Multiclass.ONE_VS_REST) {
                prob = new double[k];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    prob[c] = Probabilities.sigmoid(fi[c], sigmoid[c][0], sigmoid[c][1]);
                    sum += prob[c];
                }
                for (int c = 0; c < k; c++) {
                    prob[c] /= sum;
                }
            } else {
                double[][] r = new double[k][k];
                int p = 0;
                for (int a = 0; a < k; a++) {
                    for (int b = a + 1; b < k; b++, p++) {
                        r[a][b] = Probabilities.sigmoid(fi[p], sigmoid[p][0], sigmoid[p][1]);
                        r[b][a] = 1 - r[a][b];
                    }
                }
                prob = Probabilities.couple(r);
            }
            for (int c = 0; c < k; c++) {
                out.set(i, c, prob[c]);
            }
        }
        return out;
    }

    private void requireProbabilities() {
        if (!type.isClassifier()) {
            throw new Kernels4jException("probabilities need a classifier; this is a " + type + " model");
        }
        if (sigmoid == null) {
            throw new Kernels4jException("this SVM was trained without probability estimates (train with probability on)");
        }
    }

    private void requireDecisionColumns(Matrix f) {
        if (f.cols() != rho.length) {
            throw new Kernels4jException("this SVM has " + rho.length + " decision functions, got " + f.cols()
                    + " columns of decision values");
        }
    }
}
