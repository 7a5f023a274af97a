package org.kernels4j.regression;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code rvm} (regression): the kernel spec and noise variance as fields; {@code vectors}
 * (m×d), {@code rows} (m×1, training rows), {@code mean} (m×1) and {@code covariance} (m×m) as arrays.
 */
public final class RelevanceVectorCodec extends ModelCodec<RelevanceVectorModel> {
    /** The kind written into files. */
    public static final String KIND = "rvm";

    /** The codec (registered with ServiceLoader). */
    public RelevanceVectorCodec() {
        super(KIND, RelevanceVectorModel.class);
    }

    @Override
    public ModelState encode(RelevanceVectorModel m) {
        return ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("noise_variance", m.noiseVariance())
                .array("vectors", m.relevanceVectors()).array("rows", rows(m.relevanceRows()))
                .array("mean", m.weights()).array("covariance", m.covariance()).build();
    }

    @Override
    public RelevanceVectorModel decode(ModelState s) {
        double noise = s.positive("noise_variance", true);
        Matrix v = s.matrix("vectors");
        int m = v.rows();
        return new RelevanceVectorModel(s.kernel("kernel"), v, rows(s.matrix("rows", m, 1)), s.matrix("mean", m, 1),
                s.matrix("covariance", m, m), noise, FitReport.builder().add("type", "regression")
                .add("relevance_vectors", (long) m).add("noise_variance", noise).build());
    }

    static Matrix rows(int[] rows) {
        Matrix r = new Matrix(rows.length, 1);
        for (int i = 0; i < rows.length; i++) {
            r.set(i, 0, rows[i]);
        }
        return r;
    }

    static int[] rows(Matrix r) {
        int[] out = new int[r.rows()];
        for (int i = 0; i < out.length; i++) {
            double v = r.get(i, 0);
            if (v != Math.rint(v) || v < 0) {
                throw new org.kernels4j.Kernels4jException("array 'rows' must hold row numbers >= 0, got " + v);
            }
            out[i] = (int) v;
        }
        return out;
    }
}
