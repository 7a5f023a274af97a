package org.kernels4j.gp;

import java.util.List;
import java.util.Map;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code bayesian-gp}: the prior kernel spec, {@code options.noise},
 * {@code options.normalize}, the free hyperparameters' names ({@code parameters}) and the fit
 * report's numbers and words as {@code report.*} fields; arrays {@code train_x} (n×d),
 * {@code train_y} (n×k), {@code member_theta} (S×P, every hyperparameter θ of each mixture member)
 * and {@code log_draws} (all posterior draws of the free log θ). Loading refits the S member
 * Gaussian processes from these (O(S·n³)), which reproduces the saved predictions exactly.
 */
public final class BayesianGaussianProcessCodec extends ModelCodec<BayesianGaussianProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "bayesian-gp";

    /** The codec (registered with ServiceLoader). */
    public BayesianGaussianProcessCodec() {
        super(KIND, BayesianGaussianProcessModel.class);
    }

    @Override
    public ModelState encode(BayesianGaussianProcessModel m) {
        ModelState.Builder s = ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("options.noise", m.noise())
                .put("options.normalize", m.normalizesTargets()).put("parameters", m.parameterNames());
        for (Map.Entry<String, Object> e : m.report().values().entrySet()) {
            String name = "report." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Double d && Double.isFinite(d)) {
                s.put(name, d);
            } else if (v instanceof Long l) {
                s.put(name, l);
            } else if (v instanceof Integer i) {
                s.put(name, (long) i);
            } else if (v instanceof String t) {
                s.put(name, t);
            } else if (v instanceof double[] a && java.util.Arrays.stream(a).allMatch(Double::isFinite)) {
                s.put(name, a);
            }
        }
        return s.array("train_x", m.trainingInputs()).array("train_y", m.trainingTargets())
                .array("member_theta", m.memberHyperparameters()).array("log_draws", m.logDraws()).build();
    }

    @Override
    public BayesianGaussianProcessModel decode(ModelState s) {
        Kernel kernel = s.kernel("kernel");
        double noise = s.positive("options.noise", true);
        boolean normalize = s.flag("options.normalize");
        Matrix x = s.matrix("train_x");
        Matrix y = s.matrix("train_y", x.rows(), -1);
        Matrix thetas = s.matrix("member_theta", -1, kernel.hyperparameters().size());
        Object names = s.fields().get("parameters");
        if (!(names instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new org.kernels4j.Kernels4jException("field 'parameters' must be a list of hyperparameter names");
        }
        List<String> parameters = list.stream().map(String.class::cast).toList();
        Matrix draws = s.matrix("log_draws", -1, parameters.size());
        FitReport.Builder r = FitReport.builder();
        for (Map.Entry<String, Object> e : s.fields().entrySet()) {
            if (!e.getKey().startsWith("report.")) {
                continue;
            }
            String name = e.getKey().substring("report.".length());
            Object v = e.getValue();
            if (v instanceof Double d) {
                r.add(name, d);
            } else if (v instanceof Long l) {
                r.add(name, l);
            } else if (v instanceof String t) {
                r.add(name, t);
            } else if (v instanceof double[] a) {
                r.add(name, a);
            }
        }
        List<GaussianProcessModel> members = BayesianGaussianProcessModel.members(kernel, noise, normalize, x, y, thetas);
        return new BayesianGaussianProcessModel(kernel, noise, normalize, x, y, thetas, members, parameters, draws,
                r.build());
    }
}
