package org.kernels4j.svm;

import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code svm}: the type, the kernel spec (or {@code precomputed}), the number
 * of training rows and, for classifiers, the classes and the multiclass scheme as fields; the
 * support vectors (absent for a precomputed kernel), their training-row indices, the dual
 * coefficients, the thresholds ρ and the Platt sigmoids (when fitted) as arrays.
 */
public final class SvmCodec extends ModelCodec<SvmModel> {
    /** The kind written into files. */
    public static final String KIND = "svm";

    /** The codec (registered with ServiceLoader). */
    public SvmCodec() {
        super(KIND, SvmModel.class);
    }

    @Override
    public ModelState encode(SvmModel m) {
        int[] idx = m.supportIndices();
        double[] idxd = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            idxd[i] = idx[i];
        }
        ModelState.Builder s = ModelState.builder(KIND)
                .put("type", m.type().name().toLowerCase(java.util.Locale.ROOT))
                .put("kernel", m.isPrecomputed() ? "precomputed" : m.kernel().toSpec())
                .put("training_rows", m.trainingRows());
        if (m.classes() != null) {
            s.put("classes", m.classes()).put("multiclass", m.multiclass().name().toLowerCase(java.util.Locale.ROOT));
        }
        return s.array("support_vectors", m.isPrecomputed() ? null : m.supportVectors())
                .array("support_indices", Matrix.column(idxd))
                .array("coefficients", m.coefficients())
                .array("rho", Matrix.wrap(1, m.rho().length, m.rho()))
                .array("sigmoid", m.hasProbabilities() ? Matrix.of(m.sigmoids()) : null)
                .build();
    }

    @Override
    public SvmModel decode(ModelState s) {
        SvmModel.Type type = s.choice("type", SvmModel.Type.class);
        Kernel kernel = "precomputed".equals(s.text("kernel")) ? null : s.kernel("kernel");
        int trainingRows = s.integer("training_rows", 1, Integer.MAX_VALUE);
        double[] classes = null;
        SvmModel.Multiclass multiclass = null;
        if (s.has("classes")) {
            classes = s.numbers("classes", -1);
            multiclass = s.choice("multiclass", SvmModel.Multiclass.class);
        }
        Matrix sv = kernel == null ? null : s.matrix("support_vectors");
        Matrix idx = s.matrix("support_indices", -1, 1);
        int[] indices = new int[idx.rows()];
        for (int i = 0; i < indices.length; i++) {
            double v = idx.get(i, 0);
            if (v != Math.rint(v) || v < 0 || v >= trainingRows) {
                throw new Kernels4jException("support index " + v + " is not a row number below " + trainingRows);
            }
            indices[i] = (int) v;
        }
        Matrix rho = s.matrix("rho", 1, -1);
        double[][] sigmoid = null;
        if (s.hasArray("sigmoid")) {
            Matrix m = s.matrix("sigmoid");
            sigmoid = new double[m.rows()][];
            for (int i = 0; i < m.rows(); i++) {
                sigmoid[i] = m.row(i);
            }
        }
        return new SvmModel(type, kernel, sv, indices, trainingRows, s.matrix("coefficients"), rho.data(), classes,
                multiclass, sigmoid);
    }
}
