package org.kernels4j.regression;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code krr}: the kernel spec and λ as fields; the training inputs
 * {@code train_x} (n×d), the dual coefficients {@code dual_coef} (n×k) and {@code intercept} (1×k)
 * as arrays. The same layout also holds the mean of a Nyström fit (whose "training inputs" are its
 * m centres).
 */
public final class KernelRidgeCodec extends ModelCodec<KernelRidgeModel> {
    /** The kind written into files. */
    public static final String KIND = "krr";

    /** The codec (registered with ServiceLoader). */
    public KernelRidgeCodec() {
        super(KIND, KernelRidgeModel.class);
    }

    @Override
    public ModelState encode(KernelRidgeModel m) {
        ModelState.Builder s = ModelState.builder(KIND)
                .put("kernel", m.kernel().toSpec())
                .put("options.lambda", m.lambda());
        if (m.report().has("filter")) {
            s.put("options.filter", m.report().text("filter"));
        }
        if (m.path() != null) {
            s.put("options.lambda_selection", m.path().criterion().name().toLowerCase(java.util.Locale.ROOT));
        }
        return s.array("train_x", m.trainingInputs())
                .array("dual_coef", m.dualCoefficients())
                .array("intercept", Matrix.wrap(1, m.outputs(), m.intercept()))
                .build();
    }

    @Override
    public KernelRidgeModel decode(ModelState s) {
        // a filter's parameter may be 0 (self-distillation rounds); ridge's λ may not
        double lambda = s.positive("options.lambda", s.textOrNull("options.filter") != null);
        Matrix x = s.matrix("train_x");
        Matrix alpha = s.matrix("dual_coef", x.rows(), -1);
        Matrix intercept = s.matrix("intercept", 1, alpha.cols());
        FitReport.Builder r = FitReport.builder().add("lambda", lambda);
        r.add("lambda_selection", s.textOrNull("options.lambda_selection"));
        String filter = s.textOrNull("options.filter");
        if (filter != null) {
            r.add("filter", filter);
        }
        return new KernelRidgeModel(s.kernel("kernel"), x, alpha, intercept.data(), lambda, null, r.build());
    }
}
