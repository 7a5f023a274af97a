package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.neural.ArcCosineKernel;
import org.kernels4j.kernel.neural.NeuralKernel;

/**
 * The registry of kernel types: the one list that the spec parser, the {@code kernels} command and
 * the kernel contract tests read.
 *
 * <p>Each kernel class owns its declaration, a {@link Type} (conventionally a {@code TYPE}
 * constant beside the class) whose {@link Param}s state each parameter once: its name, default,
 * valid range, whether it is a learnable positive hyperparameter θ, and a one-line description.
 * The same declaration parses the parameters ({@link KernelSpec.Args}), validates them in the
 * kernel's constructor ({@link Param#check(String, double)}), prints the kernel back
 * ({@link Type#spec}) and names its hyperparameters ({@link Param#hyperparameter}).
 *
 * <p>Adding a kernel: write the class with its {@code TYPE} (parameters, formula, a factory from
 * parsed arguments, and example specs for the contract tests), then add that {@code TYPE} to the
 * list below. Nothing else needs a change: parsing, the listing and the contract tests pick it up.
 */
public final class KernelCatalog {

    /**
     * One parameter of a kernel type, declared once. Immutable; the factories below build the
     * usual kinds, and {@link #perFeature()} / {@link #fixed()} adjust one.
     */
    public static final class Param {
        /** What a spec may write for the parameter. */
        enum Kind {
            /** A number. */
            NUMBER,
            /** A number, or a list of numbers (one per feature). */
            NUMBERS,
            /**
             * A number (for every component), a list of numbers (one per component) or a list of
             * number lists (one list per component, one number per feature).
             */
            NUMBER_ROWS,
            /** An integer. */
            INTEGER,
            /** One of a fixed set of words; with {@code quoted}, also a double-quoted string. */
            WORD,
            /** A list of names such as {@code [Z, ZZ]}. */
            WORD_LIST
        }

        /** The range a number must lie in. */
        enum Bound {
            ANY, POSITIVE, NON_NEGATIVE
        }

        private final String name;
        private final Kind kind;
        private final Object defaultValue;
        private final String description;
        private final Bound bound;
        private final double[] choices;
        private final int min;
        private final int max;
        private final List<String> words;
        private final boolean quoted;
        private final boolean learnable;
        private final boolean lists;

        private Param(String name, Kind kind, Object defaultValue, String description, Bound bound, double[] choices,
                int min, int max, List<String> words, boolean quoted, boolean learnable) {
            this(name, kind, defaultValue, description, bound, choices, min, max, words, quoted, learnable, false);
        }

        private Param(String name, Kind kind, Object defaultValue, String description, Bound bound, double[] choices,
                int min, int max, List<String> words, boolean quoted, boolean learnable, boolean lists) {
            this.lists = lists;
            this.name = Objects.requireNonNull(name, "name");
            this.kind = kind;
            this.defaultValue = defaultValue;
            this.description = Objects.requireNonNull(description, "description");
            this.bound = bound;
            this.choices = choices;
            this.min = min;
            this.max = max;
            this.words = words;
            this.quoted = quoted;
            this.learnable = learnable;
        }

        /** A positive finite number θ &gt; 0 that learners may tune in log space. */
        public static Param positive(String name, double defaultValue, String description) {
            return new Param(name, Kind.NUMBER, defaultValue, description, Bound.POSITIVE, null, 0, 0, null, false,
                    true);
        }

        /** Like {@link #positive} but with no default (the factory decides what its absence means). */
        public static Param positive(String name, String description) {
            return new Param(name, Kind.NUMBER, null, description, Bound.POSITIVE, null, 0, 0, null, false, true);
        }

        /**
         * A finite number ≥ 0; learnable, and the kernel lists it as a hyperparameter only while it is
         * positive (log space cannot hold a zero).
         */
        public static Param nonNegative(String name, double defaultValue, String description) {
            return new Param(name, Kind.NUMBER, defaultValue, description, Bound.NON_NEGATIVE, null, 0, 0, null, false,
                    true);
        }

        /** Any number (validated by the kernel), not a hyperparameter. */
        public static Param number(String name, double defaultValue, String description) {
            return new Param(name, Kind.NUMBER, defaultValue, description, Bound.ANY, null, 0, 0, null, false, false);
        }

