package org.kernels4j.dkm;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.KernelAlignment;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;
import org.kernels4j.optim.BoundedLbfgs;

/**
 * A fitted exact deep kernel machine: the training inputs and targets, the learned Gram matrices
 * G_1…G_L (n×n each) and the fixed jitters; immutable, on the heap. Construction factors K_ℓ = K(G_{ℓ−1}) + δ_ℓI
 * and the output matrix C = K(G_L) + (σ² + δ_out)I once, O(L·n³).
 *
 * <p>Predictive (the sparse-DKM equations of Yang et al. with the training points as the inducing
 * points, as in the authors' {@code dkm} code): a test point t enters layer 0 through
 * g_t = ‖x_t‖²/d and G_ti = x_t·Xᵀ/d, and each layer ℓ = 1…L maps it by the Gaussian conditional of the
 * learned representation,
 * <pre>
 *   K_ti = f(g_t, G_ti, G_ii),  k_t = f(g_t, g_t, g_t),  A = K_ti·K_ℓ⁻¹
 *   G_ti ← A·G_ℓ,               g_t ← k_t − diag(A·K_it) + diag(A·G_ℓ·Aᵀ)
 * </pre>
 * then the output layer is the GP on K(G_L): mean = K_ti·C⁻¹Y, variance of the latent f
 * = k_t − K_ti·C⁻¹·K_it (noise not included). At a training input A = e_i, so the maps return the learned
 * rows and the mean is that of the GP on the learned G_L. Cost per test row O(L·n²).
 *
 * <p>A <b>sparse</b> model ({@link SparseDeepKernelMachine}, {@link #isSparse()}) holds the m inducing inputs in
 * place of the training inputs, the learned inducing Grams, and the variational output q(u) = N(μ_λ, A) at
 * the inducing points; the layer maps are the same, and the output layer is that of the authors' code:
 * mean = K_ti·K_out⁻¹·μ, latent variance = k_t − diag(K_ti·K_out⁻¹·K_it) + diag(K_ti·K_out⁻¹·A·K_out⁻¹·K_it),
 * K_out = K(G_L) + δ_outI. There {@link #trainingTargets()} is μ and {@link #logLikelihood()} the output
 * layer's evidence lower bound (expected log-likelihood − KL(q ‖ p)).
 */
public final class DeepKernelMachineModel implements PredictiveVariance {
    private final GramMap map;
    private final double[] nu;
    private final double noise;
    private final Matrix x;
    private final Matrix y;
    private final List<Matrix> grams;
    private final double[] jitter;
    private final double[] terms;
    private final FitReport report;
    private final List<Matrix> layerFactors = new ArrayList<>();
    private final Matrix outputFactor;
    private final Matrix alpha;
    private final Matrix outputCovariance;
    private final SparseFit sparseFit;

    /**
     * How a sparse model was fitted, for its report.
     *
     * @param rows n, the training rows
     * @param expectedLogLikelihood Σ_t E_q log N(y_t; f_t, σ²) at the returned point (all rows)
     * @param outputKl Σ_λ KL(N(μ_λ, A) ‖ N(0, K_out))
     * @param batchSize 0 for full-batch L-BFGS
     * @param epochs minibatch passes (0 for full batch)
     * @param stop why the optimizer stopped
     * @param startSeconds choosing Z, the jitters and the collapsed start (one pass over the rows)
     * @param trainingSeconds the optimizer alone (L-BFGS, or the Adam epochs)
     * @param seconds all of the fit
     */
    public record SparseFit(int rows, double expectedLogLikelihood, double outputKl, int batchSize, int epochs,
            String stop, long iterations, long evaluations, double startSeconds, double trainingSeconds,
            double seconds) {
    }

