package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.ArcCosineKernel;
import org.kernels4j.kernel.neural.NeuralKernel;

/**
 * Every kernel name the spec language knows, with its parameters, defaults and formula: the one
 * table both the parser and the {@code kernels} command read.
 */
public final class KernelCatalog {

    /** One parameter of a kernel type. */
    public static final class Param {
        private final String name;
        private final String defaultValue;
        private final String description;

        Param(String name, String defaultValue, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        /** Parameter name as written in specs. */
        public String name() {
            return name;
        }

        /** Default as spec text, or null when the parameter must be given. */
        public String defaultValue() {
            return defaultValue;
        }

        /** One-line description. */
        public String description() {
            return description;
        }
    }

    /** One kernel type: its spec name, aliases, formula and parameters. */
    public static final class Type {
        private final String name;
        private final List<String> aliases;
        private final String formula;
        private final List<Param> params;
        private final Function<KernelSpec.Args, Kernel> factory;

        Type(String name, List<String> aliases, String formula, List<Param> params,
                Function<KernelSpec.Args, Kernel> factory) {
            this.name = name;
            this.aliases = aliases;
            this.formula = formula;
            this.params = params;
            this.factory = factory;
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

        Kernel create(KernelSpec.Args args) {
            return factory.apply(args);
        }
    }

    private static final Map<String, Type> BY_NAME = new LinkedHashMap<>();
    private static final List<Type> TYPES = new ArrayList<>();

    static {
        add(new Type("linear", List.of(), "k(x,z) = <x,z>", List.of(), a -> new LinearKernel()));
        add(new Type("poly", List.of("polynomial"), "k(x,z) = (gamma*<x,z> + coef0)^degree",
                List.of(new Param("degree", "3", "positive integer degree"),
                        new Param("gamma", "1", "scale of the inner product, > 0"),
                        new Param("coef0", "1", "offset, >= 0")),
                a -> new PolynomialKernel(a.integer("degree", 3), a.number("gamma", 1.0), a.number("coef0", 1.0))));
        add(new Type("cosine", List.of(), "k(x,z) = <x,z> / (|x| |z|)", List.of(), a -> new CosineKernel()));
        add(new Type("rbf", List.of("gaussian"), "k(x,z) = exp(-gamma |x-z|^2) = exp(-|x-z|^2 / (2 length^2))",
                List.of(new Param("gamma", "1", "inverse squared scale, > 0 (give gamma or length)"),
                        new Param("length", null, "length scale, or a list [l1, ..., ld] for one per feature")),
                a -> {
                    if (a.has("gamma") && a.has("length")) {
                        throw a.error("length", "give either gamma or length, not both");
                    }
                    return a.has("length") ? RbfKernel.withLengths(a.numbers("length"))
                            : RbfKernel.withGamma(a.number("gamma", 1.0));
                }));
        add(new Type("laplacian", List.of("exponential"), "k(x,z) = exp(-gamma |x-z|), norm l2 (default) or l1",
                List.of(new Param("gamma", "1", "rate, > 0"), new Param("norm", "l2", "l2 or l1")),
                a -> new LaplacianKernel(a.number("gamma", 1.0), a.word("norm", "l2", "l2", "l1").equals("l1"))));
        add(new Type("matern", List.of(), "nu=0.5: exp(-r); 1.5: (1+sqrt3 r)exp(-sqrt3 r); 2.5: (1+sqrt5 r+5r^2/3)exp(-sqrt5 r); r=|x-z|/length",
                List.of(new Param("nu", "1.5", "smoothness: 0.5, 1.5 or 2.5"),
                        new Param("length", "1", "length scale, or a list for one per feature")),
                a -> {
                    double[] l = a.numbers("length", 1.0);
                    return l.length == 1 ? new MaternKernel(a.number("nu", 1.5), l[0])
                            : new MaternKernel(a.number("nu", 1.5), l);
                }));
        add(new Type("rq", List.of("rational_quadratic"), "k(x,z) = (1 + |x-z|^2 / (2 alpha length^2))^(-alpha)",
                List.of(new Param("alpha", "1", "shape, > 0"), new Param("length", "1", "length scale, > 0")),
                a -> new RationalQuadraticKernel(a.number("alpha", 1.0), a.number("length", 1.0))));
        add(new Type("periodic", List.of("exp_sine_squared"), "k(x,z) = exp(-2 sin^2(pi |x-z| / period) / length^2)",
                List.of(new Param("length", "1", "length scale, > 0"), new Param("period", "1", "period, > 0")),
                a -> new PeriodicKernel(a.number("length", 1.0), a.number("period", 1.0))));
        add(new Type("white", List.of("white_noise"), "k(x,z) = noise if x and z are the same sample, else 0",
                List.of(new Param("noise", "1", "variance added to the diagonal, >= 0")),
                a -> new WhiteNoiseKernel(a.number("noise", 1.0))));
        add(new Type("constant", List.of(), "k(x,z) = value",
                List.of(new Param("value", "1", "the constant, >= 0")),
                a -> new ConstantKernel(a.number("value", 1.0))));
        add(new Type("arccos", List.of("arc_cosine"), "k(x,z) = |x|^n |z|^n J_n(angle)/pi, applied depth times",
                List.of(new Param("order", "1", "0 (step), 1 (relu) or 2 (squared relu)"),
                        new Param("depth", "1", "number of layers, >= 1")),
                a -> new ArcCosineKernel(a.integer("order", 1), a.integer("depth", 1))));
        add(new Type("nngp", List.of(), "output covariance of an infinitely wide network: K^l = w_var T(K^(l-1)) + b_var",
                neuralParams(), a -> neural(a, NeuralKernel.Kind.NNGP)));
        add(new Type("ntk", List.of(), "neural tangent kernel: Theta^l = K^l + w_var Tdot(K^(l-1)) Theta^(l-1)",
                neuralParams(), a -> neural(a, NeuralKernel.Kind.NTK)));
    }

