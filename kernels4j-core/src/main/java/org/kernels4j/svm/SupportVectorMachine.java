package org.kernels4j.svm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.selection.CrossValidation;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.KernelMatrixEstimator;
import org.kernels4j.linalg.Parallelism;

/**
 * Support vector machines: C-SVC classification, ε-SVR regression and the one-class SVM, trained
 * by one SMO solver ({@link SmoSolver}: LIBSVM's dual, second-order working-set selection,
 * shrinking, batched kernel rows with an LRU cache). The duals solved (Chang &amp; Lin, 2011):
 *
 * <ul>
 *   <li><b>C-SVC</b>: min ½αᵀQα − eᵀα, yᵀα = 0, 0 ≤ α_i ≤ C·w_{y_i}, Q_ij = y_i·y_j·k(x_i, x_j)
 *       (w: class weights, default 1). More than two classes: one-vs-one (k(k−1)/2 problems on the
 *       pairs' rows, voting) or one-vs-rest (k problems on all rows).</li>
 *   <li><b>ε-SVR</b>: min ½(α−α*)ᵀK(α−α*) + εΣ(α+α*) − Σz_i(α−α*), Σ(α−α*) = 0,
 *       0 ≤ α, α* ≤ C; the prediction is Σ(α_i−α*_i)k(x_i, x) − ρ.</li>
 *   <li><b>ν-SVC</b> (Schölkopf et al. 2000; LIBSVM's scaling, Chang &amp; Lin 2001): min ½αᵀQα,
 *       yᵀα = 0, eᵀα = ν·l, 0 ≤ α_i ≤ 1 (l rows of the binary problem), started as LIBSVM does
 *       (ν·l/2 of weight on each class, first rows first). With r the solver's margin estimate the
 *       model keeps α/r and ρ/r, so the decision function is that of the C-SVC with C = 1/r. ν ∈ (0, 1]
 *       bounds the fraction of margin errors from above and of support vectors from below; a pair of
 *       classes with n₁, n₂ rows needs ν ≤ 2·min(n₁, n₂)/(n₁ + n₂) (else LIBSVM's "specified nu is
 *       infeasible"). Multiclass and probabilities as for C-SVC; class weights do not apply.</li>
 *   <li><b>ν-SVR</b>: min ½(α−α*)ᵀK(α−α*) − Σz_i(α_i−α*_i), Σ(α−α*) = 0, Σ(α+α*) = C·ν·n,
 *       0 ≤ α, α* ≤ C: ε-SVR whose tube width ε is chosen by the data (at most a fraction ν of rows
 *       lie outside the tube, at least ν are support vectors); LIBSVM's initialisation.</li>
 *   <li><b>One-class</b>: min ½αᵀKα, eᵀα = ν·n, 0 ≤ α_i ≤ 1; f(x) = Σα_i k(x_i, x) − ρ is positive
 *       on the estimated support of the data. ν upper-bounds the fraction of training outliers and
 *       lower-bounds the fraction of support vectors.</li>
 * </ul>
 * Probabilities (classifiers, {@code probability(true)}): for each binary problem, decision
 * values from an internal 5-fold cross-validation are fitted with Platt's sigmoid
 * ({@link Probabilities}); more than two classes are combined by pairwise coupling.
 *
 * <p>Any {@link Kernel} spec works (neural-network kernels included), and {@link #fitPrecomputed}
 * trains from a user-given Gram matrix (graph, quantum or any other kernel).
 *
 * <p>Complexity: when the n×n Gram matrix fits in the cache budget ({@code cacheMegabytes}) it is
 * computed once, O(n²·d), and shared by every problem. Otherwise each round of the solver computes
 * up to q/2 new kernel rows (q = working-set size) in one batch, O(q·n·d), and updates the
 * gradient in O(q·n); the number of rounds grows with the number of support vectors. Memory: O(n)
 * per problem plus the row cache (or the Gram matrix). Binary problems of a multiclass model run in
 * parallel, one per thread, each with its share of the cache.
 *
 * <p>Immutable; build with {@link #classifier()}, {@link #regression()} or {@link #oneClass()}.
 */