    /**
     * Assembles a model (the estimator and model files call this); shapes are validated.
     *
     * @param grams G_1…G_L, each n×n
     * @param jitter δ_1…δ_L and δ_out
     * @param terms [log P(Y | G_L), KL_1, …, KL_L], or null to recompute them
     * @param search the L-BFGS result, or null (a loaded model)
     */
    public DeepKernelMachineModel(GramMap map, double[] nu, double noise, Matrix x, Matrix y, List<Matrix> grams,
            double[] jitter, double[] terms, BoundedLbfgs.Result search, double seconds) {
        this(map, nu, noise, x, y, grams, jitter, terms, search, seconds, null, null);
    }

    /**
     * Assembles a sparse model (the estimator and model files call this).
     *
     * @param inducing Z (m×d)
     * @param mean μ (m×k), the output mean at the inducing points
     * @param outputCovariance A (m×m), shared by the k outputs
     * @param grams the inducing Grams G_1…G_L, each m×m
     * @param terms [output evidence lower bound, KL_1, …, KL_L]
     * @param fit how it was fitted, or null (a loaded model)
     */
    public static DeepKernelMachineModel sparse(GramMap map, double[] nu, double noise, Matrix inducing, Matrix mean,
            Matrix outputCovariance, List<Matrix> grams, double[] jitter, double[] terms, SparseFit fit) {
        int m = inducing.rows();
        if (outputCovariance.rows() != m || outputCovariance.cols() != m) {
            throw new Kernels4jException("the output covariance has shape " + outputCovariance.shape() + ", expected "
                    + m + "x" + m);
        }
        if (terms == null || terms.length != grams.size() + 1) {
            throw new Kernels4jException("a sparse DKM model needs its L + 1 objective terms");
        }
        return new DeepKernelMachineModel(map, nu, noise, inducing, mean, grams, jitter, terms, null, 0,
                outputCovariance.copy(), fit);
    }

    private DeepKernelMachineModel(GramMap map, double[] nu, double noise, Matrix x, Matrix y, List<Matrix> grams,
            double[] jitter, double[] terms, BoundedLbfgs.Result search, double seconds, Matrix outputCovariance,
            SparseFit sparseFit) {
        this.outputCovariance = outputCovariance;
        this.sparseFit = sparseFit;
        int n = x.rows();
        int layers = grams.size();
        if (layers < 1 || nu.length != layers || jitter.length != layers + 1) {
            throw new Kernels4jException("a DKM model needs L >= 1 Gram matrices, L values of nu and L + 1 jitters; got "
                    + layers + ", " + nu.length + ", " + jitter.length);
        }
        if (y.rows() != n) {
            throw new Kernels4jException("the targets have " + y.rows() + " rows for " + n + " training rows");
        }
        for (Matrix g : grams) {
            if (g.rows() != n || g.cols() != n) {
                throw new Kernels4jException("a learned Gram matrix has shape " + g.shape() + ", expected " + n + "x" + n);
            }
        }
        this.map = map;
        this.nu = nu.clone();
        this.noise = noise;
        this.x = x;
        this.y = y;
        this.grams = List.copyOf(grams);
        this.jitter = jitter.clone();
        Matrix previous = DeepKernelMachine.inputGram(x);
        for (int l = 1; l <= layers; l++) {
            try (Cholesky c = DkmObjective.factor(DkmObjective.apply(map, previous, jitter[l - 1]))) {
                layerFactors.add(c.lower());
            }
            previous = grams.get(l - 1);
        }
        double outputDiagonal = jitter[layers] + (outputCovariance == null ? noise : 0); // sparse: q(u) has no noise
        try (Cholesky c = DkmObjective.factor(DkmObjective.apply(map, previous, outputDiagonal))) {
            outputFactor = c.lower();
            alpha = c.solve(y);
        }
        if (terms == null) {
            DkmObjective o = new DkmObjective(map, layers, nu, noise, DeepKernelMachine.inputGram(x), y, jitter);
            double[] theta = new double[layers * DkmObjective.packedSize(n)];
            for (int l = 0; l < layers; l++) {
                try (Cholesky c = DkmObjective.factor(grams.get(l))) {
                    DkmObjective.pack(c.lower(), theta, l * DkmObjective.packedSize(n));
                }
            }
            o.valueAndGradient(theta, null);
            terms = o.lastTerms();
        }
        this.terms = terms.clone();
        FitReport.Builder r = FitReport.builder().add("objective", objective()).add("log_likelihood", terms[0])
                .add("kl", java.util.Arrays.copyOfRange(terms, 1, terms.length)).add("nu", this.nu)
                .add("noise", noise).add("jitter", this.jitter).add("alignment", alignments());
        if (sparseFit != null) {
            r.add("inducing", (long) n).add("rows", (long) sparseFit.rows())
                    .add("expected_log_likelihood", sparseFit.expectedLogLikelihood())
                    .add("kl_output", sparseFit.outputKl()).add("batch_size", (long) sparseFit.batchSize())
                    .add("epochs", (long) sparseFit.epochs()).add("iterations", sparseFit.iterations())
                    .add("evaluations", sparseFit.evaluations()).add("stop", sparseFit.stop())
                    .add("start_seconds", sparseFit.startSeconds()).add("training_seconds", sparseFit.trainingSeconds())
                    .add("seconds", sparseFit.seconds());
        }
        if (search != null) {
            r.add("iterations", search.iterations()).add("evaluations", search.evaluations())
                    .add("stop", search.stop().name().toLowerCase(java.util.Locale.ROOT)).add("seconds", seconds);
        }
        this.report = r.build();
    }

