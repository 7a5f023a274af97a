package org.kernels4j.model;

/**
 * Turns one kind of model into a {@link ModelState} and back. Each model kind has its codec beside
 * it, in its own package, registered in
 * {@code META-INF/services/org.kernels4j.model.ModelCodec} (see {@link ModelCodecs}); the
 * model-file layer only reads and writes states.
 *
 * @param <M> the model type
 */
public abstract class ModelCodec<M extends Model> {
    private final String kind;
    private final Class<M> type;

    /**
     * @param kind the kind written into files, e.g. {@code krr}
     * @param type the model class this codec writes (exactly; subclasses are not matched)
     */
    protected ModelCodec(String kind, Class<M> type) {
        this.kind = kind;
        this.type = type;
    }

    /** The kind written into files. */
    public final String kind() {
        return kind;
    }

    /** The model class this codec writes. */
    public final Class<M> type() {
        return type;
    }

    /** The model's state: every field and matrix that {@link #decode} needs. */
    public abstract ModelState encode(M model);

    /**
     * Rebuilds the model from a state read from a file, validating every field and shape before
     * use.
     *
     * @throws org.kernels4j.Kernels4jException naming the field when the state is invalid
     */
    public abstract M decode(ModelState state);
}