        /** One of the listed numbers, e.g. a Matérn smoothness; not a hyperparameter. */
        public static Param choice(String name, double defaultValue, String description, double... allowed) {
            return new Param(name, Kind.NUMBER, defaultValue, description, Bound.ANY, allowed.clone(), 0, 0, null,
                    false, false);
        }

        /** An integer in [min, max] ({@link Integer#MAX_VALUE} for no upper limit); not a hyperparameter. */
        public static Param integer(String name, Integer defaultValue, int min, int max, String description) {
            return new Param(name, Kind.INTEGER, defaultValue, description, Bound.ANY, null, min, max, null, false,
                    false);
        }

        /** One of the listed words (compared case-insensitively); not a hyperparameter. */
        public static Param word(String name, String defaultValue, String description, List<String> allowed) {
            return new Param(name, Kind.WORD, defaultValue, description, Bound.ANY, null, 0, 0, List.copyOf(allowed),
                    false, false);
        }

        /** A list of names such as {@code [Z, ZZ]} (checked by the kernel); not a hyperparameter. */
        public static Param wordList(String name, List<String> defaultValue, String description) {
            return new Param(name, Kind.WORD_LIST, List.copyOf(defaultValue), description, Bound.ANY, null, 0, 0, null,
                    false, false);
        }

        /**
         * This word parameter, also accepting a list of non-negative integer lists such as
         * {@code [[0, 1], [1, 2]]} (read with {@link KernelSpec.Args#integerLists}).
         */
        public Param orIntegerLists() {
            requireKind(Kind.WORD);
            return new Param(name, kind, defaultValue, description, bound, choices, min, max, words, quoted, learnable,
                    true);
        }

        boolean acceptsLists() {
            return lists;
        }

        /** This number parameter, also accepting a list {@code [v1, …, vd]} of one value per feature. */
        public Param perFeature() {
            requireKind(Kind.NUMBER);
            return new Param(name, Kind.NUMBERS, defaultValue, description, bound, choices, min, max, words, quoted,
                    learnable, lists);
        }

        /**
         * This number parameter as one value per mixture component: a number (the same for every
         * component), a list {@code [v1, …, vQ]} (one per component, shared by all features) or a list of
         * lists {@code [[v11, …, v1d], …]} (one per component and feature); read with
         * {@link KernelSpec.Args#numberRows}.
         */
        public Param perComponent() {
            requireKind(Kind.NUMBER);
            return new Param(name, Kind.NUMBER_ROWS, defaultValue, description, bound, choices, min, max, words, quoted,
                    learnable, lists);
        }

        /** Whether one value per mixture component (and feature) is accepted ({@link #perComponent()}). */
        public boolean perComponentAllowed() {
            return kind == Kind.NUMBER_ROWS;
        }

        /** This word parameter, also accepting a double-quoted string (read with {@link KernelSpec.Args#quoted}). */
        public Param orQuoted() {
            requireKind(Kind.WORD);
            return new Param(name, kind, defaultValue, description, bound, choices, min, max, words, true, learnable, lists);
        }

        /** This parameter, but not a hyperparameter (learners leave it alone). */
        public Param fixed() {
            return new Param(name, kind, defaultValue, description, bound, choices, min, max, words, quoted, false, lists);
        }

        private void requireKind(Kind k) {
            if (kind != k) {
                throw new IllegalStateException(name + " is a " + kind + " parameter, not a " + k + " one");
            }
        }

        /** Parameter name as written in specs. */
        public String name() {
            return name;
        }

        /** Default as spec text ("1", "1.5", "l2", "[Z, ZZ]"), or null when there is none. */
        @SuppressWarnings("unchecked")
        public String defaultValue() {
            if (defaultValue == null) {
                return null;
            }
            if (defaultValue instanceof List) {
                return "[" + String.join(", ", (List<String>) defaultValue) + "]";
            }
            return defaultValue instanceof Double ? Specs.num((Double) defaultValue) : defaultValue.toString();
        }

        /** One-line description. */
        public String description() {
            return description;
        }

        /** Whether this is a positive parameter θ that learners may tune ({@link Hyperparameter}). */
        public boolean learnable() {
            return learnable;
        }