    /** The layer map. */
    public GramMap map() {
        return map;
    }

    /** L. */
    public int layers() {
        return grams.size();
    }

    /** ν per layer (a copy). */
    public double[] nu() {
        return nu.clone();
    }

    /** σ². */
    public double noise() {
        return noise;
    }

    /** [log P(Y | G_L), KL_1, …, KL_L], as fitted. */
    double[] terms() {
        return terms.clone();
    }

    /** δ_1…δ_L, δ_out (a copy). */
    public double[] jitter() {
        return jitter.clone();
    }

    /** The learned G_ℓ for ℓ = 1…L (index ℓ − 1; copies). */
    public List<Matrix> grams() {
        List<Matrix> out = new ArrayList<>();
        for (Matrix g : grams) {
            out.add(g.copy());
        }
        return out;
    }

    /** Whether this is a sparse (inducing-point) model. */
    public boolean isSparse() {
        return outputCovariance != null;
    }

    /** A of a sparse model (m×m, a copy), null for an exact one. */
    public Matrix outputCovariance() {
        return outputCovariance == null ? null : outputCovariance.copy();
    }

    /** The training inputs (n×d); for a sparse model the inducing inputs (m×d). */
    public Matrix trainingInputs() {
        return x;
    }

    /** The training targets (n×k); for a sparse model μ (m×k). */
    public Matrix trainingTargets() {
        return y;
    }

    /** 𝓛 at the learned Grams: log P(Y | G_L) − Σ ν_ℓ·KL_ℓ. */
    public double objective() {
        double v = terms[0];
        for (int l = 1; l < terms.length; l++) {
            v -= nu[l - 1] * terms[l];
        }
        return v;
    }

    /** log P(Y | G_L). */
    public double logLikelihood() {
        return terms[0];
    }

    /** KL(N(0, G_ℓ) ‖ N(0, K_ℓ)) for ℓ = 1…L. */
    public double[] klDivergences() {
        return java.util.Arrays.copyOfRange(terms, 1, terms.length);
    }

    /**
     * Centred kernel–target alignment ({@link KernelAlignment#centered}) with the first target column of
     * G_0, G_1, …, G_L: how the learned representations move towards the targets, layer by layer.
     */
    public double[] alignments() {
        double[] target = y.column(0);
        double[] a = new double[grams.size() + 1];
        a[0] = KernelAlignment.centered(DeepKernelMachine.inputGram(x), target);
        for (int l = 0; l < grams.size(); l++) {
            a[l + 1] = KernelAlignment.centered(grams.get(l), target);
        }
        return a;
    }

