package org.kernels4j.online;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code online-kernel}: the learner's options (type, kernel spec, budget, learning
 * rate, λ, ν), the feature count, the classes (classifiers), b, ρ or ε and the counts as fields; the buffer
 * and its coefficients as arrays. A model read back goes on learning with {@link OnlineKernelModel#partialFit}
 * exactly where it stopped.
 */
public final class OnlineKernelCodec extends ModelCodec<OnlineKernelModel> {
    /** The kind written into files. */
    public static final String KIND = "online-kernel";

    /** The codec (registered with ServiceLoader). */
    public OnlineKernelCodec() {
        super(KIND, OnlineKernelModel.class);
    }

    @Override
    public ModelState encode(OnlineKernelModel m) {
        OnlineKernelLearner l = m.learner();
        ModelState.Builder s = ModelState.builder(KIND)
                .put("type", l.type().name().toLowerCase(java.util.Locale.ROOT))
                .put("kernel", l.kernel().toSpec())
                .put("budget", l.budget())
                .put("learning_rate", l.learningRate())
                .put("lambda", l.lambda())
                .put("nu", l.nu())
                .put("features", m.features())
                .put("offset", m.offset())
                .put("margin", m.margin())
                .put("rows_seen", m.steps())
                .put("updates", m.updates());
        if (m.classes() != null) {
            s.put("classes", m.classes());
        }
        return s.array("buffer", m.buffer()).array("coefficients", Matrix.column(m.coefficients())).build();
    }

    @Override
    public OnlineKernelModel decode(ModelState s) {
        OnlineKernelLearner.Type type = s.choice("type", OnlineKernelLearner.Type.class);
        OnlineKernelLearner.Builder b = OnlineKernelLearner.builder(type, s.kernel("kernel"))
                .budget(s.integer("budget", 1, Integer.MAX_VALUE))
                .learningRate(s.positive("learning_rate", false))
                .lambda(s.positive("lambda", true))
                .nu(s.number("nu"));
        int features = s.integer("features", 1, Integer.MAX_VALUE);
        Matrix buffer = s.matrix("buffer", -1, features);
        Matrix coef = s.matrix("coefficients", buffer.rows(), 1);
        return new OnlineKernelModel(b.build(), features, s.has("classes") ? s.numbers("classes", 2) : null, buffer,
                coef.data(), s.number("offset"), s.positive("margin", true), (long) s.positive("rows_seen", true),
                (long) s.positive("updates", true));
    }
}