        /** Whether a list of one value per feature is accepted. */
        public boolean perFeatureAllowed() {
            return kind == Kind.NUMBERS;
        }

        /** The accepted words of a word parameter (empty otherwise). */
        public List<String> words() {
            return words == null ? List.of() : words;
        }

        Kind kind() {
            return kind;
        }

        Object typedDefault() {
            return defaultValue;
        }

        boolean acceptsQuoted() {
            return quoted;
        }

        /**
         * {@code value} if it lies in the declared range, else a {@link Kernels4jException} such as
         * "rbf: gamma must be a positive finite number, got -1" ({@code kernel} names the kernel).
         */
        public double check(String kernel, double value) {
            if (choices != null) {
                for (double c : choices) {
                    if (c == value) {
                        return value;
                    }
                }
                List<String> texts = new ArrayList<>();
                for (double c : choices) {
                    texts.add(Specs.num(c));
                }
                throw new Kernels4jException(kernel + ": " + name + " must be " + oneOf(texts) + ", got "
                        + Specs.num(value));
            }
            switch (bound) {
                case POSITIVE:
                    return Specs.positive(kernel, name, value);
                case NON_NEGATIVE:
                    return Specs.nonNegative(kernel, name, value);
                default:
                    return value;
            }
        }

        /** A copy of {@code values} if each lies in the declared range (and there is at least one). */
        public double[] check(String kernel, double[] values) {
            if (values.length == 0) {
                throw new Kernels4jException(kernel + ": " + name + " must not be an empty list");
            }
            for (double v : values) {
                check(kernel, v);
            }
            return values.clone();
        }

        /** {@code value} if it lies in [min, max], else a {@link Kernels4jException} naming the range. */
        public int check(String kernel, int value) {
            requireKind(Kind.INTEGER);
            if (value >= min && value <= max) {
                return value;
            }
            String range;
            if (max == Integer.MAX_VALUE) {
                range = min == 1 ? "a positive integer" : min == 0 ? "a non-negative integer" : "at least " + min;
            } else if ((long) max - min <= 3) {
                List<String> texts = new ArrayList<>();
                for (int v = min; v <= max; v++) {
                    texts.add(Integer.toString(v));
                }
                range = oneOf(texts);
            } else {
                range = "between " + min + " and " + max;
            }
            throw new Kernels4jException(kernel + ": " + name + " must be " + range + ", got " + value);
        }

        private static String oneOf(List<String> texts) {
            if (texts.size() == 1) {
                return texts.get(0);
            }
            return String.join(", ", texts.subList(0, texts.size() - 1)) + " or " + texts.get(texts.size() - 1);
        }

        /** The hyperparameter {@code <kernel>.<name>} with value θ, e.g. {@code rbf.gamma}. */
        public Hyperparameter hyperparameter(Type kernel, double value) {
            requireLearnable();
            return Hyperparameter.of(kernel.name() + "." + name, value);
        }

        /** The per-feature hyperparameters {@code <kernel>.<name>[f]} (no index for a single value). */
        public List<Hyperparameter> hyperparameters(Type kernel, double[] values) {
            requireLearnable();
            return Hyperparameter.vector(kernel.name() + "." + name, values);
        }

        private void requireLearnable() {
            if (!learnable) {
                throw new IllegalStateException(name + " is not declared as a learnable hyperparameter");
            }
        }

        @Override
        public String toString() {
            return name + (defaultValue == null ? "" : "=" + defaultValue());
        }
    }

    /** One kernel type: its spec name, aliases, formula, parameters, factory and examples. */
    public static final class Type {
        private final String name;
        private final List<String> aliases;
        private final String formula;
        private final List<Param> params;
        private final List<String> examples;
        private final Function<KernelSpec.Args, Kernel> factory;
        private final boolean positiveSemiDefinite;
        private final boolean nonNegativeInputs;
        private final String caveat;

