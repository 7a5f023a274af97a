package org.kernels4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kernels4j.Kernels4jException;

/**
 * What a fit did, as named values in the order the learner recorded them: numbers (iterations,
 * objective, the chosen λ, Cholesky jitter…), words, number arrays, and lists of sub-reports (one
 * per binary problem of a multiclass SVM, one per restart of a hyperparameter search). Immutable;
 * every model has exactly one ({@link Model#report()}), so there is no second result type.
 */
public final class FitReport {
    /** A report with nothing in it. */
    public static final FitReport EMPTY = new FitReport(new LinkedHashMap<>());

    private final Map<String, Object> values;

    private FitReport(LinkedHashMap<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** A builder that keeps insertion order. */
    public static Builder builder() {
        return new Builder();
    }

    /** The names and values, in the order recorded (arrays are copies). */
    public Map<String, Object> values() {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v instanceof double[] a ? a.clone() : v));
        return Collections.unmodifiableMap(copy);
    }

    /** Whether a value of this name was recorded. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A recorded number. */
    public double number(String name) {
        Object v = require(name);
        if (!(v instanceof Number n)) {
            throw new Kernels4jException("fit report value '" + name + "' is not a number");
        }
        return n.doubleValue();
    }

    /** A recorded number, or {@code fallback} when it was not recorded. */
    public double number(String name, double fallback) {
        return has(name) ? number(name) : fallback;
    }

    /** A recorded flag. */
    public boolean flag(String name) {
        Object v = require(name);
        if (!(v instanceof Boolean b)) {
            throw new Kernels4jException("fit report value '" + name + "' is not a flag");
        }
        return b;
    }

    /** A recorded word. */
    public String text(String name) {
        return String.valueOf(require(name));
    }

    /** A recorded number array (a copy). */
    public double[] numbers(String name) {
        Object v = require(name);
        if (!(v instanceof double[] a)) {
            throw new Kernels4jException("fit report value '" + name + "' is not a number array");
        }
        return a.clone();
    }

    /** Recorded sub-reports. */
    @SuppressWarnings("unchecked")
    public List<FitReport> parts(String name) {
        Object v = require(name);
        if (!(v instanceof List<?>)) {
            throw new Kernels4jException("fit report value '" + name + "' is not a list of reports");
        }
        return (List<FitReport>) v;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new Kernels4jException("the fit report has no '" + name + "'; it has " + values.keySet());
        }
        return v;
    }

    /** One {@code name: value} line per scalar value; sub-reports indented below their name. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, "");
        return sb.toString();
    }

    private void append(StringBuilder sb, String indent) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            if (v instanceof List<?> parts) {
                sb.append(indent).append(e.getKey()).append(":\n");
                int i = 0;
                for (Object p : parts) {
                    sb.append(indent).append("  [").append(i++).append("]\n");
                    ((FitReport) p).append(sb, indent + "    ");
                }
            } else {
                sb.append(indent).append(e.getKey()).append(": ").append(format(v)).append('\n');
            }
        }
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.6g", d);
        }
        if (v instanceof double[] a) {
            return Arrays.toString(a);
        }
        return String.valueOf(v);
    }

    /** Collects values in order; names must be unique. */
    public static final class Builder {
        private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder put(String name, Object value) {
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("fit report value '" + name + "' recorded twice");
            }
            values.put(name, value);
            return this;
        }

        /** Records a number. */
        public Builder add(String name, double value) {
            return put(name, value);
        }

        /** Records a count. */
        public Builder add(String name, long value) {
            return put(name, value);
        }

        /** Records a flag. */
        public Builder add(String name, boolean value) {
            return put(name, value);
        }

        /** Records a word (ignored when null). */
        public Builder add(String name, String value) {
            return value == null ? this : put(name, value);
        }

        /** Records a number array (copied; ignored when null). */
        public Builder add(String name, double[] value) {
            return value == null ? this : put(name, value.clone());
        }

        /** Records sub-reports (copied). */
        public Builder add(String name, List<FitReport> parts) {
            return put(name, List.copyOf(new ArrayList<>(parts)));
        }

        /** Copies every value of another report (its names must not clash with these). */
        public Builder addAll(FitReport other) {
            other.values.forEach(this::put);
            return this;
        }

        /** The report. */
        public FitReport build() {
            return new FitReport(new LinkedHashMap<>(values));
        }
    }
}
