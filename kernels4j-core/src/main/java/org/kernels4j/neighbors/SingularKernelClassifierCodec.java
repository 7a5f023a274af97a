package org.kernels4j.neighbors;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code singular-kernel}: field {@code alpha} (a number, or the text
 * {@code inf} for 1-nearest neighbour) and {@code classes}; arrays {@code points} (n×d) and
 * {@code labels} (n×1).
 */
public final class SingularKernelClassifierCodec extends ModelCodec<SingularKernelClassifierModel> {
    /** The kind written into files. */
    public static final String KIND = "singular-kernel";

    /** The codec (registered with ServiceLoader). */
    public SingularKernelClassifierCodec() {
        super(KIND, SingularKernelClassifierModel.class);
    }

    @Override
    public ModelState encode(SingularKernelClassifierModel m) {
        ModelState.Builder s = ModelState.builder(KIND).put("classes", m.classes());
        if (Double.isInfinite(m.alpha())) {
            s.put("alpha", "inf");
        } else {
            s.put("alpha", m.alpha());
        }
        return s.array("points", m.points()).array("labels", m.labels()).build();
    }

    @Override
    public SingularKernelClassifierModel decode(ModelState s) {
        double alpha = s.fields().get("alpha") instanceof String t && t.equals("inf") ? Double.POSITIVE_INFINITY
                : s.positive("alpha", true);
        double[] classes = s.numbers("classes", -1);
        Matrix points = s.matrix("points");
        Matrix labels = s.matrix("labels", points.rows(), 1);
        for (int i = 1; i < classes.length; i++) {
            if (!(classes[i] > classes[i - 1])) {
                throw new Kernels4jException("field 'classes' must be strictly increasing");
            }
        }
        return new SingularKernelClassifierModel(points, labels, classes, alpha);
    }
}
