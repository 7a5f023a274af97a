package org.kernels4j.decomposition;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code kpca}. Fields: {@code kernel} (spec; absent for a precomputed model, which
 * has {@code options.precomputed = true}), {@code options.solver}, {@code options.centred},
 * {@code options.grand_mean} (ḡ), {@code options.total_variance} (tr K̃) and, with an inverse map,
 * {@code inverse_kernel} and {@code options.alpha}. Arrays: {@code basis} (p×d: training rows or
 * landmarks; absent when precomputed), {@code coefficients} (p×k), {@code eigenvalues} (1×k),
 * {@code offset} (1×k), {@code kernel_row_means} (1×p, kernel-centred models only),
 * {@code training_projections} (n×k) and {@code inverse_dual_coef} (n×d, with an inverse map).
 */
public final class KernelPcaCodec extends ModelCodec<KernelPcaModel> {
    /** The kind written into files. */
    public static final String KIND = "kpca";

    /** The codec (registered with ServiceLoader). */
    public KernelPcaCodec() {
        super(KIND, KernelPcaModel.class);
    }

    @Override
    public ModelState encode(KernelPcaModel m) {
        ModelState.Builder s = ModelState.builder(KIND);
        if (m.precomputed()) {
            s.put("options.precomputed", true);
        } else {
            s.put("kernel", m.kernel().toSpec());
        }
        s.put("options.solver", m.solver()).put("options.centred", m.centred())
                .put("options.grand_mean", m.grandMean()).put("options.total_variance", m.totalVariance());
        KernelPcaModel.Inverse inv = m.inverse();
        if (inv != null) {
            s.put("inverse_kernel", inv.kernel().toSpec()).put("options.alpha", inv.alpha());
        }
        double[] means = m.rowMeans();
        return s.array("basis", m.basis())
                .array("coefficients", m.coefficients())
                .array("eigenvalues", Matrix.wrap(1, m.components(), m.eigenvalues()))
                .array("offset", Matrix.wrap(1, m.components(), m.offset()))
                .array("kernel_row_means", means == null ? null : Matrix.wrap(1, means.length, means))
                .array("training_projections", m.trainingProjections())
                .array("inverse_dual_coef", inv == null ? null : inv.dual())
                .build();
    }

    @Override
    public KernelPcaModel decode(ModelState s) {
        boolean precomputed = s.has("options.precomputed") && s.flag("options.precomputed");
        String solver = s.text("options.solver");
        boolean centred = s.flag("options.centred");
        double grand = s.number("options.grand_mean");
        if (!Double.isFinite(grand)) {
            throw new Kernels4jException("options.grand_mean must be a finite number, got " + grand);
        }
        double total = s.positive("options.total_variance", true);
        Matrix coef = s.matrix("coefficients");
        int p = coef.rows();
        int k = coef.cols();
        Matrix basis = precomputed ? null : s.matrix("basis", p, -1);
        double[] lam = s.matrix("eigenvalues", 1, k).data();
        for (int j = 0; j < k; j++) {
            if (lam[j] < 0 || (j > 0 && lam[j] > lam[j - 1])) {
                throw new Kernels4jException("array 'eigenvalues' must be non-negative and descending");
            }
        }
        double[] offset = s.matrix("offset", 1, k).data();
        double[] means = s.hasArray("kernel_row_means") ? s.matrix("kernel_row_means", 1, p).data() : null;
        if (centred && means == null && precomputed) {
            throw new Kernels4jException("array 'kernel_row_means' is missing");
        }
        Matrix proj = s.matrix("training_projections", precomputed ? p : -1, k);
        KernelPcaModel.Inverse inv = null;
        if (s.has("inverse_kernel")) {
            double alpha = s.positive("options.alpha", false);
            inv = new KernelPcaModel.Inverse(s.kernel("inverse_kernel"), alpha,
                    s.matrix("inverse_dual_coef", proj.rows(), -1));
        }
        FitReport report = FitReport.builder().add("solver", solver).add("components", (long) k)
                .add("centred_trace", total).build();
        return new KernelPcaModel(precomputed ? null : s.kernel("kernel"), basis, coef, means, grand, offset, lam,
                total, proj, inv, solver, centred, report);
    }
}