public final class SupportVectorMachine implements KernelMatrixEstimator<SvmModel> {
    private final SvmModel.Type type;
    private final Kernel kernel;
    private final double c;
    private final double epsilon;
    private final double nu;
    private final Map<Double, Double> classWeights;
    private final SvmModel.Multiclass multiclass;
    private final boolean probability;
    private final double tolerance;
    private final long cacheBytes;
    private final int workingSet;
    private final boolean shrinking;
    private final long maxIterations;
    private final long seed;
    private final ProgressListener progress;

    /**
     * What one binary (or regression, or one-class) problem's solve did, as LIBSVM prints it.
     *
     * @param objective the dual objective at the solution
     * @param rho the threshold ρ
     * @param iterations SMO steps
     * @param rounds working sets solved
     * @param gap the final violation m − M (below the tolerance when converged)
     * @param converged false when the iteration cap stopped it first
     * @param supportVectors samples with a non-zero coefficient
     * @param boundedSupportVectors samples with a coefficient at its bound C
     * @param kernelRows kernel rows computed
     * @param seconds wall-clock time of the solve
     */
    public record Solve(double objective, double rho, long iterations, int rounds, double gap, boolean converged,
            int supportVectors, int boundedSupportVectors, long kernelRows, double seconds) {
    }

    /** A trained model with one {@link Solve} per decision function (in the model's order). */
    record Training(SvmModel model, List<Solve> solves) {
        Training {
            model = model.withSolves(solves);
        }
    }

    private SupportVectorMachine(Builder b) {
        this.type = b.type;
        this.kernel = b.kernel;
        this.c = b.c;
        this.epsilon = b.epsilon;
        this.nu = b.nu;
        this.classWeights = Map.copyOf(b.classWeights);
        this.multiclass = b.multiclass;
        this.probability = b.probability;
        this.tolerance = b.tolerance;
        this.cacheBytes = b.cacheBytes;
        this.workingSet = b.workingSet;
        this.shrinking = b.shrinking;
        this.maxIterations = b.maxIterations;
        this.seed = b.seed;
        this.progress = b.progress;
    }

    /** A C-SVC classifier builder (C = 1, one-vs-one). */
    public static Builder classifier(Kernel kernel) {
        return new Builder(SvmModel.Type.C_SVC).kernel(kernel);
    }

    /** An ε-SVR builder (C = 1, ε = 0.1). */
    public static Builder regression(Kernel kernel) {
        return new Builder(SvmModel.Type.EPSILON_SVR).kernel(kernel);
    }

    /** A one-class SVM builder (ν = 0.5). */
    public static Builder oneClass(Kernel kernel) {
        return new Builder(SvmModel.Type.ONE_CLASS).kernel(kernel);
    }

    /** A ν-SVC classifier builder (ν = 0.5, one-vs-one). */
    public static Builder nuClassifier(Kernel kernel) {
        return new Builder(SvmModel.Type.NU_SVC).kernel(kernel);
    }

    /** A ν-SVR builder (ν = 0.5, C = 1). */
    public static Builder nuRegression(Kernel kernel) {
        return new Builder(SvmModel.Type.NU_SVR).kernel(kernel);
    }

    /** A ν-SVC builder with no kernel, for {@link #fitPrecomputed}. */
    public static Builder nuClassifier() {
        return new Builder(SvmModel.Type.NU_SVC);
    }

    /** A ν-SVR builder with no kernel, for {@link #fitPrecomputed}. */
    public static Builder nuRegression() {
        return new Builder(SvmModel.Type.NU_SVR);
    }

    /** A C-SVC builder with no kernel, for training from a precomputed Gram matrix ({@link #fitPrecomputed}). */
    public static Builder classifier() {
        return new Builder(SvmModel.Type.C_SVC);
    }

    /** An ε-SVR builder with no kernel, for {@link #fitPrecomputed}. */
    public static Builder regression() {
        return new Builder(SvmModel.Type.EPSILON_SVR);
    }

    /** A one-class builder with no kernel, for {@link #fitPrecomputed}. */
    public static Builder oneClass() {
        return new Builder(SvmModel.Type.ONE_CLASS);
    }

    /** The kernel (null when only precomputed training is possible). */
    @Override
    public Kernel kernel() {
        return kernel;
    }

    /** The same estimator with another kernel (used by grid search). */
    public SupportVectorMachine withKernel(Kernel k) {
        Builder b = toBuilder();
        b.kernel = k;
        return b.build();
    }

