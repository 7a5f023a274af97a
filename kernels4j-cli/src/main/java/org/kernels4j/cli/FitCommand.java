package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.SparseGaussianProcess;
import org.kernels4j.gp.SparseGaussianProcessModel;
import org.kernels4j.gp.StudentTProcess;
import org.kernels4j.gp.StudentTProcessModel;
import org.kernels4j.gp.BayesianGaussianProcess;
import org.kernels4j.gp.BayesianGaussianProcessModel;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.dkm.DeepKernelMachine;
import org.kernels4j.dkm.DeepKernelMachineClassifier;
import org.kernels4j.dkm.DeepKernelMachineClassifierModel;
import org.kernels4j.dkm.DeepKernelMachineModel;
import org.kernels4j.dkm.GramMap;
import org.kernels4j.dkm.SparseDeepKernelMachine;
import org.kernels4j.model.Model;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.regression.NtkPredictor;
import org.kernels4j.regression.NtkPredictorModel;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.NystromKernelRidge;
import org.kernels4j.selection.RegressionMetrics;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.spectral.SpectralFilter;
import org.kernels4j.selection.ClassificationMetrics;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Precision;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;
import org.kernels4j.svm.StringSvmModel;
import org.kernels4j.kernel.string.StringKernel;
import org.kernels4j.io.TextColumnReader;
import picocli.CommandLine.Command;
import org.kernels4j.online.OnlineKernelLearner;
import org.kernels4j.online.OnlineKernelModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a model on a CSV or LibSVM file and save it as a model file (.zip).",
            "krr: exact kernel ridge regression, alpha = (K + lambda I)^-1 y. With --lambda auto, lambda is chosen "
                + "from --lambda-grid by leave-one-out error (or GCV) from one eigendecomposition. --filter replaces "
                + "ridge by another spectral regularisation (iterated Tikhonov, cut-off, Landweber, gradient flow, "
                + "nu-method, self-distillation) whose parameter GCV chooses the same way.",
            "svc, svr, oneclass: support vector machines (SMO, LIBSVM's dual and stopping rule). With --kernel "
                + "precomputed the feature columns are kernel values k(row, training row j), one per training row.",
            "gp, sgpr: exact and sparse (Titsias) Gaussian process regression (gp --bayesian hmc|vi integrates the "
                + "hyperparameters out); tp: Student-t process regression; gpc: Gaussian process classification "
                + "(Laplace); ntk: the infinite-width network ensemble (Neural Tangents' gradient_descent_mse_ensemble); "
                + "private-similarity: an epsilon-differentially private classifier by average similarity.",
            "dkm: an exact deep kernel machine (Yang et al., ICML 2023): --layers learned Gram matrices, each "
                + "kept near the layer map --kernel of the previous one with strength --nu (nu -> infinity is the NNGP)."})