    @Override
    public FitReport report() {
        return report;
    }

    @Override
    public int features() {
        return x.cols();
    }

    @Override
    public Matrix predict(Matrix xTest) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        Matrix kt = outputCross(xTest, null);
        Matrix mean = new Matrix(xTest.rows(), y.cols());
        Blas.gemm(false, false, 1, kt, alpha, 0, mean);
        return mean;
    }

    /** Var[f(x*)] of the latent output, the same for every output column (m×k). */
    @Override
    public Matrix predictiveVariance(Matrix xTest) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        int m = xTest.rows();
        double[] self = new double[m];
        Matrix kt = outputCross(xTest, self);
        Matrix v;
        Matrix w = null;
        Matrix aw = null;
        try (Cholesky c = Cholesky.ofFactor(outputFactor, 0)) {
            v = c.solveLower(kt.transpose()); // n×m
            if (outputCovariance != null) {
                w = c.solve(kt.transpose()); // K_out⁻¹K_it
                aw = new Matrix(w.rows(), w.cols());
                Blas.gemm(false, false, 1, outputCovariance, w, 0, aw);
            }
        }
        Matrix out = new Matrix(m, y.cols());
        int n = x.rows();
        for (int t = 0; t < m; t++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double vi = v.get(i, t);
                s -= vi * vi;
                if (w != null) {
                    s += w.get(i, t) * aw.get(i, t);
                }
            }
            double var = Math.max(0, self[t] + s);
            for (int o = 0; o < y.cols(); o++) {
                out.set(t, o, var);
            }
        }
        return out;
    }

    /** K(x*, X) of the output layer (m×n) after the L layer maps; fills k(x*, x*) into {@code self} when given. */
    private Matrix outputCross(Matrix xTest, double[] self) {
        int m = xTest.rows();
        int n = x.rows();
        int d = x.cols();
        Matrix gti = new Matrix(m, n);
        Blas.gemm(false, true, 1.0 / d, xTest, x, 0, gti);
        double[] gt = xTest.rowSquaredNorms();
        for (int t = 0; t < m; t++) {
            gt[t] /= d;
        }
        Matrix previous = DeepKernelMachine.inputGram(x);
        for (int l = 0; l < grams.size(); l++) {
            Matrix kti = cross(gt, gti, previous);
            Matrix a;
            try (Cholesky c = Cholesky.ofFactor(layerFactors.get(l), jitter[l])) {
                a = c.solve(kti.transpose()).transpose(); // K_ti·K_ℓ⁻¹, m×n
            }
            Matrix g = grams.get(l);
            Matrix next = new Matrix(m, n);
            Blas.gemm(false, false, 1, a, g, 0, next);
            double[] nextGt = new double[m];
            for (int t = 0; t < m; t++) {
                double explained = 0;
                double learned = 0;
                for (int i = 0; i < n; i++) {
                    explained += a.get(t, i) * kti.get(t, i);
                    learned += next.get(t, i) * a.get(t, i);
                }
                nextGt[t] = Math.max(0, map.value(gt[t], gt[t], gt[t]) - explained + learned);
            }
            gti = next;
            gt = nextGt;
            previous = g;
        }
        if (self != null) {
            for (int t = 0; t < m; t++) {
                self[t] = map.value(gt[t], gt[t], gt[t]);
            }
        }
        return cross(gt, gti, previous);
    }

    /** f(g_t, G_ti, G_ii) for every test row t and training column i. */
    private Matrix cross(double[] gt, Matrix gti, Matrix trainGram) {
        int m = gt.length;
        int n = trainGram.rows();
        Matrix k = new Matrix(m, n);
        for (int t = 0; t < m; t++) {
            for (int i = 0; i < n; i++) {
                k.set(t, i, map.value(gt[t], gti.get(t, i), trainGram.get(i, i)));
            }
        }
        return k;
    }
}