    /** The same estimator with another C. */
    public SupportVectorMachine withC(double value) {
        return toBuilder().c(value).build();
    }

    /** The same estimator reporting progress to {@code listener}. */
    public SupportVectorMachine withProgress(ProgressListener listener) {
        return toBuilder().progress(listener).build();
    }

    /** The same estimator with a kernel-cache budget in bytes (tests use tiny ones). */
    SupportVectorMachine withCacheBytes(long bytes) {
        Builder b = toBuilder();
        b.cacheBytes = bytes;
        return b.build();
    }

    /** C. */
    public double c() {
        return c;
    }

    /** What it trains. */
    public SvmModel.Type type() {
        return type;
    }

    private Builder toBuilder() {
        Builder b = new Builder(type);
        b.kernel = kernel;
        b.c = c;
        b.epsilon = epsilon;
        b.nu = nu;
        b.classWeights.putAll(classWeights);
        b.multiclass = multiclass;
        b.probability = probability;
        b.tolerance = tolerance;
        b.cacheBytes = cacheBytes;
        b.workingSet = workingSet;
        b.shrinking = shrinking;
        b.maxIterations = maxIterations;
        b.seed = seed;
        b.progress = progress;
        return b;
    }

    /**
     * Trains on features x (n×d) with targets y (n×1: class labels, regression targets, or ignored —
     * may be null — for one-class). What each solve did is in the model's report and
     * {@link SvmModel#solves()}.
     */
    @Override
    public SvmModel fit(Matrix x, Matrix y) {
        return train(x, targets(y)).model();
    }

    private static double[] targets(Matrix y) {
        if (y == null) {
            return null;
        }
        if (y.cols() != 1) {
            throw new Kernels4jException("SVM targets must be one column, got " + y.cols());
        }
        return y.data().clone();
    }

    Training train(Matrix x, double[] y) {
        if (kernel == null) {
            throw new Kernels4jException("no kernel set: give one with kernel(...), or train with fitPrecomputed");
        }
        x.requireFinite("features");
        if (x.rows() == 0) {
            throw new Kernels4jException("no training rows");
        }
        // When the whole Gram matrix fits in the kernel-cache budget, compute it once (symmetric tiles, half the
        // work) and let every problem read it: one-vs-one pairs, one-vs-rest classes and the probability folds
        // then share each kernel value instead of recomputing it per problem, and small problems skip the
        // per-round row batches altogether.
        long n = x.rows();
        KernelSource src = 8 * n * n <= cacheBytes ? KernelSource.precomputed(GramEngine.gram(kernel, x))
                : KernelSource.of(kernel, x);
        return train(src, x, y);
    }

    /** {@code fitPrecomputed(gram, y).predict(cross)}: labels, targets or ±1, m×1. */
    @Override
    public Prediction fitPredict(Matrix gram, Matrix y, Matrix cross) {
        SvmModel m = fitPrecomputed(gram, y);
        return new Prediction(m.predict(cross), m.report());
    }

    /** Trains from a precomputed n×n Gram matrix K(X, X) of the training rows; y as in {@link #fit}. */
    public SvmModel fitPrecomputed(Matrix gram, Matrix y) {
        return trainPrecomputed(gram, targets(y)).model();
    }