        private Type(Builder b, Function<KernelSpec.Args, Kernel> factory) {
            this.name = b.name;
            this.aliases = List.copyOf(b.aliases);
            this.formula = b.formula;
            this.params = List.copyOf(b.params);
            this.examples = List.copyOf(b.examples);
            this.factory = Objects.requireNonNull(factory, "factory");
            this.positiveSemiDefinite = b.positiveSemiDefinite;
            this.nonNegativeInputs = b.nonNegativeInputs;
            this.caveat = b.caveat;
            List<String> seen = new ArrayList<>();
            for (Param p : params) {
                if (seen.contains(p.name())) {
                    throw new IllegalStateException(name + " declares parameter '" + p.name() + "' twice");
                }
                seen.add(p.name());
            }
        }

        /** Starts the declaration of a kernel type with its spec name and formula (plain text). */
        public static Builder builder(String name, String formula) {
            return new Builder(name, formula);
        }

        /** Collects a type's declaration; {@link #factory} completes it. */
        public static final class Builder {
            private final String name;
            private final String formula;
            private List<String> aliases = List.of();
            private List<Param> params = List.of();
            private List<String> examples = List.of();
            private boolean positiveSemiDefinite = true;
            private boolean nonNegativeInputs;
            private String caveat;

            private Builder(String name, String formula) {
                this.name = Objects.requireNonNull(name, "name");
                this.formula = Objects.requireNonNull(formula, "formula");
            }

            /** Other accepted names. */
            public Builder aliases(String... names) {
                this.aliases = List.of(names);
                return this;
            }

            /** The parameters, in spec order (the order {@link Type#spec} prints them in). */
            public Builder params(Param... ps) {
                this.params = List.of(ps);
                return this;
            }

            /** The parameters, in spec order. */
            public Builder params(List<Param> ps) {
                this.params = List.copyOf(ps);
                return this;
            }

            /**
             * Specs with non-default values, valid for data with 3 features, that the contract tests
             * check besides the defaults (e.g. per-feature length lists of length 3).
             */
            public Builder examples(String... specs) {
                this.examples = List.of(specs);
                return this;
            }

            /**
             * Declares that Gram matrices of this kernel may be indefinite (e.g. the sigmoid kernel);
             * {@code caveat} says when and what follows, and is printed by the {@code kernels} command.
             * The contract tests then skip the positive semi-definiteness check for it.
             */
            public Builder indefinite(String caveat) {
                this.positiveSemiDefinite = false;
                this.caveat = Objects.requireNonNull(caveat, "caveat");
                return this;
            }

            /**
             * Declares a condition on the data under which the kernel is positive semi-definite (or
             * defined at all), e.g. "PSD only for non-negative features"; printed by {@code kernels}.
             */
            public Builder caveat(String text) {
                this.caveat = Objects.requireNonNull(text, "caveat");
                return this;
            }

            /**
             * Declares that the kernel is meant for non-negative features (histograms, counts): it
             * either rejects negative values or is positive semi-definite only without them. The
             * contract tests feed it |x|.
             */
            public Builder nonNegativeInputs() {
                this.nonNegativeInputs = true;
                return this;
            }

            /** The finished type, building kernels from parsed arguments with {@code f}. */
            public Type factory(Function<KernelSpec.Args, Kernel> f) {
                return new Type(this, f);
            }
        }

        /** Spec name. */
        public String name() {
            return name;
        }

        /** Other accepted names. */
        public List<String> aliases() {
            return aliases;
        }

        /** The formula, in plain text. */
        public String formula() {
            return formula;
        }

        /** Parameters in spec order. */
        public List<Param> params() {
            return params;
        }

        /** The declared parameter of that name, or null. */
        public Param param(String paramName) {
            for (Param p : params) {
                if (p.name().equals(paramName)) {
                    return p;
                }
            }
            return null;
        }

        /** Example specs with non-default values for 3-feature data; the defaults are {@code name()}. */
        public List<String> examples() {
            return examples;
        }

        /**
         * Whether every Gram matrix of this kernel is positive semi-definite (on the inputs it
         * accepts, see {@link #caveat()}); false for kernels such as {@code sigmoid}, whose Gram
         * matrices can have negative eigenvalues. Learners that factor K by Cholesky (Gaussian
         * processes, kernel ridge) then fail on such data with a {@code NotPositiveDefiniteException};
         * the SVM accepts indefinite kernels as LIBSVM does.
         */
        public boolean positiveSemiDefinite() {
            return positiveSemiDefinite;
        }

