package org.kernels4j.svm;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code lssvm}: the kernel spec, γ and (for a classifier) the class labels as fields;
 * {@code train_x} (n×d), {@code dual_coef} (n×P) and {@code bias} (1×P) as arrays.
 */
public final class LeastSquaresSvmCodec extends ModelCodec<LeastSquaresSvmModel> {
    /** The kind written into files. */
    public static final String KIND = "lssvm";

    /** The codec (registered with ServiceLoader). */
    public LeastSquaresSvmCodec() {
        super(KIND, LeastSquaresSvmModel.class);
    }

    @Override
    public ModelState encode(LeastSquaresSvmModel m) {
        Matrix alpha = m.dualCoefficients();
        return ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("options.gamma", m.gamma())
                .put("classes", m.classes())
                .array("train_x", m.trainingInputs()).array("dual_coef", alpha)
                .array("bias", Matrix.wrap(1, alpha.cols(), m.bias())).build();
    }

    @Override
    public LeastSquaresSvmModel decode(ModelState s) {
        double gamma = s.positive("options.gamma", false);
        Matrix x = s.matrix("train_x");
        Matrix alpha = s.matrix("dual_coef", x.rows(), -1);
        Matrix bias = s.matrix("bias", 1, alpha.cols());
        double[] classes = s.has("classes") ? s.numbers("classes", -1) : null;
        FitReport r = FitReport.builder().add("type", classes == null ? "regression" : "classification")
                .add("gamma", gamma).build();
        return new LeastSquaresSvmModel(s.kernel("kernel"), x, alpha, bias.data(), classes, gamma, r);
    }
}
