package org.kernels4j.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Everything a model file stores about one model, independent of the file format: the model kind,
 * named fields (words, numbers, flags, number arrays) and named matrices. A model's
 * {@link ModelCodec} turns the model into a state and back; the archive layer
 * ({@code org.kernels4j.io.ModelFiles}) writes fields to {@code model.json} and matrices to
 * {@code .npy} files, and knows nothing of models.
 *
 * <p>The typed getters validate as they read and throw a {@link Kernels4jException} naming the
 * field, so a tampered or hand-edited file fails with one clear message before any of it is used.
 */
public final class ModelState {
    private final String kind;
    private final Map<String, Object> fields;
    private final Map<String, Matrix> arrays;

    private ModelState(String kind, Map<String, Object> fields, Map<String, Matrix> arrays) {
        this.kind = kind;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }

    /** A state read back from a file (the archive layer calls this). */
    public static ModelState of(String kind, Map<String, Object> fields, Map<String, Matrix> arrays) {
        return new ModelState(kind, fields, arrays);
    }

    /** A builder for a model of {@code kind}. */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** The model kind, e.g. {@code krr}, {@code gp}, {@code svm}. */
    public String kind() {
        return kind;
    }

    /** The fields in order (values are String, Double, Long, Boolean, double[] or List&lt;String&gt;). */
    public Map<String, Object> fields() {
        return fields;
    }

    /** The matrices in order. */
    public Map<String, Matrix> arrays() {
        return arrays;
    }

    /** Whether a field of this name is present. */
    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** Whether a matrix of this name is present. */
    public boolean hasArray(String name) {
        return arrays.containsKey(name);
    }

    /** A word field. */
    public String text(String field) {
        Object v = fields.get(field);
        if (!(v instanceof String s)) {
            throw bad(field, "must be text");
        }
        return s;
    }

    /** An optional word field (null when absent). */
    public String textOrNull(String field) {
        return has(field) ? text(field) : null;
    }

    /** A number field. */
    public double number(String field) {
        Object v = fields.get(field);
        if (!(v instanceof Number n)) {
            throw bad(field, "must be a number");
        }
        return n.doubleValue();
    }

    /** A number field that must be finite and &gt; 0 (or ≥ 0 when {@code zeroAllowed}). */
    public double positive(String field, boolean zeroAllowed) {
        double v = number(field);
        if (!(zeroAllowed ? v >= 0 : v > 0) || Double.isInfinite(v)) {
            throw bad(field, "must be a " + (zeroAllowed ? "non-negative" : "positive") + " finite number, got " + v);
        }
        return v;
    }

    /** An integer field within [lo, hi]. */
    public int integer(String field, int lo, int hi) {
        double v = number(field);
        if (v != Math.rint(v) || v < lo || v > hi) {
            throw bad(field, "must be an integer in [" + lo + ", " + hi + "], got " + v);
        }
        return (int) v;
    }

    /** A flag field. */
    public boolean flag(String field) {
        Object v = fields.get(field);
        if (!(v instanceof Boolean b)) {
            throw bad(field, "must be true or false");
        }
        return b;
    }

    /** A number-array field of the given length (any length when {@code length < 0}); finite values. */
    public double[] numbers(String field, int length) {
        Object v = fields.get(field);
        if (!(v instanceof double[] a)) {
            throw bad(field, "must be a list of numbers");
        }
        if (length >= 0 && a.length != length) {
            throw bad(field, "must list " + length + " numbers, got " + a.length);
        }
        for (double x : a) {
            if (!Double.isFinite(x)) {
                throw bad(field, "must hold finite numbers, got " + x);
            }
        }
        return a.clone();
    }

    /** A field naming one constant of {@code type}, case-insensitively. */
    public <E extends Enum<E>> E choice(String field, Class<E> type) {
        String s = text(field);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new Kernels4jException(field + " '" + s + "' is not one of " + java.util.Arrays.toString(
                type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT));
    }

    /** A kernel spec field, parsed. */
    public Kernel kernel(String field) {
        String spec = text(field); // its own message names the field
        try {
            return KernelSpec.parse(spec);
        } catch (Kernels4jException e) {
            throw new Kernels4jException(field + ": " + e.getMessage());
        }
    }

    /**
     * A matrix with finite values and the given shape; {@code rows} or {@code cols} &lt; 0 accept
     * any size.
     */
    public Matrix matrix(String name, int rows, int cols) {
        Matrix m = arrays.get(name);
        if (m == null) {
            throw new Kernels4jException("array '" + name + "' is missing");
        }
        if ((rows >= 0 && m.rows() != rows) || (cols >= 0 && m.cols() != cols)) {
            throw new Kernels4jException("array '" + name + "' has shape " + m.shape() + ", expected "
                    + (rows < 0 ? "any" : rows) + "x" + (cols < 0 ? "any" : cols));
        }
        m.requireFinite("array '" + name + "'");
        return m;
    }

    /** A matrix of any shape with finite values. */
    public Matrix matrix(String name) {
        return matrix(name, -1, -1);
    }

    private static Kernels4jException bad(String field, String problem) {
        return new Kernels4jException(field + " " + problem);
    }

    /** Collects fields and matrices in order. */
    public static final class Builder {
        private final String kind;
        private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        private final LinkedHashMap<String, Matrix> arrays = new LinkedHashMap<>();

        private Builder(String kind) {
            this.kind = kind;
        }

        /** Adds a word (skipped when null). */
        public Builder put(String field, String value) {
            if (value != null) {
                fields.put(field, value);
            }
            return this;
        }

        /** Adds a number. */
        public Builder put(String field, double value) {
            fields.put(field, value);
            return this;
        }

        /** Adds an integer. */
        public Builder put(String field, long value) {
            fields.put(field, value);
            return this;
        }

        /** Adds a flag. */
        public Builder put(String field, boolean value) {
            fields.put(field, value);
            return this;
        }

        /** Adds a number list (copied; skipped when null). */
        public Builder put(String field, double[] value) {
            if (value != null) {
                fields.put(field, value.clone());
            }
            return this;
        }

        /** Adds a list of words. */
        public Builder put(String field, List<String> value) {
            fields.put(field, List.copyOf(value));
            return this;
        }

        /** Adds a matrix (skipped when null; not copied: the state is written and dropped). */
        public Builder array(String name, Matrix value) {
            if (value != null) {
                arrays.put(name, value);
            }
            return this;
        }

        /** The state. */
        public ModelState build() {
            return new ModelState(kind, fields, arrays);
        }
    }
}
