package org.kernels4j.io.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.SparseGaussianProcessModel;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.privacy.PrivateSimilarityClassifier;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.NtkPredictorModel;
import org.kernels4j.svm.SvmModel;

/**
 * Exports a model to an ONNX graph that ONNX Runtime (or any runtime of the standard operator
 * set) evaluates in float64, giving kernels4j's predictions to rounding.
 *
 * <p>The graph has one input {@value #INPUT}, doubles of shape [N, d] (d the model's features, N
 * free), and these outputs, each [N, ·] doubles:
 * <ul>
 *   <li>{@code prediction}, always: what {@link Model#predict} gives. Kernel expansions
 *       (kinds {@code krr}, its Nyström form included, {@code gp} and {@code sgpr}: the predictive
 *       mean) compute f(x) = K(x, C)·A + b, [N, k], for the m rows C [m, d] the model keeps
 *       (training rows, Nyström centres, inducing points) and coefficients A [m, k]; kind {@code ntk}, the
 *       mean of the infinite-width network ensemble trained to time t, Θ(x, X)·V·diag(g)·Vᵀ·Y;</li>
 *   <li>{@code svm}: {@code prediction} [N, 1] (class labels as kernels4j codes them, ε-SVR values, or
 *       ±1 for one-class), {@code decision_values} [N, P] with f_p(x) = Σ_s coef[s][p]·k(sv_s, x) − ρ_p,
 *       and, when the model was trained with probabilities, {@code probabilities} [N, k]: Platt's
 *       sigmoid 1/(1 + exp(A·f + B)) clipped to [10⁻⁷, 1 − 10⁻⁷], then for one-vs-one the pairwise
 *       coupling of Wu, Lin &amp; Weng (its (k+1)×(k+1) KKT system solved in the graph by the same
 *       Gaussian elimination with partial pivoting as kernels4j), for one-vs-rest normalization;</li>
 *   <li>random-feature models: {@code private-kernel-sum}, {@code prediction} [N, 1] =
 *       φ(x)·μ̃ with φ(x) = √(s/m)·[cos(Wx), sin(Wx)]; {@code private-similarity}, {@code scores}
 *       [N, classes] (each class's φ(x)·μ̃_c) and {@code prediction} [N, 1], the class of the
 *       largest.</li>
 * </ul>
 * The kernels are written as operators by {@link KernelGraph} (listed there); a model of another
 * kind, or with a kernel that has no operator form, is refused with a {@link Kernels4jException}
 * naming it. The file records the model kind, kernel, feature names, class names and target
 * name in its metadata. Pinned: IR version {@value #IR_VERSION}, {@code ai.onnx} opset
 * {@value #OPSET}, which ONNX Runtime 1.18 and later run.
 *
 * <p>Size: the constants are the model's arrays (m·d + m·k doubles); cost per input row as in
 * kernels4j, O(m·d) for the kernel plus O(m·k) for the expansion.
 */
public final class OnnxExport {
    /** ONNX IR version of exported files. */
    public static final long IR_VERSION = OnnxGraph.IR_VERSION;
    /** The {@code ai.onnx} operator set of exported files. */
    public static final long OPSET = OnnxGraph.OPSET;
    /** The name of the graph's input, [N, d] doubles. */
    public static final String INPUT = "x";
    /** Model kinds that export. */
    public static final List<String> KINDS = List.of("krr", "gp", "sgpr", "ntk", "svm", "private-kernel-sum",
            "private-similarity");

    private static final double PROBABILITY_MIN = 1e-7; // Probabilities.MIN in kernels4j's SVM

    private OnnxExport() {
    }

    /**
     * What an export wrote.
     *
     * @param features the input's columns d (the input is [N, d])
     * @param outputs each output's name and number of columns, in graph order
     * @param nodes the number of operator nodes
     * @param bytes the size of the ONNX file
     */
    public record Summary(int features, Map<String, Integer> outputs, int nodes, long bytes) {
        /** Copies the map. */
        public Summary {
            outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }
    }

