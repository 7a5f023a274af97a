package org.kernels4j.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.kernels4j.Kernels4jException;

/**
 * Every registered {@link ModelCodec}, found with {@link ServiceLoader}: a codec registers itself
 * with one line in {@code META-INF/services/org.kernels4j.model.ModelCodec}, so this package
 * depends on no learner.
 */
public final class ModelCodecs {
    private static final Map<String, ModelCodec<?>> BY_KIND = new LinkedHashMap<>();

    static {
        for (ModelCodec<?> c : ServiceLoader.load(ModelCodec.class, ModelCodecs.class.getClassLoader())) {
            if (BY_KIND.put(c.kind(), c) != null) {
                throw new IllegalStateException("two model codecs for kind '" + c.kind() + "'");
            }
        }
    }

    private ModelCodecs() {
    }

    /** The kinds that can be read and written, in registration order. */
    public static List<String> kinds() {
        return new ArrayList<>(BY_KIND.keySet());
    }

    /** The codec for a kind. */
    public static ModelCodec<?> forKind(String kind) {
        ModelCodec<?> c = BY_KIND.get(kind);
        if (c == null) {
            throw new Kernels4jException("unknown model kind '" + kind + "' (this version reads "
                    + String.join(", ", BY_KIND.keySet()) + ")");
        }
        return c;
    }

    /** The state of a model, through the codec registered for its class. */
    public static ModelState encode(Model model) {
        return encodeWith(codecOf(model), model);
    }

    /** The kind a model is saved as. */
    public static String kindOf(Model model) {
        return codecOf(model).kind();
    }

    private static ModelCodec<?> codecOf(Model model) {
        for (ModelCodec<?> c : BY_KIND.values()) {
            if (c.type() == model.getClass()) {
                return c;
            }
        }
        throw new Kernels4jException("no model file format for " + model.getClass().getSimpleName());
    }

    private static <M extends Model> ModelState encodeWith(ModelCodec<M> codec, Model model) {
        return codec.encode(codec.type().cast(model));
    }

    /** The model a state describes, through the codec of its kind. */
    public static Model decode(ModelState state) {
        return forKind(state.kind()).decode(state);
    }
}