        /** Whether the kernel is meant for non-negative features only (see {@code Builder.nonNegativeInputs}). */
        public boolean nonNegativeInputs() {
            return nonNegativeInputs;
        }

        /** When the kernel is not PSD or not defined, in one line; null for kernels with no such condition. */
        public String caveat() {
            return caveat;
        }

        Kernel create(KernelSpec.Args args) {
            return factory.apply(args);
        }

        /**
         * The spec {@code name(p1=v1, p2=v2, …)} with one value per declared parameter, in declaration
         * order; a null value leaves its parameter out. Values print as spec text: a {@link Double}
         * by {@link Specs#num}, a {@code double[]} as a list (a single entry as a number), a
         * {@code double[][]} as a list of lists (a flat list when every row has one entry), an
         * {@link Integer} or a {@link String} as is (a quoted string must carry its quotes).
         */
        public String spec(Object... values) {
            if (values.length != params.size()) {
                throw new IllegalStateException(name + " has " + params.size() + " parameters, got " + values.length
                        + " values to print");
            }
            StringBuilder sb = new StringBuilder(name).append('(');
            boolean first = true;
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    continue;
                }
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(params.get(i).name()).append('=').append(text(v));
            }
            return sb.append(')').toString();
        }

        private static String text(Object v) {
            if (v instanceof Double) {
                return Specs.num((Double) v);
            }
            if (v instanceof double[]) {
                double[] a = (double[]) v;
                return a.length == 1 ? Specs.num(a[0]) : Specs.nums(a);
            }
            if (v instanceof double[][]) {
                double[][] rows = (double[][]) v;
                boolean flat = true;
                for (double[] r : rows) {
                    flat &= r.length == 1;
                }
                if (flat) {
                    double[] a = new double[rows.length];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = rows[i][0];
                    }
                    return text(a);
                }
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < rows.length; i++) {
                    sb.append(i > 0 ? ", " : "").append(Specs.nums(rows[i]));
                }
                return sb.append(']').toString();
            }
            return v.toString();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, Type> BY_NAME = new LinkedHashMap<>();
    private static final List<Type> TYPES = new ArrayList<>();

    static {
        // the registry: a new kernel type is one more entry here (documentation order)
        for (Type t : List.of(LinearKernel.TYPE, PolynomialKernel.TYPE, CosineKernel.TYPE, RbfKernel.TYPE,
                LaplacianKernel.TYPE, MaternKernel.TYPE, RationalQuadraticKernel.TYPE, PeriodicKernel.TYPE,
                SpectralMixtureKernel.TYPE, StudentTMixtureKernel.TYPE, VonMisesFisherKernel.TYPE,
                WhiteNoiseKernel.TYPE, ConstantKernel.TYPE, SigmoidKernel.TYPE, AnovaKernel.TYPE, BesselKernel.TYPE,
                SplineKernel.TYPE, ChiSquaredKernel.TYPE, ChiSquaredKernel.ADDITIVE_TYPE, HomogeneousChi2Kernel.TYPE,
                SkewedChi2Kernel.TYPE, ArcCosineKernel.TYPE,
                NeuralKernel.NNGP_TYPE, NeuralKernel.NTK_TYPE,
                org.kernels4j.kernel.neural.ConvolutionalKernel.CNNGP_TYPE, org.kernels4j.kernel.neural.ConvolutionalKernel.CNTK_TYPE,
                org.kernels4j.kernel.quantum.FidelityKernel.ZZ_TYPE, org.kernels4j.kernel.quantum.FidelityKernel.PAULI_TYPE,
                org.kernels4j.kernel.quantum.ProjectedKernel.TYPE)) {
            add(t);
        }
    }

    private KernelCatalog() {
    }

    private static void add(Type t) {
        TYPES.add(t);
        for (String n : concat(t.name(), t.aliases())) {
            if (BY_NAME.putIfAbsent(n, t) != null) {
                throw new IllegalStateException("kernel name '" + n + "' is registered twice");
            }
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    /** All kernel types, in documentation order. */
    public static List<Type> types() {
        return Collections.unmodifiableList(TYPES);
    }

    /** The type for a name or alias, or null. */
    public static Type find(String name) {
        return BY_NAME.get(name);
    }

    /** All accepted names, aliases included. */
    static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }
}
