package org.kernels4j.svm;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code kqr}: the kernel spec, C and the levels τ as fields; {@code support_x} (n_SV×d),
 * {@code coef} (n_SV×T) and {@code intercept} (1×T) as arrays.
 */
public final class KernelQuantileRegressionCodec extends ModelCodec<KernelQuantileRegressionModel> {
    /** The kind written into files. */
    public static final String KIND = "kqr";

    /** The codec (registered with ServiceLoader). */
    public KernelQuantileRegressionCodec() {
        super(KIND, KernelQuantileRegressionModel.class);
    }

    @Override
    public ModelState encode(KernelQuantileRegressionModel m) {
        return ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("options.c", m.c())
                .put("quantiles", m.quantiles())
                .array("support_x", m.supportInputs()).array("coef", m.coefficients())
                .array("intercept", Matrix.wrap(1, m.quantiles().length, m.intercepts())).build();
    }

    @Override
    public KernelQuantileRegressionModel decode(ModelState s) {
        double c = s.positive("options.c", false);
        double[] taus = s.numbers("quantiles", -1);
        Matrix x = s.matrix("support_x");
        Matrix coef = s.matrix("coef", x.rows(), taus.length);
        Matrix intercept = s.matrix("intercept", 1, taus.length);
        return new KernelQuantileRegressionModel(s.kernel("kernel"), x, coef, intercept.data(), taus, c,
                FitReport.builder().add("c", c).add("quantiles", taus).build());
    }
}