    Training trainPrecomputed(Matrix gram, double[] y) {
        KernelSource src = KernelSource.precomputed(gram);
        for (int i = 0; i < gram.rows(); i++) {
            if (!(gram.get(i, i) >= 0)) {
                throw new Kernels4jException("precomputed kernel: diagonal entry " + i + " is " + gram.get(i, i)
                        + "; a kernel matrix has k(x, x) >= 0");
            }
        }
        // SMO reads row i for k(x_i, ·) and column j for k(·, x_j): an asymmetric matrix would be solved as neither
        double scale = 0;
        for (double v : gram.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < gram.rows(); i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(gram.get(i, j) - gram.get(j, i)) > 1e-10 * scale) {
                    throw new Kernels4jException("precomputed kernel: entries (" + (i + 1) + ", " + (j + 1) + ") = "
                            + gram.get(i, j) + " and (" + (j + 1) + ", " + (i + 1) + ") = " + gram.get(j, i)
                            + " differ; a kernel matrix is symmetric (rows and columns numbered from 1)");
                }
            }
        }
        return train(src, null, y);
    }

    /** Trains from any kernel source (package-private so tests can force the row-on-demand path). */
    Training train(KernelSource src, Matrix x, double[] y) {
        int n = src.samples();
        if (type != SvmModel.Type.ONE_CLASS) {
            if (y == null || y.length != n) {
                throw new Kernels4jException("need " + n + " targets, one per training row, got "
                        + (y == null ? "none" : String.valueOf(y.length)));
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(y[i])) {
                    throw new Kernels4jException("target in row " + (i + 1) + " is " + y[i]);
                }
            }
        }
        switch (type) {
            case EPSILON_SVR:
            case NU_SVR:
                return regression(src, x, y);
            case ONE_CLASS:
                return oneClass(src, x);
            default:
                return classification(src, x, y);
        }
    }

    private SmoSolver.Options options(int variables, long cache, ProgressListener listener) {
        long cap = maxIterations > 0 ? maxIterations : Math.max(10_000_000L, 100L * variables);
        return new SmoSolver.Options(tolerance, cache, workingSet, shrinking, cap, listener);
    }

    private Training classification(KernelSource src, Matrix x, double[] y) {
        double[] classes = Arrays.stream(y).distinct().sorted().toArray();
        int k = classes.length;
        if (k < 2) {
            throw new Kernels4jException("classification needs at least two classes, found " + k
                    + (k == 1 ? " (every target is " + classes[0] + ")" : ""));
        }
        for (double label : classWeights.keySet()) {
            if (Arrays.binarySearch(classes, label) < 0) {
                throw new Kernels4jException("class weight given for label " + label + ", which is not in the data"
                        + " (classes: " + Arrays.toString(classes) + ")");
            }
        }
        int[] cls = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            cls[i] = Arrays.binarySearch(classes, y[i]);
        }
        if (type == SvmModel.Type.NU_SVC) {
            requireFeasibleNu(classes, cls);
        }
        // each problem: which classes are positive (y = +1) and which take part at all
        List<int[]> positive = new ArrayList<>();
        List<int[]> members = new ArrayList<>();
        if (k == 2 || multiclass == SvmModel.Multiclass.ONE_VS_ONE) {
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    positive.add(new int[] {a});
                    members.add(new int[] {a, b});
                }
            }
        } else {
            int[] all = java.util.stream.IntStream.range(0, k).toArray();
            for (int a = 0; a < k; a++) {
                positive.add(new int[] {a});
                members.add(all);
            }
        }
        int problems = positive.size();
        int n = y.length;
        double[][] coef = new double[problems][n];
        double[] rho = new double[problems];
        double[][] sigmoid = probability ? new double[problems][] : null;
        Solve[] solves = new Solve[problems];
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        // several binary problems run in parallel, one per thread, each with its share of the row cache
        long cache = problems > 1 ? cacheBytes / Math.min(problems, Parallelism.threads()) : cacheBytes;
        java.util.function.IntConsumer solveProblem = p -> {
            boolean[] in = new boolean[k];
            for (int m : members.get(p)) {
                in[m] = true;
            }
            int pos = positive.get(p)[0];
            int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> in[cls[i]]).toArray();
            double[] yb = new double[rows.length];
            double[] cb = new double[rows.length];
            for (int t = 0; t < rows.length; t++) {
                int label = cls[rows[t]];
                yb[t] = label == pos ? 1 : -1;
                // ν-SVC: bound 1 (LIBSVM's scaling); binary() replaces it by the equivalent C = 1/r
                cb[t] = type == SvmModel.Type.NU_SVC ? 1 : c * classWeights.getOrDefault(classes[label], 1.0);
            }
            KernelSource sub = rows.length == n ? src : src.subset(rows);
            long start = System.nanoTime();
            // one problem reports its own convergence; several report how many of them are done
            SmoSolver.Result r = binary(sub, yb, cb, cache, problems == 1 ? progress : ProgressListener.NONE);
            solves[p] = solve(r, cb, start);
            for (int t = 0; t < rows.length; t++) {
                coef[p][rows[t]] = yb[t] * r.alpha()[t];
            }
            rho[p] = r.rho();
            if (probability) {
                sigmoid[p] = Probabilities.fitSigmoid(crossValidatedDecisions(sub, yb, cb, cache), positives(yb));
            }
            if (problems > 1) {
                progress.progress(finished.incrementAndGet(), problems, "svm problems");
            }
        };
        if (problems == 1) {
            solveProblem.accept(0); // not inside a parallel block, so its kernel rows use every thread
        } else {
            Parallelism.forEachBlock(problems, solveProblem);
        }
        SvmModel.Multiclass scheme = k == 2 ? SvmModel.Multiclass.ONE_VS_ONE : multiclass;
        return new Training(model(x, n, coef, rho, classes, scheme, sigmoid), List.of(solves));
    }

    private static boolean[] positives(double[] yb) {
        boolean[] b = new boolean[yb.length];
        for (int i = 0; i < yb.length; i++) {
            b[i] = yb[i] > 0;
        }
        return b;
    }

    /**
     * LIBSVM's svm_check_parameter for ν-SVC: each binary problem (a pair of classes, or a class against
     * the rest) with n₁ and n₂ rows needs ν·(n₁ + n₂)/2 ≤ min(n₁, n₂), for eᵀα = ν·l to fit under the
     * bounds α ≤ 1 with yᵀα = 0.
     */
    private void requireFeasibleNu(double[] classes, int[] cls) {
        int k = classes.length;
        int[] count = new int[k];
        for (int c : cls) {
            count[c]++;
        }
        boolean pairs = k == 2 || multiclass == SvmModel.Multiclass.ONE_VS_ONE;
        for (int a = 0; a < k; a++) {
            for (int b = pairs ? a + 1 : -1; b < (pairs ? k : 0); b++) {
                int n1 = count[a];
                int n2 = pairs ? count[b] : cls.length - count[a];
                if (nu * (n1 + n2) / 2 > Math.min(n1, n2)) {
                    throw new Kernels4jException("specified nu is infeasible: nu = " + nu + " for class "
                            + classes[a] + " (" + n1 + " rows) against " + (pairs ? "class " + classes[b]
                                    : "the rest") + " (" + n2 + " rows); nu-SVC needs nu <= 2*min/(sum) = "
                            + (2.0 * Math.min(n1, n2) / (n1 + n2)));
                }
            }
        }
    }

    private SmoSolver.Result binary(KernelSource src, double[] yb, double[] cb, long cache, ProgressListener listener) {
        int l = yb.length;
        int[] sample = new int[l];
        for (int t = 0; t < l; t++) {
            sample[t] = t;
        }
        if (type == SvmModel.Type.NU_SVC) {
            return nuBinary(src, sample, yb, cb, cache, listener);
        }
        double[] p = new double[l];
        Arrays.fill(p, -1);
        return SmoSolver.solve(src, sample, yb, p, cb, new double[l], options(l, cache, listener));
    }

    /**
     * ν-SVC on one binary problem (LIBSVM's solve_nu_svc): starts with ν·l/2 of weight on each class,
     * first rows first, solves with bounds 1, then divides α, ρ (and the objective by r²) by r, so that
     * the result is the C-SVC solution for C = 1/r; {@code cb} is set to that C.
     */
    private SmoSolver.Result nuBinary(KernelSource src, int[] sample, double[] yb, double[] cb, long cache,
            ProgressListener listener) {
        int l = yb.length;
        double[] alpha0 = new double[l];
        double sumPos = nu * l / 2;
        double sumNeg = nu * l / 2;
        for (int t = 0; t < l; t++) {
            if (yb[t] > 0) {
                alpha0[t] = Math.min(1, sumPos);
                sumPos -= alpha0[t];
            } else {
                alpha0[t] = Math.min(1, sumNeg);
                sumNeg -= alpha0[t];
            }
        }
        SmoSolver.NuResult nr = SmoSolver.solveNu(src, sample, yb, new double[l], cb, alpha0,
                options(l, cache, listener), null);
        double r = nr.r();
        if (!(r > 0)) {
            // r is the margin of the normalised problem; it is positive whenever ν is feasible and the two
            // classes are not all bounded at once (then no C-SVC has this solution)
            throw new Kernels4jException("nu-SVC: the margin r = " + r + " is not positive (nu = " + nu
                    + " is too large for these data); lower nu");
        }
        SmoSolver.Result s = nr.result();
        double[] alpha = s.alpha().clone();
        for (int t = 0; t < l; t++) {
            alpha[t] /= r;
        }
        Arrays.fill(cb, 1 / r);
        return new SmoSolver.Result(alpha, s.rho() / r, s.objective() / (r * r), s.iterations(), s.rounds(), s.gap(),
                s.converged(), s.rowsComputed());
    }

    /**
     * Decision values of every row from a 5-fold cross-validation (seeded, stratified), for Platt's
     * sigmoid; the folds run in parallel when this is not already one of several parallel problems.
     */
    private double[] crossValidatedDecisions(KernelSource src, double[] yb, double[] cb, long cache) {
        int l = yb.length;
        int folds = Math.min(5, l);
        int[] fold = CrossValidation.stratifiedFolds(Matrix.column(yb.clone()), folds, seed);
        double[] dec = new double[l];
        long share = cache / Math.min(folds, Parallelism.threads());
        Parallelism.forEachBlock(folds, f -> {
            int[] train = CrossValidation.foldRows(fold, f, false);
            int[] test = CrossValidation.foldRows(fold, f, true);
            double[] yt = new double[train.length];
            double[] ct = new double[train.length];
            int npos = 0;
            for (int t = 0; t < train.length; t++) {
                yt[t] = yb[train[t]];
                ct[t] = cb[train[t]];
                npos += yt[t] > 0 ? 1 : 0;
            }
            if (npos == 0 || npos == train.length) {
                for (int i : test) {
                    dec[i] = npos == 0 ? -1 : 1; // one class only in this fold's training rows
                }
                return;
            }
            SmoSolver.Result r = binary(src.subset(train), yt, ct, share, ProgressListener.NONE);
            int count = 0;
            for (double a : r.alpha()) {
                count += a != 0 ? 1 : 0;
            }
            int[] sv = new int[count];
            double[] w = new double[count];
            count = 0;
            for (int t = 0; t < train.length; t++) {
                if (r.alpha()[t] != 0) {
                    sv[count] = train[t];
                    w[count++] = yt[t] * r.alpha()[t];
                }
            }
            double[] s = src.times(test, sv, w);
            for (int i = 0; i < test.length; i++) {
                dec[test[i]] = s[i] - r.rho();
            }
        });
        return dec;
    }

    private Training regression(KernelSource src, Matrix x, double[] z) {
        int n = z.length;
        int l = 2 * n;
        int[] sample = new int[l];
        double[] yy = new double[l];
        double[] p = new double[l];
        double[] upper = new double[l];
        boolean nuSvr = type == SvmModel.Type.NU_SVR;
        double[] alpha0 = new double[l];
        double sum = c * nu * n / 2; // ν-SVR: LIBSVM's start, Σ(α + α*) = C·ν·n spread over the first rows
        for (int i = 0; i < n; i++) {
            sample[i] = i;
            sample[i + n] = i;
            yy[i] = 1;
            yy[i + n] = -1;
            // ν-SVR has no ε in the linear term: the eᵀ(α + α*) constraint sets the tube instead
            p[i] = (nuSvr ? 0 : epsilon) - z[i];
            p[i + n] = (nuSvr ? 0 : epsilon) + z[i];
            if (nuSvr) {
                alpha0[i] = Math.min(sum, c);
                alpha0[i + n] = alpha0[i];
                sum -= alpha0[i];
            }
        }
        Arrays.fill(upper, c);
        long start = System.nanoTime();
        SmoSolver.Result r = nuSvr
                ? SmoSolver.solveNu(src, sample, yy, p, upper, alpha0, options(l, cacheBytes, progress), null).result()
                : SmoSolver.solve(src, sample, yy, p, upper, alpha0, options(l, cacheBytes, progress));
        double[] coef = new double[n];
        for (int i = 0; i < n; i++) {
            coef[i] = r.alpha()[i] - r.alpha()[i + n];
        }
        Solve s = solve(r, upper, start);
        int sv = 0;
        int bsv = 0;
        for (int i = 0; i < n; i++) {
            sv += coef[i] != 0 ? 1 : 0;
            bsv += Math.abs(coef[i]) >= c ? 1 : 0;
        }
        s = new Solve(s.objective(), s.rho(), s.iterations(), s.rounds(), s.gap(), s.converged(), sv, bsv,
                s.kernelRows(), s.seconds());
        return new Training(model(x, n, new double[][] {coef}, new double[] {r.rho()}, null, null, null), List.of(s));
    }

    private Training oneClass(KernelSource src, Matrix x) {
        int n = src.samples();
        int[] sample = new int[n];
        double[] yy = new double[n];
        double[] upper = new double[n];
        double[] alpha0 = new double[n];
        for (int i = 0; i < n; i++) {
            sample[i] = i;
        }
        Arrays.fill(yy, 1);
        Arrays.fill(upper, 1);
        // LIBSVM's feasible start: the first ⌊νn⌋ at the bound, the remainder on the next one
        int whole = (int) (nu * n);
        for (int i = 0; i < whole; i++) {
            alpha0[i] = 1;
        }
        if (whole < n) {
            alpha0[whole] = nu * n - whole;
        }
        long start = System.nanoTime();
        SmoSolver.Result r = SmoSolver.solve(src, sample, yy, new double[n], upper, alpha0,
                options(n, cacheBytes, progress));
        return new Training(model(x, n, new double[][] {r.alpha()}, new double[] {r.rho()}, null, null, null),
                List.of(solve(r, upper, start)));
    }

    private static Solve solve(SmoSolver.Result r, double[] upper, long start) {
        int sv = 0;
        int bsv = 0;
        for (int t = 0; t < r.alpha().length; t++) {
            sv += r.alpha()[t] > 0 ? 1 : 0;
            bsv += r.alpha()[t] >= upper[t] ? 1 : 0;
        }
        return new Solve(r.objective(), r.rho(), r.iterations(), r.rounds(), r.gap(), r.converged(), sv, bsv,
                r.rowsComputed(), (System.nanoTime() - start) / 1e9);
    }

    /** Collects the rows with any non-zero coefficient into a model. */
    private SvmModel model(Matrix x, int n, double[][] coef, double[] rho, double[] classes,
            SvmModel.Multiclass scheme, double[][] sigmoid) {
        int problems = coef.length;
        int[] sv = java.util.stream.IntStream.range(0, n).filter(i -> {
            for (double[] cp : coef) {
                if (cp[i] != 0) {
                    return true;
                }
            }
            return false;
        }).toArray();
        Matrix coefficients = new Matrix(sv.length, problems);
        for (int s = 0; s < sv.length; s++) {
            for (int p = 0; p < problems; p++) {
                coefficients.set(s, p, coef[p][sv[s]]);
            }
        }
        for (int p = 0; p < problems; p++) {
            boolean finite = Double.isFinite(rho[p]);
            for (int s = 0; s < sv.length; s++) {
                finite &= Double.isFinite(coefficients.get(s, p));
            }
            if (!finite) {
                throw new Kernels4jException("SVM: the dual coefficients or offset rho overflowed to Inf or NaN (with "
                        + "targets or C this large the optimization leaves double range); scale the target or the "
                        + "features, or lower C");
            }
        }
        return new SvmModel(type, x == null ? null : kernel, x == null ? null : x.selectRows(sv), sv, n, coefficients,
                rho, classes, scheme, sigmoid);
    }

    /** Options for {@link SupportVectorMachine}; every setter validates at once. */
    public static final class Builder {
        private final SvmModel.Type type;
        private Kernel kernel;
        private double c = 1;
        private double epsilon = 0.1;
        private double nu = 0.5;
        private final Map<Double, Double> classWeights = new LinkedHashMap<>();
        private SvmModel.Multiclass multiclass = SvmModel.Multiclass.ONE_VS_ONE;
        private boolean probability;
        private double tolerance = 1e-3;
        private long cacheBytes = 512L << 20;
        private int workingSet = 512;
        private boolean shrinking = true;
        private long maxIterations;
        private long seed = 1;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder(SvmModel.Type type) {
            this.type = type;
        }

        /** The kernel (not needed for {@link #fitPrecomputed}). */
        public Builder kernel(Kernel value) {
            this.kernel = value;
            return this;
        }

        /** C &gt; 0, the penalty on margin violations (classifiers and ε-SVR; default 1). */
        public Builder c(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new Kernels4jException("C must be a positive number, got " + value);
            }
            requireNot(SvmModel.Type.ONE_CLASS, "C (a one-class SVM is set by nu)");
            requireNot(SvmModel.Type.NU_SVC, "C (a nu-SVC is set by nu)");
            this.c = value;
            return this;
        }

        /** ε ≥ 0, the width of the insensitive tube (ε-SVR; default 0.1). */
        public Builder epsilon(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new Kernels4jException("epsilon must be a number >= 0, got " + value);
            }
            requireOnly(SvmModel.Type.EPSILON_SVR, "epsilon");
            this.epsilon = value;
            return this;
        }

        /**
         * ν ∈ (0, 1] (one-class, ν-SVC, ν-SVR; default 0.5): an upper bound on the fraction of margin
         * errors (outliers, rows outside the tube) and a lower bound on the fraction of support vectors.
         */
        public Builder nu(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new Kernels4jException("nu must be in (0, 1], got " + value);
            }
            if (type != SvmModel.Type.ONE_CLASS && type != SvmModel.Type.NU_SVC && type != SvmModel.Type.NU_SVR) {
                throw new Kernels4jException("nu applies only to ONE_CLASS, NU_SVC and NU_SVR, not " + type);
            }
            this.nu = value;
            return this;
        }

        /** Multiplies C by {@code weight} &gt; 0 for rows of class {@code label} (classifiers). */
        public Builder classWeight(double label, double weight) {
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new Kernels4jException("class weight for " + label + " must be a positive number, got " + weight);
            }
            requireOnly(SvmModel.Type.C_SVC, "class weights");
            classWeights.put(label, weight);
            return this;
        }

        /** One-vs-one (default) or one-vs-rest for more than two classes. */
        public Builder multiclass(SvmModel.Multiclass value) {
            if (type != SvmModel.Type.NU_SVC) {
                requireOnly(SvmModel.Type.C_SVC, "the multiclass scheme");
            }
            this.multiclass = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** Whether to fit Platt sigmoids by internal 5-fold cross-validation (classifiers; costs 5 extra solves per problem). */
        public Builder probability(boolean value) {
            if (value && type != SvmModel.Type.NU_SVC) {
                requireOnly(SvmModel.Type.C_SVC, "probability estimates");
            }
            this.probability = value;
            return this;
        }

        /** ε of the stopping criterion m(α) − M(α) &lt; ε (default 10⁻³, as LIBSVM). */
        public Builder tolerance(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new Kernels4jException("tolerance must be a positive number, got " + value);
            }
            this.tolerance = value;
            return this;
        }

        /** Memory budget for cached kernel rows, in MiB (default 512). */
        public Builder cacheMegabytes(long value) {
            if (value < 1) {
                throw new Kernels4jException("cache size must be at least 1 MB, got " + value);
            }
            this.cacheBytes = value << 20;
            return this;
        }

        /** Working-set size q ≥ 2: kernel rows are computed up to q/2 at a time (default 512). */
        public Builder workingSet(int value) {
            if (value < 2) {
                throw new Kernels4jException("working set size must be at least 2, got " + value);
            }
            this.workingSet = value;
            return this;
        }

        /** Whether to shrink the active set (default true). */
        public Builder shrinking(boolean value) {
            this.shrinking = value;
            return this;
        }

        /** Cap on SMO steps per problem (default max(10⁷, 100·variables)). */
        public Builder maxIterations(long value) {
            if (value < 1) {
                throw new Kernels4jException("max iterations must be at least 1, got " + value);
            }
            this.maxIterations = value;
            return this;
        }

        /** Receives progress: the violation's fall towards the tolerance (one problem), or problems done. */
        public Builder progress(ProgressListener value) {
            this.progress = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** Seed of the probability cross-validation folds. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        private void requireOnly(SvmModel.Type only, String what) {
            if (type != only) {
                throw new Kernels4jException(what + " applies only to " + only + ", not " + type);
            }
        }

        private void requireNot(SvmModel.Type not, String what) {
            if (type == not) {
                throw new Kernels4jException(what + " does not apply to " + type);
            }
        }

        /** The estimator. */
        public SupportVectorMachine build() {
            return new SupportVectorMachine(this);
        }
    }
}