final class FitCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training data (.csv, or .libsvm/.svm).")
    Path train;

    @Option(names = "--target", defaultValue = "-1", paramLabel = "NAME|INDEX",
            description = "Target column: a header name or a 0-based index, negative from the end (default: last column).")
    String target;

    @Option(names = "--model", defaultValue = "krr", paramLabel = "krr|gp|tp|sgpr|svgp|gpc|ntk|dkm|svc|svr|oneclass|nusvc|nusvr|pegasos|online|private-similarity|kron-gp|ss-gp|lssvm|rvm|kqr",
            description = "krr: kernel ridge regression. gp: Gaussian process regression (noise in the kernel as "
                    + "+ white(noise=...), learned with --optimize); its model file also predicts standard deviations. "
                    + "tp: Student-t process regression (--dof, or --inverse-gamma for the scale mixture of NNGPs). "
                    + "sgpr: sparse GP with --inducing points (the kernel must be signal + white(noise=...)). "
                    + "svgp: sparse variational GP for any --likelihood (probit, logit, poisson, student-t(nu=,scale=), "
                    + "gaussian(noise=)) with --inducing points, trained on minibatches (--batch-size, --epochs, "
                    + "--natural-step; --optimize also learns the kernel and the inducing inputs by Adam, "
                    + "--learning-rate), for millions of rows. "
                    + "gpc: GP classification (Laplace, EP or CVI: --inference, --objective, --likelihood; --multi-class ovr|softmax). ntk: infinite-width network ensemble trained "
                    + "to --time (the kernel must be nngp(...) or ntk(...)). private-similarity: differentially private "
                    + "classification by average kernel similarity (--epsilon, --features). "
                    + "svc: support vector classification; svr: epsilon-support vector regression; oneclass: "
                    + "one-class SVM for novelty detection (every CSV column is a feature unless --target names one "
                    + "to leave out). nusvc, nusvr: nu-SVC and nu-SVR (LIBSVM's nu formulations, --nu). pegasos: kernel "
                    + "Pegasos, stochastic sub-gradient SVM without bias (--lambda, --iterations, --averaging; saved as "
                    + "an SVM). online: NORMA online learning with a budget, as kernlab's onlearn (--online-type, "
                    + "--budget terms, --learning-rate, --lambda, --nu), one pass in file order. "
                    + "dkm: deep kernel machine regression (classification with --likelihood one-hot); --kernel is then its layer map, "
                    + "se(length=...) or nngp(activation=relu, w_var=..., b_var=...). "
                    + "kron-gp: exact GP on rows that lie on a Cartesian grid (cells may be missing), one kernel per "
                    + "feature column in --kernel separated by ';' (one spec alone serves every axis). "
                    + "ss-gp: exact O(n) state-space GP on one feature column (time), --kernel a sum of "
                    + "c*matern(nu=0.5|1.5|2.5, length=...) and resonator(nu=..., length=..., variance=..., frequency=...). "
                    + "lssvm: least-squares SVM (--ls-gamma; --classify for class labels, one-vs-rest). rvm: relevance "
                    + "vector machine (--classify for class labels). kqr: kernel quantile regression at --quantiles, "
                    + "non-crossing (--c) "
                    + "(default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC",
            description = "Kernel spec, e.g. 'rbf(gamma=0.5)' or '2*matern(nu=2.5, length=1) + white(noise=0.1)'.")
    String kernel;

    @Option(names = "--lambda", defaultValue = "1", paramLabel = "VALUE|auto",
            description = "Ridge regularization lambda > 0 (also of --filter iterated|cutoff|self-distillation), or "
                    + "'auto' to select it over --lambda-grid; --select without --lambda also selects it "
                    + "(default: ${DEFAULT-VALUE}).")
    String lambda;

    @Option(names = "--lambda-grid", defaultValue = "1e-6:1e2:17", paramLabel = "FROM:TO:COUNT",
            description = "Log-spaced grid searched by --lambda auto (default: ${DEFAULT-VALUE}).")
    String lambdaGrid;

    @Option(names = "--select", defaultValue = "loo", paramLabel = "loo|gcv",
            description = "Criterion that chooses the parameter of --lambda auto, or of --filter "
                    + "landweber|nu-method|flow|self-distillation: loo (exact leave-one-out, ridge only; the default "
                    + "for ridge) or gcv (every filter; the default for the others and for --solver nystrom).")
    String select;

    @Option(names = "--intercept", description = "Fit an unpenalized constant per output besides the kernel "
            + "expansion (recommended unless the target is already centred).")
    boolean intercept;

    @Option(names = "--solver", defaultValue = "exact", paramLabel = "exact|nystrom",
            description = "exact: Cholesky of the n x n kernel matrix (n up to ~30000). nystrom: --centers landmarks and "
                    + "preconditioned conjugate gradient (Falkon), memory O(n d + m^2), for millions of rows "
                    + "(default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--centers", paramLabel = "M",
            description = "Nystrom centres for --solver nystrom (default 1000).")
    Integer centers;

    @Option(names = "--nystrom-solve", defaultValue = "auto", paramLabel = "auto|cg|stored|direct",
            description = "How --solver nystrom solves its m x m system: auto (CG on a stored K_nm when its 8 n m bytes "
                    + "fit half the free heap, else direct up to 1024 centres, else CG recomputing K_nm each "
                    + "iteration), cg, stored or direct (default: ${DEFAULT-VALUE}).")
    String nystromSolve;

    @Option(names = "--preconditioner-rows", paramLabel = "S",
            description = "--solver nystrom's CG preconditioner estimates K_nm^T K_nm from S sampled rows; 0 uses the "
                    + "centres (Falkon's original). Default min(n, 8m, 160n/m). Changes the iterations, not the fit.")
    Integer preconditionerRows;

    @Option(names = "--cg-stop", defaultValue = "change", paramLabel = "change|residual",
            description = "When --solver nystrom's CG stops: change (two steps each moved the fit by less than --tol "
                    + "of its norm; default tol 1e-4) or residual (relative residual below --tol; default 1e-7) "
                    + "(default: ${DEFAULT-VALUE}).")
    String cgStop;

    @Option(names = "--sampler", defaultValue = "uniform", paramLabel = "NAME",
            description = "How --solver nystrom picks centres, and how dkm --inducing and svgp (default kmeans++ there) pick "
                    + "inducing points: uniform, "
                    + "kmeans++, leverage, dpp, logdet, kt (kernel thinning) or inchol (pivoted incomplete Cholesky) "
                    + "(default: ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--sample-weights", paramLabel = "FILE",
            description = "krr (exact solver, fixed --lambda): one weight > 0 per training row, read from the LAST "
                    + "column of a CSV (so `thin --index-out` files work); each squared residual is multiplied by its "
                    + "weight, after the weights are rescaled to mean 1.")
    java.nio.file.Path sampleWeights;

    @Option(names = "--max-iter", paramLabel = "N", description = "Iteration limit: CG for --solver nystrom (default 100), "
            + "L-BFGS per start for --model gp|sgpr --optimize (default 1000), Newton steps, EP sweeps or CVI steps per binary problem "
            + "for gpc (default 100), SMO steps per binary problem for svc, svr and oneclass (default max(10^7, 100 n)), L-BFGS "
            + "iterations for dkm (default 1000), alpha updates for rvm (default 100).")
    Integer maxIter;

    @Option(names = "--optimize", description = "gp, sgpr, gpc, svgp: learn the kernel's hyperparameters by maximizing the log "
            + "marginal likelihood (gpc: the --objective; L-BFGS in log space within bounds).")
    boolean optimize;

    @Option(names = "--inference", paramLabel = "laplace|ep|cvi", description = "gpc: the posterior approximation: "
            + "laplace (default), ep (expectation propagation) or cvi (conjugate-computation variational inference).")
    String inference;

    @Option(names = "--objective", paramLabel = "elbo|ep-like|evidence", description = "gpc: what --optimize maximizes "
            + "and the fit reports: the ELBO, the EP-like estimate from the sites (with cvi: Li, John & Solin 2023), or "
            + "the method's own evidence (default; laplace/ep evidence, the ELBO for cvi).")
    String objective;

    @Option(names = "--likelihood", paramLabel = "logit|probit|gaussian|one-hot", description = "gpc: the link p(y = 1 | f) "
            + "(logit|probit, default logit). svgp: probit (default), logit, poisson, student-t(nu=V,scale=V) or "
            + "gaussian(noise=V). dkm: gaussian (regression, default) or one-hot (classification: the label "
            + "column becomes centred one-hot targets under the Gaussian likelihood; labels by the largest mean, "
            + "probabilities for predict --proba).")
    String likelihood;

    @Option(names = "--multi-class", paramLabel = "ovr|softmax", description = "gpc with more than two classes: ovr "
            + "(default: one binary classifier per class, probabilities normalized) or softmax (one latent GP per class "
            + "under the softmax likelihood, Laplace, R&W Algorithm 3.3; O(C n^3) per Newton step; probabilities by "
            + "Monte Carlo, 10,000 seeded draws).")
    String multiClass;

    @Option(names = "--restarts", defaultValue = "0", paramLabel = "R", description = "gp --optimize: extra starts drawn "
            + "log-uniformly within the bounds, seeded by --seed (default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--bounds", paramLabel = "NAME=LO:HI", description = "gp --optimize: bounds for one hyperparameter, "
            + "e.g. rbf.length=0.01:100 (repeatable; default 1e-5:1e5). Names are listed by the fit output.")
    List<String> bounds = new java.util.ArrayList<>();

    @Option(names = "--fix", paramLabel = "NAME", description = "gp --optimize: keep this hyperparameter at its value "
            + "in the kernel spec (repeatable).")
    List<String> fixed = new java.util.ArrayList<>();

    @Option(names = "--noise", paramLabel = "VALUE", description = "gp: fixed variance added to "
            + "the diagonal besides the kernel, scikit-learn's alpha (default 1e-10); dkm: the Gaussian noise variance "
            + "of the target (default 0.01).")
    Double noise;

    @Option(names = "--max-missing", paramLabel = "M", description = "kron-gp: the most grid cells without a row "
            + "that the exact solver accepts (default 1000; each costs one grid-sized solve and 8 bytes per cell).")
    Integer maxMissing;

    @Option(names = "--layers", paramLabel = "L", description = "dkm: number of learned Gram matrices (default 2).")
    Integer layers;

    @Option(names = "--learn-noise", description = "dkm (exact and sparse): also learn the noise variance, started at --noise "
            + "(at small --nu the representations can fit the targets and the noise run to 0: check the printed value).")
    boolean learnNoise;

    @Option(names = "--normalize", description = "gp: centre and scale the target to unit variance before fitting "
            + "(scikit-learn's normalize_y); predictions are mapped back.")
    boolean normalize;

    @Option(names = "--bayesian", paramLabel = "hmc|vi|vi-full", description = "gp: integrate the hyperparameters out "
            + "instead of optimizing them: hmc (Hamiltonian Monte Carlo), vi (mean-field Gaussian VI) or vi-full "
            + "(full-rank); priors log(theta) ~ N(log of the kernel spec's value, --prior-scale^2).")
    String bayesian;

    @Option(names = "--chains", paramLabel = "C", description = "gp --bayesian hmc: number of chains (default 4).")
    Integer chains;

    @Option(names = "--warmup", paramLabel = "W", description = "gp --bayesian hmc: warm-up iterations per chain "
            + "(default 200).")
    Integer warmup;

    @Option(names = "--draws", paramLabel = "D", description = "gp --bayesian hmc: kept draws per chain (default 200).")
    Integer draws;

    @Option(names = "--prior-scale", paramLabel = "S", description = "gp --bayesian: standard deviation of the log-normal "
            + "priors (default 1).")
    Double priorScale;

    @Option(names = "--dof", paramLabel = "NU", description = "tp: degrees of freedom nu > 2, the kernel being the prior "
            + "covariance (default 5).")
    Double dof;

    @Option(names = "--learn-dof", description = "tp --optimize: also learn nu.")
    boolean learnDof;

    @Option(names = "--inverse-gamma", paramLabel = "A:B", description = "tp: the scale mixture of NNGPs: the kernel's "
            + "scale has an InvGamma(A, B) prior, giving nu = 2A (replaces --dof).")
    String inverseGamma;

    @Option(names = "--inducing", paramLabel = "M", description = "sgpr, svgp: number of inducing points (default 100). dkm: "
            + "the sparse deep kernel machine with M inducing points (picked by --sampler, seeded by --seed), cost "
            + "linear in the rows; without it, the exact DKM.")
    Integer inducing;

    @Option(names = "--batch-size", paramLabel = "B", description = "svgp: rows per minibatch (default 1000). dkm --inducing: train by Adam on minibatches of B "
            + "rows (the likelihood scaled by n/B: an unbiased estimate) instead of full-batch L-BFGS.")
    Integer batchSize;

    @Option(names = "--natural-step", paramLabel = "GAMMA", description = "svgp: the natural-gradient step on q(u), in "
            + "(0, 1] (default 0.5 when one batch holds every row, else 0.1).")
    Double naturalStep;

    @Option(names = "--epochs", paramLabel = "E", description = "svgp, dkm --inducing --batch-size: passes over the rows "
            + "(default 10).")
    Integer epochs;

    @Option(names = "--time", paramLabel = "T", description = "ntk: training time t of the gradient flow "
            + "(default: infinity, i.e. trained to convergence). krr --filter flow: the time t of dalpha/dt = y - K alpha "
            + "(default: chosen by GCV over --grid).")
    Double time;

    @Option(names = "--learning-rate", paramLabel = "ETA", description = "ntk: learning rate eta (default 1; only "
            + "eta*t matters). dkm --batch-size, svgp --optimize: Adam's step size (default 0.01).")
    Double learningRate;

    @Option(names = "--diag-reg", paramLabel = "R", description = "ntk: regularizer added to the kernels' diagonal, "
            + "relative to their mean diagonal (default 0).")
    Double diagReg;

    @Option(names = "--epsilon-dp", paramLabel = "EPS", description = "private-similarity: the privacy parameter "
            + "epsilon > 0 (default 1).")
    Double epsilonDp;

    @Option(names = "--ledger", paramLabel = "FILE", description = "private-similarity: privacy budget ledger "
            + "(see kde fit --ledger); charged once with epsilon (the classes compose in parallel).")
    Path ledger;

    @Option(names = "--budget", paramLabel = "EPS", description = "private-similarity: the data file's total epsilon "
            + "budget in --ledger.")
    Double budget;

    @Option(names = "--features", paramLabel = "D", description = "private-similarity: random Fourier features per "
            + "class, even (default 1000).")
    Integer features;

    @Option(names = "--tol", paramLabel = "TOL", description = "krr --solver nystrom: the tolerance of --cg-stop "
            + "(default 1e-4 for change, 1e-7 for residual). svc, svr, oneclass, kqr: the SMO stopping tolerance on the "
            + "KKT violation (default 1e-3, as LIBSVM). rvm: stop when no log(alpha) changes by more (default 1e-3).")
    Double tol;

    @Option(names = "--precision", paramLabel = "double|mixed|auto", description = "krr --solver exact at a fixed "
            + "--lambda: the Cholesky's arithmetic. double (default): float64. mixed: float32 factor refined to float64 "
            + "accuracy, about half the factorization time and 1.5x the memory; falls back to float64 (and says so) "
            + "when the refinement does not contract. auto: mixed from n = 4096 on.")
    String precision;

    @Mixin
    SvmOptions svm;

    @Mixin
    OnlineOptions onlineOptions;

    @Mixin
    FilterOptions filters;

    @Option(names = "--calibrate", paramLabel = "sigmoid|isotonic", description = "svc, gpc: calibrate "
            + "the probabilities on 5 stratified folds (seeded by --seed): Platt's sigmoid or isotonic regression of the "
            + "out-of-fold decision values (or scores, or probabilities), then refit on all rows (scikit-learn's "
            + "CalibratedClassifierCV, ensemble=False). The model file then gives predict --proba.")
    String calibrate;

    @Option(names = "--training-score", defaultValue = "sample", paramLabel = "sample|all", description = "How many "
            + "training rows are scored after the fit (the training accuracy or RMSE printed, and the check that the "
            + "model's predictions are finite): sample (default) scores a seeded " + SCORED_SAMPLE + " when there are "
            + "more and says so; all scores every row, which costs a prediction over the whole training set.")
    String trainingScore;

    /** At most this many training rows are scored after a fit unless --training-score all. */
    static final int SCORED_SAMPLE = 10_000;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the centre sampling, the restarts of "
            + "--optimize, SVM probability folds; for private-similarity, the public random frequencies only (the noise "
            + "always comes from a secure generator and has no seed) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "Model file to write.")
    Path out;

    @Option(names = "--text-column", paramLabel = "NAME", description = "svc, svr, oneclass: learn from the texts in "
            + "this CSV column (header row required) with a string kernel as --kernel: spectrum(length=4), "
            + "boundrange(length=4), constant(), exponential(lambda=1.1), subsequence(k=3, lambda=0.5), "
            + "mismatch(k=5, m=1, alphabet=ACGT); normalized=false for raw values. The model file keeps the "
            + "support texts and predicts on the same column of new files (see docs/string-and-graph-kernels.md).")
    String textColumn;

    @Mixin
    DataOptionsMixin data;

    @Mixin
    KernelLearners learners;

    @Option(names = "--no-progress", description = "Never show a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--ledger", ledger);
        if (!trainingScore.equals("sample") && !trainingScore.equals("all")) {
            throw new UsageException("--training-score must be sample or all, got '" + trainingScore + "'");
        }
        if (sampleWeights != null) {
            AtomicFiles.checkWritable(out, train, sampleWeights);
        } else {
            AtomicFiles.checkWritable(out, train);
        }
        List<String> models = List.of("krr", "gp", "tp", "sgpr", "svgp", "gpc", "ntk", "dkm", "svc", "svr", "oneclass",
                "private-similarity", "kron-gp", "ss-gp", "nusvc", "nusvr", "pegasos", "online", "lssvm", "rvm", "kqr");
        if (!models.contains(model)) {
            throw new UsageException("unknown --model '" + model + "'; available: " + String.join(", ", models));
        }
        var parsed = spec.commandLine().getParseResult();
        java.util.Map<String, List<String>> appliesTo = new java.util.LinkedHashMap<>();
        for (String o : List.of("--lambda", "--lambda-grid", "--select", "--intercept", "--solver", "--centers",
                "--sample-weights", "--precision", "--nystrom-solve", "--cg-stop", "--preconditioner-rows")) {
            appliesTo.put(o, List.of("krr"));
        }
        appliesTo.put("--lambda", List.of("krr", "pegasos", "online"));
        appliesTo.put("--sampler", List.of("krr", "dkm", "svgp"));
        for (String o : List.of("--optimize", "--restarts", "--bounds", "--fix")) {
            appliesTo.put(o, List.of("gp", "tp", "sgpr", "gpc", "kron-gp", "ss-gp"));
        }
        appliesTo.put("--optimize", List.of("gp", "tp", "sgpr", "gpc", "kron-gp", "ss-gp", "svgp"));
        appliesTo.put("--normalize", List.of("gp", "tp", "sgpr", "kron-gp", "ss-gp"));
        for (String o : List.of("--inference", "--objective")) {
            appliesTo.put(o, List.of("gpc"));
        }
        appliesTo.put("--likelihood", List.of("gpc", "dkm", "svgp"));
        appliesTo.put("--multi-class", List.of("gpc"));
        for (String o : List.of("--bayesian", "--chains", "--warmup", "--draws", "--prior-scale")) {
            appliesTo.put(o, List.of("gp"));
        }
        for (String o : List.of("--dof", "--learn-dof", "--inverse-gamma")) {
            appliesTo.put(o, List.of("tp"));
        }
        for (String o : FilterOptions.NAMES) {
            appliesTo.put(o, List.of("krr"));
        }
        appliesTo.put("--noise", List.of("gp", "tp", "dkm", "kron-gp", "ss-gp"));
        appliesTo.put("--max-missing", List.of("kron-gp"));
        appliesTo.put("--layers", List.of("dkm"));
        appliesTo.put("--learn-noise", List.of("dkm"));
        appliesTo.put("--inducing", List.of("sgpr", "dkm", "svgp"));
        appliesTo.put("--batch-size", List.of("dkm", "svgp"));
        appliesTo.put("--epochs", List.of("dkm", "svgp"));
        appliesTo.put("--natural-step", List.of("svgp"));
        appliesTo.put("--learning-rate", List.of("ntk", "online", "dkm", "svgp"));
        appliesTo.put("--diag-reg", List.of("ntk"));
        appliesTo.put("--time", List.of("ntk", "krr"));
        for (String o : List.of("--epsilon-dp", "--features", "--ledger", "--budget")) {
            appliesTo.put(o, List.of("private-similarity"));
        }
        appliesTo.put("--budget", List.of("private-similarity", "online"));
        appliesTo.put("--tol", List.of("krr", "svc", "svr", "oneclass", "nusvc", "nusvr"));
        for (String o : OnlineOptions.NAMES) {
            appliesTo.put(o, OnlineOptions.appliesTo(o));
        }
        appliesTo.put("--iterations", List.of("krr", "pegasos"));
        if (calibrate != null && model.equals("private-similarity")) {
            // the maps would be fitted, without noise, on the private rows' out-of-fold scores and labels: stored in
            // the model file, they would release those rows outside the ε the fit reports and the ledger charges
            throw new UsageException("--calibrate does not apply to --model private-similarity: the calibration "
                    + "maps would be fitted on the private rows without noise, outside the epsilon-DP guarantee");
        }
        appliesTo.put("--calibrate", List.of("svc", "gpc"));
        appliesTo.put("--text-column", List.of("svc", "svr", "oneclass"));
        for (String o : SvmOptions.NAMES) {
            appliesTo.put(o, SvmOptions.appliesTo(o));
        }
        KernelLearners.restrictOptions(appliesTo);
        for (var e : appliesTo.entrySet()) {
            if (parsed.hasMatchedOption(e.getKey()) && !e.getValue().contains(model)) {
                throw new UsageException(e.getKey() + " applies to --model " + String.join("|", e.getValue())
                        + ", not --model " + model);
            }
        }
        if (!model.equals("dkm")) {
            svm.nu(); // a --nu list (one per layer) is for dkm only: refused before any data is read
        }
        data.options.checkTarget(train, parsed("--target"));
        if (textColumn != null) {
            if (calibrate != null) {
                throw new UsageException("--calibrate does not apply with --text-column");
            }
            return fitText();
        }
        if (StringKernel.isStringKernelSpec(kernel)) {
            throw new UsageException("--kernel " + kernel.trim() + " is a string kernel: name the text column with "
                    + "--text-column (--model svc|svr|oneclass)");
        }
        if (calibrate != null && model.equals("svc")) {
            if (kernel.trim().equalsIgnoreCase("precomputed")) {
                throw new UsageException("--calibrate needs a kernel spec, not --kernel precomputed");
            }
            Kernel k = KernelSpec.parse(kernel);
            return fitClassifier(calibrated(svm.estimator(model, k, tol, maxIter, seed)), k);
        }
        if (SvmOptions.MODELS.contains(model)) {
            return fitSvm();
        }
        if (model.equals("pegasos") || model.equals("online")) {
            return fitOnline();
        }
        if (model.equals("dkm")) {
            return fitDeepKernelMachine();
        }
        if (model.equals("kron-gp") || model.equals("ss-gp")) {
            return fitStructuredGaussianProcess();
        }
        if (KernelLearners.MODELS.contains(model)) {
            return fitKernelLearner();
        }
        Kernel k = KernelSpec.parse(kernel);
        switch (model) {
            case "gp":
            case "sgpr":
                if (bayesian != null || parsed("--chains") || parsed("--warmup") || parsed("--draws")
                        || parsed("--prior-scale")) {
                    return fitBayesianGaussianProcess(k);
                }
                return fitGaussianProcess(k);
            case "tp":
                return fitStudentTProcess(k);
            case "svgp":
                return fitSparseVariational(k);
            case "gpc":
            {
                GaussianProcessClassifier.Builder b = GaussianProcessClassifier.builder(k);
                if (inference != null) {
                    b.inference(org.kernels4j.gp.InferenceMethod.parse(inference));
                }
                if (objective != null) {
                    b.objective(org.kernels4j.gp.HyperparameterObjective.parse(objective));
                }
                if (likelihood != null) {
                    org.kernels4j.gp.Likelihood l = org.kernels4j.gp.Likelihood.parse(likelihood);
                    if (!List.of("logit", "probit").contains(l.toSpec())) {
                        throw new UsageException("--likelihood for gpc must be logit or probit, got '" + likelihood + "'");
                    }
                    b.likelihood(l);
                }
                if (multiClass != null) {
                    try {
                        b.multiClass(org.kernels4j.gp.MultiClass.parse(multiClass));
                    } catch (Kernels4jException e) {
                        throw new UsageException("--multi-class: " + e.getMessage());
                    }
                }
                b.optimize(hyperparameterSearch(null));
                if (maxIter != null) {
                    b.maxIterations(maxIter);
                }
                GaussianProcessClassifier gpc = UsageException.of(b::build); // incl. options softmax cannot take
                return fitClassifier(calibrated(gpc), k);
            }
            case "ntk":
                return fitNtk(k);
            case "private-similarity": {
                PrivateKernelSum.Builder b = PrivateKernelSum.builder(k);
                if (epsilonDp != null) {
                    b.epsilon(epsilonDp);
                }
                if (features != null) {
                    b.features(features);
                }
                if (parsed("--seed")) {
                    b.frequencySeed(seed); // the public frequencies only: the noise has no seed
                }
                var estimator = calibrated(b.buildClassifier());
                KdeCommand.chargeLedger(ledger, budget, train, epsilonDp != null ? epsilonDp : 1,
                        org.kernels4j.privacy.PrivateKernelSum.MECHANISM, "fit --model private-similarity --out " + out);
                return fitClassifier(estimator, k);
            }
            default:
                break;
        }
        if (solver.equalsIgnoreCase("nystrom")) {
            if (precision != null) {
                throw new UsageException("--precision applies to --solver exact, not --solver nystrom");
            }
            if (sampleWeights != null) {
                throw new UsageException("--sample-weights applies to --solver exact, not --solver nystrom");
            }
            return fitNystrom(k);
        }
        if (!solver.equalsIgnoreCase("exact")) {
            throw new UsageException("--solver must be exact or nystrom, got '" + solver + "'");
        }
        SpectralFilter f = filters.filter(lambda, svm.nu());
        checkFilterOptions(f);
        for (String o : List.of("--centers", "--sampler", "--nystrom-solve", "--cg-stop", "--preconditioner-rows")) {
            if (parsed(o)) {
                throw new UsageException(o + " applies to --solver nystrom, not --solver exact");
            }
        }
        if (tol != null) { // the exact solver factorizes (also --precision mixed): no tolerance to stop at
            throw new UsageException("--tol applies to krr --solver nystrom (its CG), not --solver exact");
        }
        boolean selectGiven = parsed("--select");
        FilterOptions.Choice choice = filters.choice(f, lambda, parsed("--lambda"), lambdaGrid, time, selectGiven);
        RegularizationPath.Criterion criterion = FilterOptions.criterion(f, select, selectGiven);
        KernelRidge.Builder b = KernelRidge.builder(k).fitIntercept(intercept);
        if (choice.grid() != null) {
            b.filter(f, choice.grid(), criterion);
        } else {
            b.filter(f, choice.value());
        }
        if (precision != null) {
            b.precision(UsageException.of(() -> Precision.parse(precision)));
        }
        UsageException.of(b::build); // options are checked before the data is read
        if (sampleWeights != null && choice.grid() != null) {
            throw new UsageException("--sample-weights needs a fixed --lambda (not auto, a grid or --select)");
        }
        if (sampleWeights != null && f.kind() != SpectralFilter.Kind.TIKHONOV) {
            throw new UsageException("--sample-weights applies to ridge (--filter ridge) only");
        }
        Dataset ds = data.options.readWithTarget(train, target);
        Limits.requireSquareMatrix("exact kernel ridge regression", ds.rows(), "use --solver nystrom (memory O(n d + m^2))");
        double[] weights = sampleWeights == null ? null : readSampleWeights(ds.rows());
        KernelRidgeModel m;
        try (Progress p = new Progress(!noProgress)) {
            KernelRidge krr = UsageException.of(b.progress(p)::build);
            m = weights == null ? krr.fit(ds.features(), ds.target()) : krr.fit(ds.features(), ds.target(), weights);
        }
        var pw = saveAndDescribe(m, ds, "krr");
        printPath(pw, m, f);
        if (m.report().has("precision")) {
            var r = m.report();
            pw.printf(java.util.Locale.ROOT, "precision: %s%n", r.has("precision_fallback")
                    ? "double (fallback: " + r.text("precision_fallback") + ")"
                    : String.format(java.util.Locale.ROOT, "mixed (%d refinement steps, relative residual %.2e)",
                            (long) r.number("refinement_steps"), r.number("relative_residual")));
        }
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** The last column of --sample-weights, one positive finite value per training row, rescaled to mean 1. */
    private double[] readSampleWeights(int rows) {
        Dataset w = data.options.readCsv(sampleWeights, null);
        if (w.rows() != rows) {
            throw new org.kernels4j.Kernels4jException(sampleWeights + ": " + w.rows() + " weights for " + rows
                    + " training rows");
        }
        double[] out = new double[rows];
        double max = 0;
        int last = w.features().cols() - 1;
        for (int i = 0; i < rows; i++) {
            double v = w.features().get(i, last);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new org.kernels4j.Kernels4jException(sampleWeights + ": weight " + (i + 1) + " is " + v
                        + "; weights must be finite and > 0");
            }
            out[i] = v;
            max = Math.max(max, v);
        }
        // rescaled to mean 1 through v/max, so that weights near Double.MAX_VALUE do not overflow the sum
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += out[i] / max;
        }
        for (int i = 0; i < rows; i++) {
            out[i] = out[i] / max * (rows / sum);
        }
        return out;
    }

    /**
     * fit --model svgp: the sparse variational GP. Bernoulli likelihoods go through {@link #fitClassifier} (class
     * labels read as such; two classes, 0/1 or two names); the others fit the target column as observations.
     */
    private Integer fitSparseVariational(Kernel k) {
        org.kernels4j.gp.Likelihood lik = likelihood == null ? org.kernels4j.gp.Likelihood.probit()
                : UsageException.of(() -> org.kernels4j.gp.Likelihood.parse(likelihood));
        org.kernels4j.gp.SparseVariationalGaussianProcess.Builder b = UsageException.of(() -> {
            var v = org.kernels4j.gp.SparseVariationalGaussianProcess.builder(k).likelihood(lik).seed(seed);
            if (inducing != null) {
                v.inducing(inducing);
            }
            if (batchSize != null) {
                v.batchSize(batchSize);
            }
            if (epochs != null) {
                v.epochs(epochs);
            }
            if (learningRate != null) {
                v.learningRate(learningRate);
            }
            if (naturalStep != null) {
                v.naturalGradientStep(naturalStep);
            }
            if (parsed("--sampler")) {
                v.sampler(Landmarks.Sampler.parse(sampler));
            }
            // --optimize learns θ, and Z too where the kernel allows moving it (stationary kernels)
            v.learnHyperparameters(optimize).learnInducingInputs(optimize
                    && org.kernels4j.kernel.StationaryKernel.supports(k));
            UsageException.of(v::build);
            return v;
        });
        if (lik.toSpec().equals("probit") || lik.toSpec().equals("logit")) {
            try (Progress p = new Progress(!noProgress)) {
                return fitClassifier(UsageException.of(b.progress(p)::build), k);
            }
        }
        Dataset ds = data.options.readWithTarget(train, target);
        org.kernels4j.gp.SparseVariationalGaussianProcessModel m;
        try (Progress p = new Progress(!noProgress)) {
            m = UsageException.of(b.progress(p)::build).fit(ds.features(), ds.target());
        }
        var pw = saveAndDescribe(m, k, ds, "svgp");
        pw.print(m.report());
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** The parameter path (when one was searched) and the chosen filter parameter. */
    private static void printPath(java.io.PrintWriter pw, KernelRidgeModel m, SpectralFilter f) {
        RegularizationPath path = m.path();
        String name = f.parameterName();
        if (path != null) {
            boolean loo = f.hasExactLeaveOneOut();
            pw.printf("%12s %14s %14s %10s%n", name, loo ? "loo_mse" : "", "gcv", "df");
            double[] p = path.parameters();
            for (int i = 0; i < p.length; i++) {
                pw.printf("%12s %14s %14.6g %10.3f%s%n", f.integerParameter() ? fmt(p[i])
                        : String.format(java.util.Locale.ROOT, "%.4g", p[i]),
                        loo ? String.format("%.6g", path.looMse()[i]) : "", path.gcv()[i], path.degreesOfFreedom()[i],
                        i == path.chosenIndex() ? "  <- chosen" : "");
            }
            int c = path.chosenIndex();
            if (p.length > 1 && (c == 0 || c == p.length - 1)) {
                pw.printf("note: the chosen %s is at the %s end of the grid; widen %s to see whether the score still "
                        + "falls beyond it%n", name, c == 0 ? "lower" : "upper", name.equals("lambda") ? "--lambda-grid"
                        : "--grid");
            }
        }
        String value = f.integerParameter() ? fmt(m.lambda()) : String.format(java.util.Locale.ROOT, "%.6g", m.lambda());
        if (f.kind() == SpectralFilter.Kind.TIKHONOV) {
            pw.printf("lambda: %s%n", value);
        } else {
            pw.printf("filter: %s, %s: %s%n", f.toSpec(), name, value);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The estimator wrapped in probability calibration when --calibrate is given. */
    private org.kernels4j.model.Estimator<? extends org.kernels4j.model.Classifier> calibrated(
            org.kernels4j.model.Estimator<? extends org.kernels4j.model.Classifier> base) {
        if (calibrate == null) {
            return base;
        }
        return org.kernels4j.calibration.CalibratedClassifier.builder(base)
                .method(org.kernels4j.calibration.CalibratedClassifier.Method.parse(calibrate)).seed(seed).build();
    }

    /** Fits a classifier, saves it and prints its report and training accuracy. */
    private Integer fitClassifier(org.kernels4j.model.Estimator<? extends org.kernels4j.model.Classifier> estimator, Kernel k) {
        Dataset ds = data.options.readWithTarget(train, target, true);
        warnIfContinuous(ds, spec.commandLine().getErr());
        org.kernels4j.model.Classifier m = estimator.fit(ds.features(), ds.target());
        var pw = saveAndDescribe(m, k, ds, calibrate == null ? model : model + " calibrated by " + calibrate);
        pw.printf("classes: %s%n", classNames(m.classes(), ds));
        pw.print(m.report());
        // the predictions checkFitted made: predicting the training rows a second time cost as much again
        pw.printf("training accuracy: %.6f%s%n",
                ClassificationMetrics.of(scoredTarget(ds).data(), fitted.data()).accuracy(), scoredNote(ds));
        pw.printf("saved %s%n", out);
        return 0;
    }

    private Integer fitNtk(Kernel k) {
        if (!(k instanceof NeuralKernel nk)) {
            throw new UsageException("--model ntk needs an nngp(...) or ntk(...) kernel, got " + k.toSpec());
        }
        NtkPredictor.Builder b = NtkPredictor.builder(nk);
        if (time != null) {
            b.time(time);
        }
        if (learningRate != null) {
            b.learningRate(learningRate);
        }
        if (diagReg != null) {
            b.regularizer(diagReg, false);
        }
        NtkPredictor estimator = UsageException.of(b::build);
        Dataset ds = data.options.readWithTarget(train, target);
        NtkPredictorModel m = estimator.fit(ds.features(), ds.target());
        var pw = saveAndDescribe(m, k, ds, "ntk");
        pw.print(m.report());
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** Writes the model file and prints what was trained on what. */
    private java.io.PrintWriter saveAndDescribe(KernelRidgeModel m, Dataset ds, String title) {
        return saveAndDescribe(m, m.kernel(), ds, title);
    }

    /** Writes the model file and prints what was trained on what. */
    private java.io.PrintWriter saveAndDescribe(Model m, Kernel k, Dataset ds, String title) {
        checkFitted(m, ds);
        ModelFiles.save(new SavedModel(m, ds.featureNames(), ds.targetName(), ds.classLabels()), out);
        var pw = spec.commandLine().getOut();
        pw.printf("model: %s, kernel: %s%n", title, k.toSpec());
        pw.printf("trained on %d rows x %d features from %s, target '%s'%n", ds.rows(), ds.features().cols(), train,
                ds.targetName());
        return pw;
    }

    /** The model's predictions on the scored training rows, computed (and checked to be finite) before it is saved. */
    private Matrix fitted;
    /** The training rows {@link #fitted} is on, in increasing order, or null for all of them. */
    private int[] scoredRows;

    /**
     * Refuses to save a model whose predictions on its own training rows are Inf or NaN. Scores a seeded sample of
     * {@link #SCORED_SAMPLE} rows when there are more, unless --training-score all: on a large SVM the prediction over
     * every training row cost a noticeable share of the whole run (issue 32), and a sample shows the same.
     */
    private void checkFitted(Model m, Dataset ds) {
        scoredRows = trainingScore.equals("all") ? null : sampledRows(ds.rows(), SCORED_SAMPLE, seed);
        fitted = m.predict(scoredRows == null ? ds.features() : ds.features().selectRows(scoredRows));
        Finite.requirePredictions(fitted, "the model's predictions on its training rows");
        if (ds.hasTarget() && fitted.cols() == ds.target().cols() && !(m instanceof org.kernels4j.model.Classifier c
                && c.classes() != null)) {
            Finite.requireError(RegressionMetrics.of(scoredTarget(ds), fitted).rmse(), ds.target());
        }
    }

    /**
     * {@code count} distinct rows of {@code rows} drawn uniformly with the given seed (a partial Fisher–Yates
     * shuffle), in increasing order; null (every row) when there are no more than {@code count}.
     */
    static int[] sampledRows(int rows, int count, long seed) {
        if (rows <= count) {
            return null;
        }
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
        }
        java.util.Random rng = new java.util.Random(seed);
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(rows - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(perm, count);
        java.util.Arrays.sort(chosen);
        return chosen;
    }

    /** The targets of the scored training rows. */
    private Matrix scoredTarget(Dataset ds) {
        return scoredRows == null ? ds.target() : ds.target().selectRows(scoredRows);
    }

    /** What the training score was computed on, when it was not every row. */
    private String scoredNote(Dataset ds) {
        return scoredRows == null ? "" : String.format(java.util.Locale.ROOT,
                " (on %d sampled rows of %d; --training-score all for every row)", scoredRows.length, ds.rows());
    }

    private void printTrainingError(java.io.PrintWriter pw, Model m, Dataset ds) {
        RegressionMetrics fitError = RegressionMetrics.of(scoredTarget(ds), fitted);
        pw.printf("training rmse: %.6g, r2: %.6f%s%n", fitError.rmse(), fitError.r2(), scoredNote(ds));
    }

    /** Refuses the parameter options that the chosen filter would ignore. */
    private void checkFilterOptions(SpectralFilter f) {
        if (time != null && f.kind() != SpectralFilter.Kind.GRADIENT_FLOW) {
            throw new UsageException("--time applies to --model ntk or --filter flow, not --filter " + f.toSpec());
        }
        String name = f.parameterName();
        boolean lambdaFilter = name.equals("lambda");
        if (!lambdaFilter && f.kind() != SpectralFilter.Kind.SELF_DISTILLATION && parsed("--lambda")) {
            throw new UsageException("--lambda applies to --filter tikhonov|iterated|cutoff|self-distillation; --filter "
                    + f.toSpec() + " is set by its " + name);
        }
        if (!lambdaFilter && parsed("--lambda-grid")) {
            throw new UsageException("--lambda-grid is searched for --filter tikhonov|iterated|cutoff; --filter "
                    + f.toSpec() + " searches --grid for its " + name);
        }
        if (lambdaFilter && parsed("--lambda-grid") && !lambda.equalsIgnoreCase("auto")
                && (parsed("--lambda") || !parsed("--select"))) {
            throw new UsageException("--lambda-grid is searched by --lambda auto, but --lambda " + (parsed("--lambda")
                    ? "fixes it at " + lambda : "is 1 when not given") + "; give --lambda auto to search the grid");
        }
        if (lambdaFilter && parsed("--grid")) {
            throw new UsageException("--grid is searched for --filter landweber|nu-method|flow|self-distillation; "
                    + "--filter " + f.toSpec() + " searches --lambda-grid");
        }
        boolean fixed = lambdaFilter ? parsed("--lambda") && !lambda.equalsIgnoreCase("auto")
                : name.equals("time") ? time != null
                : !"auto".equalsIgnoreCase(name.equals("rounds") ? filters.rounds : filters.iterations)
                        && (name.equals("rounds") ? filters.rounds : filters.iterations) != null;
        if (fixed && parsed("--select")) {
            throw new UsageException("--select chooses the " + name + ", but --" + (lambdaFilter ? "lambda"
                    : name) + " fixes it; give --" + (lambdaFilter ? "lambda" : name) + " auto (or leave it out) to "
                    + "select it");
        }
    }

    private Integer fitNystrom(Kernel k) {
        SpectralFilter f = filters.filter(lambda, svm.nu());
        checkFilterOptions(f);
        boolean selectGiven = parsed("--select");
        FilterOptions.Choice choice = filters.choice(f, lambda, parsed("--lambda"), lambdaGrid, time, selectGiven);
        boolean byCg = f.kind() == SpectralFilter.Kind.TIKHONOV && choice.grid() == null;
        if (!byCg && selectGiven && select.equalsIgnoreCase("loo")) {
            throw new UsageException("--solver nystrom chooses the " + f.parameterName() + " by GCV only; use "
                    + "--select gcv" + (f.hasExactLeaveOneOut() ? " (or --solver exact for leave-one-out)" : ""));
        }
        NystromKernelRidge.Builder b = NystromKernelRidge.builder(k)
                .sampler(UsageException.of(() -> Landmarks.Sampler.parse(sampler))).seed(seed).centerTargets(intercept)
                .solver(UsageException.of(() -> NystromKernelRidge.Solver.parse(nystromSolve)))
                .stopping(UsageException.of(() -> NystromKernelRidge.Stopping.parse(cgStop)));
        if (!lambda.equalsIgnoreCase("auto")) {
            b.lambda(parseNumber("--lambda", lambda)); // also the leverage sampler's lambda
        }
        if (!byCg) { // a filter on the Nyström features instead of CG
            if (choice.grid() != null) {
                b.filter(f, choice.grid(), RegularizationPath.Criterion.GCV);
            } else {
                b.filter(f, choice.value());
            }
        }
        if (centers != null) {
            b.centers(centers);
        }
        if (maxIter != null) {
            b.maxIterations(maxIter);
        }
        if (tol != null) {
            b.tolerance(tol);
        }
        if (preconditionerRows != null) {
            b.preconditionerRows(preconditionerRows);
        }
        UsageException.of(b::build); // options are checked before the data is read
        Dataset ds = data.options.readWithTarget(train, target);
        long start = System.nanoTime();
        KernelRidgeModel m;
        try (Progress p = new Progress(!noProgress)) {
            m = UsageException.of(b.progress(p)::build).fit(ds.features(), ds.target());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var pw = saveAndDescribe(m, ds, byCg ? "krr (nystrom solver)" : "krr (nystrom features, " + f.toSpec() + ")");
        if (byCg) {
            double worst = 0;
            for (double r : m.report().numbers("relative_residuals")) {
                worst = Math.max(worst, r);
            }
            pw.printf("centres: %d (%s), lambda: %s, solver: %s, cg iterations: %d, relative residual: %.3g%s, %.2f s%n",
                    m.trainingInputs().rows(), sampler, m.lambda(), m.report().text("solver"),
                    (long) m.report().number("cg_iterations"), worst,
                    m.report().flag("converged") ? "" : " (iteration limit reached)", seconds);
        } else {
            pw.printf("centres: %d (%s), features: %d, %.2f s%n", m.trainingInputs().rows(), sampler,
                    (long) m.report().number("features"), seconds);
            printPath(pw, m, f);
        }
        if (ds.rows() <= 200_000) { // predicting on millions of rows would cost another pass over K_nm
            printTrainingError(pw, m, ds);
        }
        pw.printf("saved %s%n", out);
        return 0;
    }

    private Integer fitSvm() {
        boolean precomputed = kernel.trim().equalsIgnoreCase("precomputed");
        Kernel k = precomputed ? null : KernelSpec.parse(kernel);
        SupportVectorMachine estimator = svm.estimator(model, k, tol, maxIter, seed);
        Dataset ds;
        boolean classifier = model.equals("svc") || model.equals("nusvc");
        if (model.equals("oneclass")) {
            ds = data.options.read(train, parsed("--target") ? target : "none", 0);
        } else {
            ds = data.options.readWithTarget(train, target, classifier);
            if (classifier) {
                warnIfContinuous(ds, spec.commandLine().getErr());
            }
        }
        Matrix y = ds.hasTarget() ? ds.target() : null;
        if (precomputed && ds.features().rows() != ds.features().cols()) {
            // the usual cause: a Gram matrix written alone (gram, wl-kernel), whose last kernel column was taken as
            // the target
            throw new Kernels4jException(train + ": --kernel precomputed needs one kernel column per training row "
                    + "besides the target, got " + ds.features().rows() + " rows and " + ds.features().cols()
                    + " kernel columns" + (ds.hasTarget() ? " (the target '" + ds.targetName() + "' taken out)" : "")
                    + "; a Gram matrix file (gram, wl-kernel) has no target column: add the labels as a last column");
        }
        long start = System.nanoTime();
        SvmModel m;
        try (Progress p = new Progress(!noProgress)) {
            SupportVectorMachine withProgress = estimator.withProgress(p);
            m = precomputed ? withProgress.fitPrecomputed(ds.features(), y) : withProgress.fit(ds.features(), y);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        checkFitted(m, ds);
        ModelFiles.save(new SavedModel(m, ds.featureNames(), ds.targetName(), ds.classLabels()), out);
        var pw = spec.commandLine().getOut();
        pw.printf("model: %s, kernel: %s%n", model, precomputed ? "precomputed" : k.toSpec());
        pw.printf("trained on %d rows x %d %s from %s%s%n", ds.rows(), ds.features().cols(),
                precomputed ? "kernel columns" : "features", train,
                ds.hasTarget() && !model.equals("oneclass") ? ", target '" + ds.targetName() + "'" : "");
        if (m.classes() != null) {
            pw.printf("classes: %s%s%n", classNames(m.classes(), ds), m.classes().length > 2
                    ? " (" + (m.multiclass() == SvmModel.Multiclass.ONE_VS_ONE ? "one-vs-one" : "one-vs-rest") + ")" : "");
        }
        pw.printf("%-10s %14s %12s %10s %8s %8s %10s%n", "problem", "objective", "rho", "iterations", "nSV", "nBSV",
                "gap");
        for (int p = 0; p < m.solves().size(); p++) {
            SupportVectorMachine.Solve s = m.solves().get(p);
            pw.printf("%-10s %14.6f %12.6f %10d %8d %8d %10.3g%s%n", m.problemName(p, ds::label), s.objective(), s.rho(),
                    s.iterations(), s.supportVectors(), s.boundedSupportVectors(), s.gap(),
                    s.converged() ? "" : "  (iteration limit reached)");
        }
        pw.printf("support vectors: %d of %d rows; %.2f s%n", m.supportVectorCount(), ds.rows(), seconds);
        double[] pred = fitted.data();
        if (model.equals("svr") || model.equals("nusvr")) {
            RegressionMetrics r = RegressionMetrics.of(scoredTarget(ds), Matrix.column(pred));
            pw.printf("training rmse: %.6g, r2: %.6f%s%n", r.rmse(), r.r2(), scoredNote(ds));
        } else if (classifier) {
            pw.printf("training accuracy: %.6f%s%n", ClassificationMetrics.of(scoredTarget(ds).data(), pred).accuracy(),
                    scoredNote(ds));
        } else {
            long outliers = java.util.Arrays.stream(pred).filter(v -> v < 0).count();
            pw.printf("training rows outside the estimated support: %d (%.4f)%s%n", outliers, outliers / (double) pred.length,
                    scoredNote(ds));
        }
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** svc, svr, oneclass on a text column with a string kernel: an SVM on the precomputed string Gram matrix. */
    private Integer fitText() {
        StringKernel k = StringKernel.parse(kernel);
        SupportVectorMachine estimator = svm.estimator(model, null, tol, maxIter, seed);
        boolean oneClass = model.equals("oneclass");
        TextColumnReader.TextData td = TextColumnReader.read(train, textColumn,
                oneClass ? (parsed("--target") ? target : null) : target, model.equals("svc"));
        Matrix y = oneClass ? null : td.target();
        long start = System.nanoTime();
        StringSvmModel m;
        try (Progress p = new Progress(!noProgress)) {
            m = StringSvmModel.fit(estimator.withProgress(p), k, td.texts(), y).withTextColumn(textColumn);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // the model's inputs are kernel values against each training text (as for --kernel precomputed)
        List<String> columns = new java.util.ArrayList<>();
        for (int i = 0; i < td.texts().size(); i++) {
            columns.add("k_train_" + i);
        }
        ModelFiles.save(new SavedModel(m, columns, oneClass ? null : td.targetName(),
                model.equals("svc") ? td.classLabels() : null), out);
        var pw = spec.commandLine().getOut();
        pw.printf("model: %s, string kernel: %s%n", model, k.toSpec());
        pw.printf("trained on %d texts from column '%s' of %s%s%n", td.texts().size(), textColumn, train,
                oneClass ? "" : ", target '" + td.targetName() + "'");
        if (m.classes() != null) {
            pw.printf("classes: %s%n", td.classLabels().names());
        }
        pw.printf("support vectors: %d of %d texts; %.2f s%n", m.supportTexts().size(), td.texts().size(), seconds);
        double[] pred = m.svm().predict(m.kernelValues(td.texts())).data();
        if (model.equals("svr")) {
            RegressionMetrics r = RegressionMetrics.of(y, Matrix.column(pred));
            pw.printf("training rmse: %.6g, r2: %.6f%n", r.rmse(), r.r2());
        } else if (model.equals("svc")) {
            pw.printf("training accuracy: %.6f%n", ClassificationMetrics.of(y.data(), pred).accuracy());
        } else {
            long outliers = java.util.Arrays.stream(pred).filter(v -> v < 0).count();
            pw.printf("training texts outside the estimated support: %d (%.4f)%n", outliers, outliers / (double) pred.length);
        }
        pw.printf("saved %s%n", out);
        return 0;
    }

    /**
     * pegasos (kernel Pegasos, saved as an SVM model) and online (NORMA or the kernel perceptron, one pass
     * over the rows in file order).
     */
    private Integer fitOnline() {
        Kernel k = KernelSpec.parse(kernel);
        Double lambdaValue = parsed("--lambda") ? parseNumber("--lambda", lambda) : null;
        if (model.equals("pegasos")) {
            return fitClassifier(onlineOptions.pegasos(k, lambdaValue, filters.iterations, seed), k);
        }
        OnlineKernelLearner learner = onlineOptions.online(k, lambdaValue, svm.nu(), learningRate, budget);
        if (learner.type().isClassifier()) {
            return fitClassifier(learner, k);
        }
        boolean novelty = learner.type() == OnlineKernelLearner.Type.NOVELTY;
        Dataset ds = novelty ? data.options.read(train, parsed("--target") ? target : "none", 0)
                : data.options.readWithTarget(train, target);
        OnlineKernelModel m = learner.fit(ds.features(), novelty ? null : ds.target());
        var pw = saveAndDescribe(m, k, ds, "online " + learner.type().name().toLowerCase(java.util.Locale.ROOT));
        pw.print(m.report());
        if (novelty) {
            long outliers = java.util.Arrays.stream(m.predict(ds.features()).data()).filter(v -> v < 0).count();
            pw.printf("training rows outside the estimated support: %d (%.4f)%n", outliers, outliers / (double) ds.rows());
        } else {
            printTrainingError(pw, m, ds);
        }
        pw.printf("saved %s%n", out);
        return 0;
    }

    private boolean parsed(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Warns when a classifier's numeric target has more distinct values than a fifth of the rows (and
     * more than 10): one class per value of a measured quantity is seldom what was meant.
     */
    static void warnIfContinuous(Dataset ds, java.io.PrintWriter err) {
        if (ds.classLabels() != null) {
            return;
        }
        long distinct = java.util.Arrays.stream(ds.target().data()).distinct().count();
        if (distinct > 10 && distinct > ds.rows() / 5) {
            err.printf("kernels4j: warning: the target '%s' has %d distinct values in %d rows, so the classifier "
                    + "learns %d classes; it looks like a measured quantity: for regression use --model krr, gp or svr%n",
                    ds.targetName(), distinct, ds.rows(), distinct);
        }
    }

    /** "[nonspam, spam]": the class codes as the data names them. */
    private static String classNames(double[] classes, Dataset ds) {
        return java.util.Arrays.stream(classes).mapToObj(ds::label).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** The --optimize search (null without it); gpc keeps --max-iter for its inference, so its L-BFGS limit is the default. */
    private HyperparameterSearch hyperparameterSearch(Integer lbfgsLimit) {
        HyperparameterSearch search = null;
        if (optimize) {
            HyperparameterSearch.Builder b = HyperparameterSearch.builder().restarts(restarts).seed(seed);
            if (lbfgsLimit != null) {
                b.maxIterations(lbfgsLimit);
            }
            for (String bound : bounds) {
                int eq = bound.lastIndexOf('=');
                String[] range = eq < 0 ? new String[0] : bound.substring(eq + 1).split(":");
                if (eq <= 0 || range.length != 2) {
                    throw new UsageException("--bounds must be NAME=LO:HI, e.g. rbf.length=0.01:100, got '" + bound + "'");
                }
                b.bound(bound.substring(0, eq).trim(), parseNumber("--bounds", range[0]), parseNumber("--bounds", range[1]));
            }
            fixed.forEach(b::fix);
            search = UsageException.of(b::build);
        } else if (!bounds.isEmpty() || !fixed.isEmpty() || restarts != 0) {
            throw new UsageException("--bounds, --fix and --restarts need --optimize");
        }
        return search;
    }

    private Integer fitGaussianProcess(Kernel k) {
        HyperparameterSearch search = hyperparameterSearch(maxIter);
        boolean sparse = model.equals("sgpr");
        org.kernels4j.model.Estimator<?> estimator;
        if (sparse) {
            SparseGaussianProcess.Builder b = SparseGaussianProcess.builder(k).normalizeTargets(normalize).seed(seed)
                    .optimize(search);
            if (inducing != null) {
                UsageException.of(() -> b.inducing(inducing)); // the builder checks the count as it is set
            }
            estimator = UsageException.of(b::build);
        } else {
            GaussianProcess.Builder b = GaussianProcess.builder(k).normalizeTargets(normalize).optimize(search);
            if (noise != null) {
                b.noise(noise);
            }
            estimator = UsageException.of(b::build);
        }
        Dataset ds = data.options.readWithTarget(train, target);
        if (!sparse) {
            Limits.requireSquareMatrix("an exact Gaussian process", ds.rows(), "use --model sgpr (memory O(n m))");
        }
        long start = System.nanoTime();
        Model m = estimator.fit(ds.features(), ds.target());
        double seconds = (System.nanoTime() - start) / 1e9;
        Kernel fitted = sparse ? ((SparseGaussianProcessModel) m).kernel() : ((GaussianProcessModel) m).kernel();
        HyperparameterSearch.Result learned = sparse ? ((SparseGaussianProcessModel) m).search()
                : ((GaussianProcessModel) m).search();
        var pw = saveAndDescribe(m, fitted, ds, model);
        printHyperparameters(pw, fitted.hyperparameters(), learned);
        if (sparse) {
            pw.printf("evidence lower bound: %.6f%s; inducing points: %d%n", ((SparseGaussianProcessModel) m).bound(),
                    normalize ? " (normalized target)" : "", ((SparseGaussianProcessModel) m).inducingInputs().rows());
        } else {
            pw.printf("log marginal likelihood: %.6f%s%n", ((GaussianProcessModel) m).logMarginalLikelihood(),
                    normalize ? " (normalized target)" : "");
        }
        if (learned != null) {
            HyperparameterSearch.Start best = learned.starts().get(learned.best());
            pw.printf("optimizer: %d iterations, %d evaluations, stopped on %s; %d start(s), best #%d; %.2f s%n",
                    best.iterations(), best.evaluations(),
                    best.stop() == null ? "-" : best.stop().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                    learned.starts().size(), learned.best() + 1, seconds);
            if (best.stop() == org.kernels4j.optim.BoundedLbfgs.Stop.ITERATIONS) {
                pw.printf("note: the optimizer stopped at its iteration limit; the hyperparameters may not be "
                        + "optimal (raise --max-iter)%n");
            }
            if (learned.starts().size() > 1) {
                for (int i = 0; i < learned.starts().size(); i++) {
                    pw.printf("  start %d: %s %.6f%n", i + 1, sparse ? "bound" : "log marginal likelihood",
                            learned.starts().get(i).evidence());
                }
            }
        }
        if (!sparse && ((GaussianProcessModel) m).jitter() > 0) {
            pw.printf("note: the covariance needed %.3g extra jitter on its diagonal%n", ((GaussianProcessModel) m).jitter());
        }
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** {@code --model dkm}: the exact deep kernel machine, its objective terms and per-layer target alignment. */
    private Integer fitDeepKernelMachine() {
        if (inducing == null) {
            for (String o : List.of("--batch-size", "--epochs", "--learning-rate", "--sampler")) {
                if (parsed(o)) {
                    throw new UsageException(o + " applies to the sparse deep kernel machine: add --inducing M");
                }
            }
        } else {
            return fitSparseDeepKernelMachine();
        }
        GramMap map = GramMap.parse(kernel);
        DeepKernelMachine.Builder b = DeepKernelMachine.builder(map);
        if (layers != null) {
            b.layers(layers);
        }
        if (svm.nuPerLayer() != null) {
            b.nu(svm.nuPerLayer());
        }
        if (noise != null) {
            b.noise(noise);
        }
        b.learnNoise(learnNoise);
        if (maxIter != null) {
            b.maxIterations(maxIter);
        }
        DeepKernelMachine estimator = UsageException.of(b::build);
        String dkmLikelihood = likelihood == null ? "gaussian" : likelihood.trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("gaussian", "one-hot").contains(dkmLikelihood)) {
            throw new UsageException("--likelihood for dkm must be gaussian (regression) or one-hot (classification), got '"
                    + likelihood + "'");
        }
        boolean classify = dkmLikelihood.equals("one-hot");
        Dataset ds = data.options.readWithTarget(train, target, classify);
        Limits.requireSquareMatrix("an exact deep kernel machine", ds.rows(), "subsample the training rows");
        DeepKernelMachineModel m;
        DeepKernelMachineClassifierModel classifier = null;
        if (classify) {
            classifier = DeepKernelMachineClassifier.of(estimator).fit(ds.features(), ds.target());
            m = classifier.regression();
            checkFitted(classifier, ds);
            ModelFiles.save(new SavedModel(classifier, ds.featureNames(), ds.targetName(), ds.classLabels()), out);
        } else {
            m = estimator.fit(ds.features(), ds.target());
            checkFitted(m, ds);
            ModelFiles.save(new SavedModel(m, ds.featureNames(), ds.targetName(), ds.classLabels()), out);
        }
        var pw = spec.commandLine().getOut();
        pw.printf("model: dkm%s, layer map: %s, layers: %d%n", classify ? " classifier (one-hot targets)" : "",
                map.toSpec(), m.layers());
        pw.printf("trained on %d rows x %d features from %s, target '%s'%n", ds.rows(), ds.features().cols(), train,
                ds.targetName());
        var r = m.report();
        pw.printf("objective: %.6f = log likelihood %.6f - sum nu*KL%n", m.objective(), m.logLikelihood());
        pw.printf("noise variance: %.6g%s%n", m.noise(), learnNoise ? " (learned)" : "");
        double[] kl = m.klDivergences();
        double[] nus = m.nu();
        double[] align = m.alignments();
        pw.printf("%-8s %10s %14s %14s%n", "layer", "nu", "KL", "alignment");
        pw.printf("%-8s %10s %14s %14.6f%n", "input", "-", "-", align[0]);
        for (int l = 0; l < kl.length; l++) {
            pw.printf("%-8d %10.4g %14.6g %14.6f%n", l + 1, nus[l], kl[l], align[l + 1]);
        }
        pw.printf("optimizer: %d iterations, %d evaluations, stopped on %s; %.2f s%n", (long) r.number("iterations"),
                (long) r.number("evaluations"), r.text("stop").replace('_', ' '), r.number("seconds"));
        if (r.text("stop").equals("iterations")) {
            pw.printf("note: the optimizer stopped at its iteration limit (raise --max-iter)%n");
        } else if (r.text("stop").startsWith("line")) {
            pw.printf("note: the optimizer stopped after %d iterations because no step along its search direction "
                    + "improved the objective%s%n", (long) r.number("iterations"), (long) r.number("iterations") == 0
                    ? "; the model is the NNGP starting point (try another --nu or --noise, or rescale the target)" : "");
        }
        double maxJitter = 0;
        for (double j : m.jitter()) {
            maxJitter = Math.max(maxJitter, j);
        }
        if (maxJitter > 0) {
            pw.printf("note: kernel matrices needed jitter on their diagonals: %s%n",
                    java.util.Arrays.toString(m.jitter()));
        }
        if (classifier != null) {
            pw.printf("classes: %s%n", classNames(classifier.classes(), ds));
            pw.printf("training accuracy: %.6f%s%n",
                    ClassificationMetrics.of(scoredTarget(ds).data(), fitted.data()).accuracy(), scoredNote(ds));
        } else {
            printTrainingError(pw, m, ds);
        }
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** {@code --model dkm --inducing M}: the sparse deep kernel machine, full batch or on minibatches. */
    private Integer fitSparseDeepKernelMachine() {
        if (batchSize == null && (epochs != null || learningRate != null)) {
            throw new UsageException((epochs != null ? "--epochs" : "--learning-rate") + " applies to minibatch training:"
                    + " add --batch-size B");
        }
        if (batchSize != null && maxIter != null) {
            throw new UsageException("--max-iter limits full-batch L-BFGS; with --batch-size give --epochs");
        }
        if (batchSize != null && batchSize < 1) {
            throw new UsageException("--batch-size must be >= 1, got " + batchSize);
        }
        GramMap map = GramMap.parse(kernel);
        SparseDeepKernelMachine.Builder b = SparseDeepKernelMachine.builder(map).inducing(inducing).seed(seed)
                .sampler(UsageException.of(() -> Landmarks.Sampler.parse(sampler)));
        if (layers != null) {
            b.layers(layers);
        }
        if (svm.nuPerLayer() != null) {
            b.nu(svm.nuPerLayer());
        }
        if (noise != null) {
            b.noise(noise);
        }
        if (maxIter != null) {
            b.maxIterations(maxIter);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (learningRate != null) {
            b.learningRate(learningRate);
        }
        b.learnNoise(learnNoise);
        SparseDeepKernelMachine estimator = UsageException.of(b::build);
        Dataset ds = data.options.readWithTarget(train, target);
        DeepKernelMachineModel m = estimator.fit(ds.features(), ds.target());
        checkFitted(m, ds);
        ModelFiles.save(new SavedModel(m, ds.featureNames(), ds.targetName(), ds.classLabels()), out);
        var pw = spec.commandLine().getOut();
        var r = m.report();
        pw.printf("model: dkm (sparse, %d inducing points, %s), layer map: %s, layers: %d%n", inducing, sampler,
                map.toSpec(), m.layers());
        pw.printf("trained on %d rows x %d features from %s, target '%s'%n", ds.rows(), ds.features().cols(), train,
                ds.targetName());
        pw.printf("objective: %.6f = expected log likelihood %.6f - output KL %.6f - sum nu*KL%n", m.objective(),
                r.number("expected_log_likelihood"), r.number("kl_output"));
        pw.printf("noise variance: %.6g%s%n", m.noise(), learnNoise ? " (learned)" : "");
        double[] kl = m.klDivergences();
        double[] nus = m.nu();
        pw.printf("%-8s %10s %14s%n", "layer", "nu", "KL");
        for (int l = 0; l < kl.length; l++) {
            pw.printf("%-8d %10.4g %14.6g%n", l + 1, nus[l], kl[l]);
        }
        if (batchSize == null) {
            pw.printf("optimizer: L-BFGS, %d iterations, %d evaluations, stopped on %s; %.2f s%n",
                    (long) r.number("iterations"), (long) r.number("evaluations"), r.text("stop").replace('_', ' '),
                    r.number("seconds"));
            if (r.text("stop").equals("iterations")) {
                pw.printf("note: the optimizer stopped at its iteration limit (raise --max-iter)%n");
            }
        } else {
            pw.printf("optimizer: Adam, %d epochs of batches of %d rows, %d steps; %.2f s%n", (long) r.number("epochs"),
                    batchSize, (long) r.number("iterations"), r.number("seconds"));
        }
        double maxJitter = 0;
        for (double j : m.jitter()) {
            maxJitter = Math.max(maxJitter, j);
        }
        if (maxJitter > 0) {
            pw.printf("note: inducing kernel matrices needed jitter on their diagonals: %s%n",
                    java.util.Arrays.toString(m.jitter()));
        }
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** The hyperparameter search of --optimize (null without it), with --max-iter as its L-BFGS limit. */
    private HyperparameterSearch search() {
        return hyperparameterSearch(maxIter);
    }

    /** fit --model tp: Student-t process regression, optionally learning the kernel (and nu). */
    private Integer fitStudentTProcess(Kernel k) {
        if (learnDof && !optimize) {
            throw new UsageException("--learn-dof needs --optimize");
        }
        if (inverseGamma != null && (dof != null || learnDof)) {
            throw new UsageException("--inverse-gamma replaces --dof and fixes nu = 2A; drop --dof and --learn-dof");
        }
        StudentTProcess.Builder b = StudentTProcess.builder(k).normalizeTargets(normalize).optimize(search())
                .learnDegreesOfFreedom(learnDof);
        if (noise != null) {
            b.noise(noise);
        }
        if (dof != null) {
            b.degreesOfFreedom(dof);
        }
        if (inverseGamma != null) {
            String[] ab = inverseGamma.split(":");
            if (ab.length != 2) {
                throw new UsageException("--inverse-gamma must be A:B, e.g. 2:1, got '" + inverseGamma + "'");
            }
            b.inverseGammaPrior(parseNumber("--inverse-gamma", ab[0]), parseNumber("--inverse-gamma", ab[1]));
        }
        StudentTProcess estimator = UsageException.of(b::build);
        Dataset ds = data.options.readWithTarget(train, target);
        Limits.requireSquareMatrix("an exact Student-t process", ds.rows(), "subsample the data");
        StudentTProcessModel m = estimator.fit(ds.features(), ds.target());
        var pw = saveAndDescribe(m, m.kernel(), ds, inverseGamma != null ? "tp (scale mixture, inverse-gamma prior)" : "tp");
        printHyperparameters(pw, m.kernel().hyperparameters(), m.search());
        pw.printf("degrees of freedom: prior %.6g%s, predictive %.6g; shape scale c = %.6g%n", m.priorDegreesOfFreedom(),
                learnDof ? " (learned)" : "", m.degreesOfFreedom(), m.shapeScale());
        pw.printf("log marginal likelihood: %.6f%s%n", m.logMarginalLikelihood(), normalize ? " (normalized target)" : "");
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** fit --model gp --bayesian: hyperparameters integrated out by HMC or Gaussian VI. */
    private Integer fitBayesianGaussianProcess(Kernel k) {
        if (bayesian == null) {
            throw new UsageException("--chains, --warmup, --draws and --prior-scale need --bayesian hmc|vi|vi-full");
        }
        if (optimize || !bounds.isEmpty() || restarts != 0) {
            throw new UsageException("--bayesian integrates the hyperparameters out; it cannot be combined with "
                    + "--optimize, --bounds or --restarts");
        }
        BayesianGaussianProcess.Method method = switch (bayesian.toLowerCase(java.util.Locale.ROOT)) {
            case "hmc" -> BayesianGaussianProcess.Method.HMC;
            case "vi" -> BayesianGaussianProcess.Method.MEAN_FIELD_VI;
            case "vi-full" -> BayesianGaussianProcess.Method.FULL_RANK_VI;
            default -> throw new UsageException("--bayesian must be hmc, vi or vi-full, got '" + bayesian + "'");
        };
        if (method != BayesianGaussianProcess.Method.HMC && (chains != null || warmup != null || draws != null)) {
            throw new UsageException("--chains, --warmup and --draws apply to --bayesian hmc");
        }
        BayesianGaussianProcess.Builder b = BayesianGaussianProcess.builder(k).normalizeTargets(normalize).method(method)
                .seed(seed);
        if (noise != null) {
            b.noise(noise);
        }
        if (chains != null) {
            b.chains(chains);
        }
        if (warmup != null) {
            b.warmup(warmup);
        }
        if (draws != null) {
            b.draws(draws);
        }
        if (priorScale != null) {
            b.priorScale(priorScale);
        }
        if (maxIter != null) {
            b.iterations(maxIter);
        }
        fixed.forEach(b::fix);
        BayesianGaussianProcess estimator = UsageException.of(b::build);
        Dataset ds = data.options.readWithTarget(train, target);
        Limits.requireSquareMatrix("an exact Gaussian process", ds.rows(), "use --model sgpr (memory O(n m))");
        long start = System.nanoTime();
        BayesianGaussianProcessModel m = estimator.fit(ds.features(), ds.target());
        double seconds = (System.nanoTime() - start) / 1e9;
        var pw = saveAndDescribe(m, k, ds, "gp (" + bayesian + ")");
        org.kernels4j.model.FitReport r = m.report();
        Matrix d = m.logDraws();
        boolean hmc = method == BayesianGaussianProcess.Method.HMC;
        pw.printf("%-24s %14s %14s %10s %10s%n", "hyperparameter", "posterior mean", "sd of log", hmc ? "r_hat" : "",
                hmc ? "ess" : "");
        for (int p = 0; p < d.cols(); p++) {
            double[] z = d.column(p);
            double mean = 0;
            double sq = 0;
            for (double v : z) {
                mean += Math.exp(v) / z.length;
            }
            double lm = java.util.Arrays.stream(z).average().orElse(0);
            for (double v : z) {
                sq += (v - lm) * (v - lm) / Math.max(1, z.length - 1);
            }
            pw.printf("%-24s %14.6g %14.4g %10s %10s%n", m.parameterNames().get(p), mean, Math.sqrt(sq),
                    hmc ? String.format(java.util.Locale.ROOT, "%.3f", r.numbers("r_hat")[p]) : "",
                    hmc ? String.format(java.util.Locale.ROOT, "%.0f", r.numbers("ess")[p]) : "");
        }
        if (hmc) {
            pw.printf("acceptance rate: %.3f; divergences: %d; step sizes: %s; %.2f s%n", r.number("acceptance_rate"),
                    (long) r.number("divergences"), java.util.Arrays.toString(r.numbers("step_size")), seconds);
            for (double rh : r.numbers("r_hat")) {
                if (rh > 1.01) {
                    pw.printf("note: r_hat above 1.01: the chains disagree; raise --warmup and --draws%n");
                    break;
                }
            }
        } else {
            pw.printf("ELBO: %.6f +- %.3g (Monte-Carlo standard error); %.2f s%n", r.number("elbo"), r.number("elbo_se"),
                    seconds);
        }
        pw.printf("prediction: a mixture of %d Gaussian processes at posterior draws%n", m.members().size());
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** kron-gp and ss-gp: the grid and state-space GPs, whose kernels are not one {@link Kernel}. */
    private Integer fitStructuredGaussianProcess() {
        HyperparameterSearch search = hyperparameterSearch(maxIter);
        Dataset ds = data.options.readWithTarget(train, target);
        Model m;
        String kernelText;
        List<Hyperparameter> current;
        HyperparameterSearch.Result learned;
        double lml;
        String detail;
        if (model.equals("ss-gp")) {
            var b = org.kernels4j.gp.StateSpaceGaussianProcess.builder(org.kernels4j.gp.StateSpaceKernel.parse(kernel))
                    .normalizeTargets(normalize).optimize(search);
            if (noise != null) {
                b.noise(noise);
            }
            var fit = UsageException.of(b::build).fit(ds.features(), ds.target());
            m = fit;
            kernelText = fit.kernel().toSpec() + "; noise " + fit.noise();
            current = org.kernels4j.gp.StateSpaceGaussianProcess.builder(fit.kernel()).noise(fit.noise()).build()
                    .hyperparameters();
            learned = fit.search();
            lml = fit.logMarginalLikelihood();
            detail = "state dimension " + fit.kernel().stateDimension();
        } else {
            String[] specs = kernel.split(";");
            int axes = ds.features().cols();
            if (specs.length != 1 && specs.length != axes) {
                throw new UsageException("--kernel for kron-gp needs one spec per feature column separated by ';' ("
                        + axes + ") or one spec for all, got " + specs.length);
            }
            List<Kernel> ks = new java.util.ArrayList<>();
            for (int d = 0; d < axes; d++) {
                ks.add(KernelSpec.parse(specs[specs.length == 1 ? 0 : d].trim()));
            }
            var b = org.kernels4j.gp.KroneckerGaussianProcess.builder(ks).normalizeTargets(normalize).optimize(search);
            if (noise != null) {
                b.noise(noise);
            }
            if (maxMissing != null) {
                b.maxMissing(maxMissing);
            }
            var fit = UsageException.of(b::build).fit(ds.features(), ds.target());
            m = fit;
            kernelText = String.join("; ", fit.kernels().stream().map(Kernel::toSpec).toList()) + "; noise "
                    + fit.noise();
            current = org.kernels4j.gp.KroneckerGaussianProcess.builder(fit.kernels()).noise(fit.noise()).build()
                    .hyperparameters();
            learned = fit.search();
            lml = fit.logMarginalLikelihood();
            detail = "grid " + String.join(" x ", fit.grid().axes().stream().map(a -> Integer.toString(a.length))
                    .toList()) + ", " + fit.grid().missing() + " missing cell(s)";
        }
        checkFitted(m, ds);
        ModelFiles.save(new SavedModel(m, ds.featureNames(), ds.targetName(), ds.classLabels()), out);
        var pw = spec.commandLine().getOut();
        pw.printf("model: %s, kernel: %s%n", model, kernelText);
        pw.printf("trained on %d rows x %d features from %s, target '%s'; %s%n", ds.rows(), ds.features().cols(), train,
                ds.targetName(), detail);
        printHyperparameters(pw, current, learned);
        pw.printf("log marginal likelihood: %.6f%s%n", lml, normalize ? " (normalized target)" : "");
        printTrainingError(pw, m, ds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    /** lssvm, rvm, kqr: fits, saves and describes the model (see {@link KernelLearners}). */
    private Integer fitKernelLearner() {
        Kernel k = KernelSpec.parse(kernel);
        var estimator = learners.estimator(model, k, svm.c, tol, maxIter);
        boolean classify = learners.classify;
        Dataset ds = data.options.readWithTarget(train, target, classify);
        if (classify) {
            warnIfContinuous(ds, spec.commandLine().getErr());
        }
        long start = System.nanoTime();
        Model m = estimator.fit(ds.features(), ds.target());
        double seconds = (System.nanoTime() - start) / 1e9;
        var pw = saveAndDescribe(m, k, ds, model + (classify ? " classifier" : ""));
        if (m instanceof org.kernels4j.model.Classifier c && c.classes() != null) {
            pw.printf("classes: %s%n", classNames(c.classes(), ds));
        }
        pw.print(m.report());
        Matrix f = fitted != null ? fitted : m.predict(ds.features());
        Matrix t = fitted != null ? scoredTarget(ds) : ds.target(); // the rows f is on
        if (classify) {
            pw.printf("training accuracy: %.6f%s%n", ClassificationMetrics.of(t.data(), f.data()).accuracy(),
                    fitted != null ? scoredNote(ds) : "");
        } else if (m instanceof org.kernels4j.svm.KernelQuantileRegressionModel q) {
            KernelLearners.printQuantileFit(pw, q, f, t);
        } else {
            printTrainingError(pw, m, ds);
        }
        pw.printf(java.util.Locale.ROOT, "fit time: %.2f s%n", seconds);
        pw.printf("saved %s%n", out);
        return 0;
    }

    private static void printHyperparameters(java.io.PrintWriter pw, List<Hyperparameter> current,
            HyperparameterSearch.Result learned) {
        List<Hyperparameter> hs = learned != null ? learned.hyperparameters() : current;
        if (hs.isEmpty()) {
            return;
        }
        pw.printf("%-24s %14s %12s %12s%n", "hyperparameter", "value", "lower", "upper");
        for (Hyperparameter h : hs) {
            boolean isFixed = learned == null || learned.fixed().contains(h.name());
            boolean atBound = !isFixed && (h.value() <= h.lower() * (1 + 1e-9) || h.value() >= h.upper() * (1 - 1e-9));
            pw.printf("%-24s %14.6g %12.3g %12.3g%s%n", h.name(), h.value(), h.lower(), h.upper(),
                    isFixed && learned != null ? "  fixed" : atBound ? "  at its bound" : "");
        }
    }

    static double parseNumber(String option, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number, got '" + text + "'");
        }
    }

    static double[] parseGrid(String option, String text) {
        String[] parts = text.split(":");
        if (parts.length != 3) {
            throw new UsageException(option + " must be FROM:TO:COUNT, e.g. 1e-6:1e2:17, got '" + text + "'");
        }
        double from = parseNumber(option, parts[0]);
        double to = parseNumber(option, parts[1]);
        int count;
        try {
            count = Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " COUNT must be an integer, got '" + parts[2] + "'");
        }
        if (count > 10_000) { // every λ is scored (one O(n) pass each) and printed: more is a typo, not a grid
            throw new UsageException(option + " COUNT must be at most 10000, got " + count);
        }
        return UsageException.of(() -> KernelRidge.logGrid(from, to, count));
    }
}
