package org.kernels4j.model;

/**
 * Turns one kind of model into a {@link ModelState} and back. Each model kind has its codec beside
 * it, in its own package, and registers it in {@link ModelCodecs}; the model-file layer only
 * reads and writes states.
 *
 * @param <M> the model type
 */
public interface ModelCodec<M extends Model> {

    /** The kind written into files, e.g. {@code krr}. */
    String kind();

    /** The model class this codec writes (exactly; subclasses are not matched). */
    Class<M> type();

    /** The model's state: every field and matrix that {@link #decode} needs. */
    ModelState encode(M model);

    /**
     * Rebuilds the model from a state read from a file, validating every field and shape before
     * use.
     *
     * @throws org.kernels4j.Kernels4jException naming the field when the state is invalid
     */
    M decode(ModelState state);
}
