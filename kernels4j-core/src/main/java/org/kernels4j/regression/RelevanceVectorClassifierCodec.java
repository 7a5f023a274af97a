package org.kernels4j.regression;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code rvm-classifier}: the kernel spec and class labels as fields; {@code vectors} (m×d),
 * {@code rows} (m×1) and {@code weights} (m×P) as arrays.
 */
public final class RelevanceVectorClassifierCodec extends ModelCodec<RelevanceVectorClassifierModel> {
    /** The kind written into files. */
    public static final String KIND = "rvm-classifier";

    /** The codec (registered with ServiceLoader). */
    public RelevanceVectorClassifierCodec() {
        super(KIND, RelevanceVectorClassifierModel.class);
    }

    @Override
    public ModelState encode(RelevanceVectorClassifierModel m) {
        return ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("classes", m.classes())
                .array("vectors", m.relevanceVectors()).array("rows", RelevanceVectorCodec.rows(m.relevanceRows()))
                .array("weights", m.weights()).build();
    }

    @Override
    public RelevanceVectorClassifierModel decode(ModelState s) {
        double[] classes = s.numbers("classes", -1);
        Matrix v = s.matrix("vectors");
        int m = v.rows();
        return new RelevanceVectorClassifierModel(s.kernel("kernel"), v,
                RelevanceVectorCodec.rows(s.matrix("rows", m, 1)), s.matrix("weights", m, -1), classes,
                FitReport.builder().add("type", "classification").add("relevance_vectors", (long) m).build());
    }
}
