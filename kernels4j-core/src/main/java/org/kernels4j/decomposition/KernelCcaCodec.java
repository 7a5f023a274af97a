package org.kernels4j.decomposition;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code kcca}: both kernel specs, κ, the centring flag and the correlations as fields;
 * {@code train_x} (n×d), {@code train_y} (n×e), {@code alpha}, {@code beta} (n×k) and the kernel means
 * {@code means_x}, {@code means_y} (1×(n+1)) as arrays.
 */
public final class KernelCcaCodec extends ModelCodec<KernelCcaModel> {
    /** The kind written into files. */
    public static final String KIND = "kcca";

    /** The codec (registered with ServiceLoader). */
    public KernelCcaCodec() {
        super(KIND, KernelCcaModel.class);
    }

    @Override
    public ModelState encode(KernelCcaModel m) {
        double[] mx = m.firstKernelMeans();
        double[] my = m.secondKernelMeans();
        return ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("kernel2", m.secondKernel().toSpec())
                .put("options.kappa", m.kappa()).put("options.center", m.centered())
                .put("correlations", m.correlations())
                .array("train_x", m.firstInputs()).array("train_y", m.secondInputs())
                .array("alpha", m.firstCoefficients()).array("beta", m.secondCoefficients())
                .array("means_x", Matrix.wrap(1, mx.length, mx)).array("means_y", Matrix.wrap(1, my.length, my))
                .build();
    }

    @Override
    public KernelCcaModel decode(ModelState s) {
        double kappa = s.positive("options.kappa", false);
        double[] rho = s.numbers("correlations", -1);
        Matrix x = s.matrix("train_x");
        int n = x.rows();
        Matrix y = s.matrix("train_y", n, -1);
        return new KernelCcaModel(s.kernel("kernel"), s.kernel("kernel2"), x, y, s.matrix("alpha", n, rho.length),
                s.matrix("beta", n, rho.length), rho, s.matrix("means_x", 1, n + 1).data(),
                s.matrix("means_y", 1, n + 1).data(), s.flag("options.center"), kappa,
                FitReport.builder().add("kappa", kappa).add("correlations", rho).build());
    }
}
