package org.kernels4j.io;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.Model;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.svm.SvmModel;

/**
 * What a model outputs for a batch of n rows, each part computed once for the whole batch (one
 * kernel pass against the model's training or support points, through the Gram engine), and only
 * when asked for. Shared by {@code kernels4j predict} and the prediction server, so both give the
 * same numbers.
 *
 * <ul>
 *   <li>{@code values}: {@link Model#predict}, n×k (class codes for a classifier);</li>
 *   <li>{@code std}: √(predictive variance), n×k, for a {@link PredictiveVariance} model;</li>
 *   <li>{@code probabilities}: n×c, column j for class {@code classes()[j]}, for a {@link Classifier}
 *       with probabilities;</li>
 *   <li>{@code decisions}: n×q decision values f(x), for a {@link DecisionFunction} model.</li>
 * </ul>
 * Parts not asked for are null. For an SVM one pass K(X, SV) serves labels, probabilities and
 * decision values ({@link SvmModel#predictFromDecisions}).
 *
 * @param values the predictions, never null
 * @param std predictive standard deviations, or null
 * @param probabilities class probabilities, or null
 * @param decisions decision values, or null
 */
public record Predictions(Matrix values, Matrix std, Matrix probabilities, Matrix decisions) {
    /** The parts a model can output. */
    public enum Output {
        /** {@link Model#predict}: every model. */
        PREDICTION,
        /** Predictive standard deviation: {@link PredictiveVariance} models (gp, sgpr, ntk, …). */
        STD,
        /** Class probabilities: classifiers with probabilities (gpc, svc --probability, calibrated). */
        PROBABILITIES,
        /** Decision values f(x): {@link DecisionFunction} models (svc, svr, oneclass). */
        DECISION;

        /** The lower-case name used in JSON and in messages ({@code prediction}, {@code std}, …). */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The output named {@code key} (case-insensitive), or a clear error listing the names. */
        public static Output of(String key) {
            for (Output o : values()) {
                if (o.key().equalsIgnoreCase(key.strip())) {
                    return o;
                }
            }
            throw new Kernels4jException("unknown output '" + key + "' (expected prediction, std, probabilities or decision)");
        }
    }

    /** The outputs {@code model} has, in {@link Output} order; always contains {@link Output#PREDICTION}. */
    public static Set<Output> available(Model model) {
        Set<Output> s = EnumSet.of(Output.PREDICTION);
        if (model instanceof PredictiveVariance) {
            s.add(Output.STD);
        }
        if (model instanceof Classifier c && c.classes() != null && c.hasProbabilities()) {
            s.add(Output.PROBABILITIES);
        }
        if (model instanceof DecisionFunction) {
            s.add(Output.DECISION);
        }
        return s;
    }

    /**
     * The outputs in {@code wanted} (the predictions always) for the rows of {@code x} (n×d).
     *
     * @throws Kernels4jException when {@code wanted} holds an output the model lacks (see {@link #available})
     */
    public static Predictions of(Model model, Matrix x, Set<Output> wanted, ProgressListener progress) {
        Set<Output> has = available(model);
        for (Output o : wanted) {
            if (!has.contains(o)) {
                throw new Kernels4jException("a '" + ModelCodecs.kindOf(model) + "' model has no " + o.key()
                        + " output (it has: " + keys(has) + ")");
            }
        }
        Matrix f = null;
        Matrix values;
        if (model instanceof SvmModel svm) {
            // one kernel pass serves labels, probabilities and decision values
            f = svm.decisionValues(x, progress);
            values = Matrix.column(svm.predictFromDecisions(f));
        } else if (model instanceof KernelRidgeModel krr) {
            values = krr.predict(x, progress);
        } else {
            values = model.predict(x);
        }
        Matrix std = null;
        if (wanted.contains(Output.STD)) {
            std = ((PredictiveVariance) model).predictiveVariance(x);
            double[] v = std.data();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.sqrt(v[i]);
            }
        }
        Matrix probabilities = null;
        if (wanted.contains(Output.PROBABILITIES)) {
            probabilities = model instanceof SvmModel svm ? svm.probabilitiesFromDecisions(f)
                    : ((Classifier) model).probabilities(x);
        }
        Matrix decisions = null;
        if (wanted.contains(Output.DECISION)) {
            decisions = f != null ? f : ((DecisionFunction) model).decisionValues(x);
        }
        requireNoNaN(values, Output.PREDICTION, x);
        requireNoNaN(std, Output.STD, x);
        requireNoNaN(probabilities, Output.PROBABILITIES, x);
        requireNoNaN(decisions, Output.DECISION, x);
        return new Predictions(values, std, probabilities, decisions);
    }

    /**
     * Refuses an output with a NaN in it: finite inputs far beyond what double precision can square (|x| near
     * 1e154 or more) overflow the kernel's distances — and, through the block's shared centring, can spoil the
     * other rows of the batch too — so the message names the input row with the largest value.
     */
    private static void requireNoNaN(Matrix m, Output o, Matrix x) {
        if (m == null) {
            return;
        }
        int cols = m.cols();
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            if (Double.isNaN(d[k])) {
                int worst = 0;
                double largest = -1;
                double[] xd = x.data();
                for (int i = 0; i < xd.length; i++) {
                    if (Math.abs(xd[i]) > largest) {
                        largest = Math.abs(xd[i]);
                        worst = i / x.cols();
                    }
                }
                throw new Kernels4jException(String.format(java.util.Locale.ROOT,
                        "the model's %s is NaN (first at row %d): the input's largest value, |x| = %.3g in row %d, is "
                                + "too large for the kernel to evaluate in double precision; scale the inputs as the "
                                + "training data was scaled", o.key(), k / cols + 1, largest, worst + 1));
            }
        }
    }

    /**
     * The name of decision function {@code q} of {@code saved}'s model, class names as {@link SavedModel#label}: the
     * model's own {@link DecisionFunction#problemName} ("a vs b", "a vs rest", "-" for an SVM without classes), else
     * {@code q}.
     */
    public static String decisionName(SavedModel saved, int q) {
        return saved.model() instanceof DecisionFunction f ? f.problemName(q, saved::label) : String.valueOf(q);
    }

    /** The names of the model's {@code count} decision functions ({@link #decisionName}). */
    public static List<String> decisionNames(SavedModel saved, int count) {
        List<String> names = new ArrayList<>();
        for (int q = 0; q < count; q++) {
            names.add(decisionName(saved, q));
        }
        return names;
    }

    /** "prediction, std", for messages. */
    public static String keys(Set<Output> outputs) {
        StringBuilder b = new StringBuilder();
        for (Output o : outputs) {
            b.append(b.length() == 0 ? "" : ", ").append(o.key());
        }
        return b.toString();
    }
}