    /**
     * The ONNX {@code ModelProto} bytes of a saved model.
     *
     * @throws Kernels4jException when the model's kind or kernel cannot be exported (named in the message)
     */
    public static byte[] toBytes(SavedModel saved) {
        return build(saved).toModel;
    }

    /**
     * Writes {@link #toBytes} to {@code file} atomically (temporary file, then rename) and says what it wrote.
     *
     * @throws Kernels4jException when the model cannot be exported (nothing is written then)
     */
    public static Summary write(SavedModel saved, Path file) {
        Built b = build(saved);
        AtomicFiles.write(file, out -> out.write(b.toModel));
        return new Summary(saved.model().features(), b.graph.outputs(), b.graph.nodeCount(), b.toModel.length);
    }

    private record Built(OnnxGraph graph, byte[] toModel) {
    }

    private static Built build(SavedModel saved) {
        Model model = saved.model();
        String kind = ModelCodecs.kindOf(model);
        OnnxGraph g = new OnnxGraph();
        String x = g.input(INPUT, model.features(), "input rows, one feature per column, in the model's order ("
                + model.features() + " features)");
        Kernel kernel;
        if (model instanceof KernelRidgeModel || model instanceof GaussianProcessModel
                || model instanceof SparseGaussianProcessModel) {
            KernelRidgeModel krr = model instanceof GaussianProcessModel gp ? gp.toKernelRidgeModel()
                    : model instanceof SparseGaussianProcessModel s ? s.toKernelRidgeModel() : (KernelRidgeModel) model;
            kernel = krr.kernel();
            expansion(g, x, krr);
        } else if (model instanceof NtkPredictorModel ntk) {
            kernel = ntk.options().kernel().withKind(NeuralKernel.Kind.NTK);
            ntkEnsemble(g, x, ntk, (NeuralKernel) kernel);
        } else if (model instanceof SvmModel svm) {
            kernel = svm.kernel();
            svm(g, x, svm);
        } else if (model instanceof PrivateKernelSum p) {
            kernel = p.kernel(); // only k(0, 0) enters the graph: random features export for every kernel
            g.output("prediction", randomFeatureMean(g, x, p), 1, "estimated mean kernel value (1/n) sum_x k(x, row)");
        } else if (model instanceof PrivateSimilarityClassifier p) {
            kernel = p.structures().get(0).kernel();
            similarity(g, x, p);
        } else {
            throw new Kernels4jException("a '" + kind + "' model cannot be exported to ONNX (exported kinds: "
                    + String.join(", ", KINDS) + ")");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kernels4j.kind", kind);
        meta.put("kernels4j.kernel", kernel == null ? "precomputed" : kernel.toSpec());
        meta.put("kernels4j.feature_names", json(saved.featureNames()));
        if (saved.targetName() != null) {
            meta.put("kernels4j.target_name", saved.targetName());
        }
        if (saved.classLabels() != null) {
            meta.put("kernels4j.class_names", json(saved.classLabels().names()));
        }
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        return new Built(g, g.toModel("kernels4j_" + kind.replace('-', '_'), "kernels4j " + kind + " model, kernel "
                + meta.get("kernels4j.kernel"), version == null ? "development" : version, meta));
    }

    private static String json(List<String> names) {
        try {
            return new ObjectMapper().writeValueAsString(names);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** prediction = K(x, C)·A + b. */
    private static void expansion(OnnxGraph g, String x, KernelRidgeModel m) {
        Matrix c = m.trainingInputs();
        Matrix a = m.dualCoefficients();
        String gram = new KernelGraph(g, x, c).gram(m.kernel());
        String f = g.matmul(gram, g.constant("dual_coef", a.data(), a.rows(), a.cols()));
        f = g.add(f, g.constant("intercept", m.intercept(), 1, a.cols()));
        g.output("prediction", f, a.cols(), "predictions, one column per output");
    }

    /**
     * The mean of the infinite-width ensemble trained by gradient descent to time t (NtkPredictorModel's
     * predict): Θ(x, X)·V·diag(g)·Vᵀ·Y with Θ(X, X) = V·diag(λ)·Vᵀ and g_i = (1 − e^{−λ_i·r})/λ_i,
     * r = η·t/(n·k) (g_i = 1/λ_i at t = ∞, 0 for λ_i ≤ 10⁻¹²·λ_max), evaluated in the same order as
     * kernels4j (Θ·V first, O(n²) per row), whose g this repeats.
     */
    private static void ntkEnsemble(OnnxGraph g, String x, NtkPredictorModel m, NeuralKernel ntk) {
        Matrix train = m.trainingInputs();
        Matrix y = m.trainingTargets();
        Matrix v = m.ntkEigen().vectors();
        double[] lambda = m.ntkEigen().values();
        int n = train.rows();
        double t = m.options().time();
        double rate = m.options().learningRate() * t / ((double) n * y.cols());
        double[] gain = new double[n];
        for (int i = 0; i < n; i++) {
            double l = Math.max(lambda[i], 0);
            if (Double.isInfinite(t)) {
                gain[i] = l > 1e-12 * Math.abs(lambda[n - 1]) ? 1 / l : 0;
            } else {
                gain[i] = l * rate < 1e-8 ? rate * (1 - l * rate / 2) : -Math.expm1(-l * rate) / l;
            }
        }
        String theta = new KernelGraph(g, x, train).gram(ntk);
        String b = g.matmul(theta, g.constant("ntk_eigenvectors", v.data(), n, n));
        String bg = g.mul(b, g.constant("ntk_gains", gain, 1, n));
        String a = g.matmul(bg, g.constant("ntk_eigenvectors_t", v.transpose().data(), n, n));
        String mean = g.matmul(a, g.constant("train_y", y.data(), n, y.cols()));
        g.output("prediction", mean, y.cols(), "mean output of the infinite-width ensemble");
    }

    // ------------------------------------------------------------------------------------ SVM

    private static void svm(OnnxGraph g, String x, SvmModel m) {
        int problems = m.rho().length;
        Matrix coef = m.coefficients();
        String f;
        if (m.supportVectorCount() == 0) {
            f = g.zeros(x, problems);
        } else {
            String gram;
            if (m.isPrecomputed()) {
                long[] idx = java.util.Arrays.stream(m.supportIndices()).asLongStream().toArray();
                gram = g.op("Gather", List.of(OnnxGraph.Attribute.of("axis", 1)), x, g.int64s(idx));
            } else {
                gram = new KernelGraph(g, x, m.supportVectors()).gram(m.kernel());
            }
            f = g.matmul(gram, g.constant("coefficients", coef.data(), coef.rows(), coef.cols()));
        }
        f = g.sub(f, g.constant("rho", m.rho(), 1, problems));
        g.output("decision_values", f, problems, "decision values f_p(x) = sum_s coef[s][p] k(sv_s, x) - rho_p");
        String prediction;
        switch (m.type()) {
            case EPSILON_SVR:
            case NU_SVR:
                prediction = f;
                break;
            case ONE_CLASS:
                prediction = g.where(g.greater(f, g.scalar(0.0)), g.scalar(1.0), g.scalar(-1.0));
                break;
            default:
                prediction = labels(g, f, m);
        }
        g.output("prediction", prediction, 1, m.type().isClassifier() ? "class labels (kernels4j's codes)"
                : m.type() != SvmModel.Type.ONE_CLASS ? "regression values" : "+1 inlier, -1 outlier");
        if (m.type().isClassifier() && m.hasProbabilities()) {
            g.output("probabilities", probabilities(g, x, f, m), m.classes().length,
                    "class probabilities in the order of the class labels");
        }
    }

    /** The voted (one-vs-one), largest (one-vs-rest) or signed (two classes) class label, [N, 1]. */
    private static String labels(OnnxGraph g, String f, SvmModel m) {
        double[] classes = m.classes();
        int k = classes.length;
        if (k == 2) {
            return g.where(g.greater(f, g.scalar(0.0)), g.scalar(classes[0]), g.scalar(classes[1]));
        }
        String scores = f;
        if (m.multiclass() == SvmModel.Multiclass.ONE_VS_ONE) {
            int problems = k * (k - 1) / 2;
            double[] first = new double[problems * k];
            double[] second = new double[problems * k];
            int p = 0;
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++, p++) {
                    first[p * k + i] = 1;
                    second[p * k + j] = 1;
                }
            }
            String wins = g.op("Cast", List.of(OnnxGraph.Attribute.of("to", 11)), g.greater(f, g.scalar(0.0)));
            scores = g.add(g.matmul(wins, g.constant("votes_i", first, problems, k)),
                    g.matmul(g.sub(g.scalar(1.0), wins), g.constant("votes_j", second, problems, k)));
        }
        String best = argMax(g, scores);
        return g.op("Gather", List.of(OnnxGraph.Attribute.of("axis", 0)), g.constant("classes", classes, k), best);
    }

    /** Index of the first largest entry of each row, int64 [N, 1] (ties to the smaller index, as kernels4j). */
    private static String argMax(OnnxGraph g, String a) {
        return g.op("ArgMax", List.of(OnnxGraph.Attribute.of("axis", 1), OnnxGraph.Attribute.of("keepdims", 1),
                OnnxGraph.Attribute.of("select_last_index", 0)), a);
    }

    /** 1/(1 + exp(A·f + B)) per column, in kernels4j's overflow-free form, clipped to [1e-7, 1 − 1e-7]. */
    private static String platt(OnnxGraph g, String f, double[][] sigmoid) {
        int problems = sigmoid.length;
        double[] a = new double[problems];
        double[] b = new double[problems];
        for (int p = 0; p < problems; p++) {
            a[p] = sigmoid[p][0];
            b[p] = sigmoid[p][1];
        }
        String z = g.add(g.mul(f, g.constant("platt_a", a, 1, problems)), g.constant("platt_b", b, 1, problems));
        String e = g.exp(g.neg(g.abs(z)));
        String onePlus = g.add(e, 1.0);
        String p = g.where(g.op("GreaterOrEqual", z, g.scalar(0.0)), g.div(e, onePlus), g.div(g.scalar(1.0), onePlus));
        return g.min(g.max(p, g.scalar(PROBABILITY_MIN)), g.scalar(1 - PROBABILITY_MIN));
    }

    private static String probabilities(OnnxGraph g, String x, String f, SvmModel m) {
        int k = m.classes().length;
        String pairwise = platt(g, f, m.sigmoids());
        if (k == 2) {
            return g.concatColumns(pairwise, g.sub(g.scalar(1.0), pairwise));
        }
        if (m.multiclass() == SvmModel.Multiclass.ONE_VS_REST) {
            return g.div(pairwise, g.rowSum(pairwise));
        }
        return couple(g, x, pairwise, k);
    }

    /**
     * Pairwise coupling (Wu, Lin &amp; Weng 2004, method 2) as kernels4j's SVM computes it: the KKT system
     * [Q 1; 1ᵀ 0]·[p; μ] = [0; 1] with Q_tt = Σ_{j≠t} r_jt², Q_tj = −r_jt·r_tj, solved by Gaussian
     * elimination with partial pivoting (first largest pivot), then p clipped at 0 and normalized. Each
     * row of the (k+1)×(k+2) augmented matrix is one [N, k+2] tensor; pivoting selects rows per sample
     * with ArgMax and Where, and the arithmetic is the same sequence of IEEE operations, so the result
     * matches to rounding of the pairwise probabilities.
     */
    private static String couple(OnnxGraph g, String x, String pairwise, int k) {
        String[][] r = new String[k][k];
        int p = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++, p++) {
                r[a][b] = g.column(pairwise, p);
                r[b][a] = g.sub(g.scalar(1.0), r[a][b]);
            }
        }
        String zero = g.zeros(x, 1);
        String one = g.add(zero, 1.0);
        int n = k + 1;
        String[] rows = new String[n];
        for (int t = 0; t < k; t++) {
            String[] entries = new String[n + 1];
            String diagonal = null;
            for (int j = 0; j < k; j++) {
                if (j == t) {
                    continue;
                }
                String sq = g.mul(r[j][t], r[j][t]);
                diagonal = diagonal == null ? sq : g.add(diagonal, sq);
                entries[j] = g.neg(g.mul(r[j][t], r[t][j]));
            }
            entries[t] = diagonal;
            entries[k] = one;
            entries[k + 1] = zero;
            rows[t] = g.concatColumns(entries);
        }
        String[] last = new String[n + 1];
        java.util.Arrays.fill(last, 0, k, one);
        last[k] = zero;
        last[k + 1] = one;
        rows[k] = g.concatColumns(last);
        for (int c = 0; c < n; c++) {
            if (c < n - 1) {
                List<String> candidates = new ArrayList<>();
                for (int q = c; q < n; q++) {
                    candidates.add(g.abs(g.column(rows[q], c)));
                }
                String pivot = argMax(g, g.concatColumns(candidates.toArray(String[]::new)));
                String pivotRow = rows[c];
                String oldRow = rows[c];
                for (int q = c + 1; q < n; q++) {
                    String chosen = g.op("Equal", pivot, g.int64s(q - c));
                    pivotRow = g.where(chosen, rows[q], pivotRow);
                    rows[q] = g.where(chosen, oldRow, rows[q]);
                }
                rows[c] = pivotRow;
            }
            String diag = g.column(rows[c], c);
            for (int q = c + 1; q < n; q++) {
                String factor = g.div(g.column(rows[q], c), diag);
                rows[q] = g.sub(rows[q], g.mul(factor, rows[c]));
            }
        }
        String[] solution = new String[n];
        for (int q = n - 1; q >= 0; q--) {
            String s = g.column(rows[q], n);
            for (int j = q + 1; j < n; j++) {
                s = g.sub(s, g.mul(g.column(rows[q], j), solution[j]));
            }
            solution[q] = g.div(s, g.column(rows[q], q));
        }
        String[] probs = new String[k];
        String sum = null;
        for (int t = 0; t < k; t++) {
            probs[t] = g.max(solution[t], g.scalar(0.0));
            sum = sum == null ? probs[t] : g.add(sum, probs[t]);
        }
        for (int t = 0; t < k; t++) {
            probs[t] = g.div(probs[t], sum);
        }
        return g.concatColumns(probs);
    }

    // --------------------------------------------------------------------------- random features

    /** φ(x)·μ̃ [N, 1] with φ(x) = √(s/m)·[cos(Wx), sin(Wx)], s = k(0, 0). */
    private static String randomFeatureMean(OnnxGraph g, String x, PrivateKernelSum p) {
        Matrix w = p.frequencies();
        int m = w.rows();
        int d = w.cols();
        double s = p.kernel().value(new double[d], new double[d]);
        double scale = Math.sqrt(s / m);
        String projection = g.matmul(x, g.constant("frequencies_t", w.transpose().data(), d, m));
        // ONNX Runtime's CPU provider has float64 Sin but no float64 Cos: cos t = 1 − 2·sin²(t/2), whose
        // absolute error is a few ulp of 1 (t/2 is exact)
        String half = g.op("Sin", g.mul(projection, 0.5));
        String cos = g.sub(g.scalar(1.0), g.mul(g.mul(half, half), 2.0));
        String phi = g.concatColumns(g.mul(cos, scale), g.mul(g.op("Sin", projection), scale));
        double[] mean = p.noisyMean();
        return g.matmul(phi, g.constant("noisy_mean", mean, mean.length, 1));
    }

    private static void similarity(OnnxGraph g, String x, PrivateSimilarityClassifier c) {
        List<PrivateKernelSum> parts = c.structures();
        String[] scores = new String[parts.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = randomFeatureMean(g, x, parts.get(i));
        }
        String all = g.concatColumns(scores);
        g.output("scores", all, scores.length, "estimated average similarity to each class");
        String best = argMax(g, all);
        String labels = g.op("Gather", List.of(OnnxGraph.Attribute.of("axis", 0)),
                g.constant("classes", c.classes(), scores.length), best);
        g.output("prediction", labels, 1, "class of the largest score");
    }
}