    private KernelCatalog() {
    }

    private static List<Param> neuralParams() {
        return List.of(new Param("depth", "1", "number of hidden layers L, >= 0"),
                new Param("activation", "relu", String.join(", ", Activation.names())
                        + ", or an expression in x such as \"x*erf(x)\""),
                new Param("w_var", "1", "weight variance sigma_w^2, > 0"),
                new Param("b_var", "0", "bias variance sigma_b^2, >= 0"),
                new Param("param", "ntk", "parameterization: ntk or standard"),
                new Param("width", null, "hidden width, for the standard-parameterization NTK"),
                new Param("alpha", null, "negative slope of leaky_relu (default 0.01)"),
                new Param("a", null, "abrelu slope below 0 (default 0)"),
                new Param("b", null, "abrelu slope above 0 (default 1)"));
    }

    private static Kernel neural(KernelSpec.Args a, NeuralKernel.Kind kind) {
        int depth = a.integer("depth", 1);
        String expression = a.quoted("activation");
        String actName = expression != null ? null
                : a.word("activation", "relu", Activation.names().toArray(new String[0]));
        Activation act;
        if (expression != null) {
            a.has("activation");
            try {
                act = Activation.expression(expression);
            } catch (Kernels4jException e) {
                throw a.error("activation", e.getMessage());
            }
            for (String p : List.of("alpha", "a", "b")) {
                if (a.has(p)) {
                    throw a.error(p, "'" + p + "' applies only to activation=leaky_relu or abrelu");
                }
            }
        } else if (actName.equals("leaky_relu")) {
            act = Activation.leakyRelu(a.number("alpha", 0.01));
        } else if (actName.equals("abrelu")) {
            act = Activation.abRelu(a.number("a", 0.0), a.number("b", 1.0));
        } else {
            for (String p : List.of("alpha", "a", "b")) {
                if (a.has(p)) {
                    throw a.error(p, "'" + p + "' applies only to "
                            + (p.equals("alpha") ? "activation=leaky_relu" : "activation=abrelu"));
                }
            }
            act = Activation.named(actName);
        }
        double w = a.number("w_var", 1.0);
        double b = a.number("b_var", 0.0);
        boolean standard = a.word("param", "ntk", "ntk", "standard").equals("standard");
        if (!standard && a.has("width")) {
            throw a.error("width", "'width' applies only to param=standard");
        }
        if (kind == NeuralKernel.Kind.NNGP) {
            if (a.has("width")) {
                throw a.error("width", "the NNGP does not depend on the width; drop 'width'");
            }
            NeuralKernel k = NeuralKernel.nngp(depth, act, w, b);
            return standard ? k.asStandard() : k;
        }
        if (standard && !a.has("width")) {
            throw a.error("param", "param=standard needs the hidden layer width, e.g. width=512");
        }
        return standard ? NeuralKernel.ntkStandard(depth, act, w, b, a.integer("width", 1))
                : NeuralKernel.ntk(depth, act, w, b);
    }

    private static void add(Type t) {
        TYPES.add(t);
        BY_NAME.put(t.name, t);
        for (String alias : t.aliases) {
            BY_NAME.put(alias, t);
        }
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
