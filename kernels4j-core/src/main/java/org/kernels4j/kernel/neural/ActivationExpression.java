package org.kernels4j.kernel.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.SpecialFunctions;

/**
 * An activation written as an expression in x, e.g. {@code "x*erf(x)"} or {@code "max(x, 0.1*x)"},
 * with its derivative computed exactly alongside its value (forward-mode differentiation). Grammar:
 * <pre>
 *   expr  := term (('+' | '-') term)*
 *   term  := unary (('*' | '/') unary)*
 *   unary := '-' unary | power
 *   power := atom ('^' unary)?
 *   atom  := NUMBER | 'x' | 'pi' | NAME '(' expr (',' expr)* ')' | '(' expr ')'
 * </pre>
 * Functions: exp, log, sqrt, abs, sin, cos, tanh, erf, sigmoid, softplus, relu (one argument) and
 * max, min (two). At kinks (abs, relu, max, min) the derivative takes one side, which does not
 * matter under a Gaussian expectation. Evaluating the tree costs tens of nanoseconds, and the
 * quadrature needs about a thousand evaluations per kernel entry and layer.
 */
final class ActivationExpression {
    private final String text;
    private int pos;

    private ActivationExpression(String text) {
        this.text = text;
    }

    /** One node: value and derivative at x. */
    interface Node {
        /** Writes {value, derivative} at x into out. */
        void eval(double x, double[] out);
    }

    /** Parses the expression; errors name the 1-based column within it. */
    static Node parse(String text) {
        if (text == null || text.isBlank()) {
            throw new Kernels4jException("empty activation expression; write it in x, e.g. \"x*erf(x)\"");
        }
        ActivationExpression p = new ActivationExpression(text);
        Node n = p.expr();
        p.skip();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        double[] probe = new double[2];
        n.eval(0.3, probe); // evaluates every branch once: unknown names fail above, this checks nothing throws
        return n;
    }

    private Kernels4jException error(String problem) {
        return new Kernels4jException("activation expression \"" + text + "\" at column " + (pos + 1) + ": " + problem);
    }

    private void skip() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean accept(char c) {
        skip();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Node expr() {
        Node left = term();
        while (true) {
            if (accept('+')) {
                Node a = left;
                Node b = term();
                left = binary(a, b, (u, v, out) -> {
                    out[0] = u[0] + v[0];
                    out[1] = u[1] + v[1];
                });
            } else if (accept('-')) {
                Node a = left;
                Node b = term();
                left = binary(a, b, (u, v, out) -> {
                    out[0] = u[0] - v[0];
                    out[1] = u[1] - v[1];
                });
            } else {
                return left;
            }
        }
    }

    private Node term() {
        Node left = unary();
        while (true) {
            if (accept('*')) {
                Node a = left;
                Node b = unary();
                left = binary(a, b, (u, v, out) -> {
                    out[0] = u[0] * v[0];
                    out[1] = u[1] * v[0] + u[0] * v[1];
                });
            } else if (accept('/')) {
                Node a = left;
                Node b = unary();
                left = binary(a, b, (u, v, out) -> {
                    out[0] = u[0] / v[0];
                    out[1] = (u[1] * v[0] - u[0] * v[1]) / (v[0] * v[0]);
                });
            } else {
                return left;
            }
        }
    }

    private Node unary() {
        if (accept('-')) {
            Node a = unary();
            return (x, out) -> {
                a.eval(x, out);
                out[0] = -out[0];
                out[1] = -out[1];
            };
        }
        Node base = atom();
        if (accept('^')) {
            Node e = unary();
            return binary(base, e, (u, v, out) -> {
                double val = Math.pow(u[0], v[0]);
                out[0] = val;
                // d(u^v) = v·u^(v−1)·u' + u^v·log(u)·v'  (the second term only when v varies)
                double d = v[0] * Math.pow(u[0], v[0] - 1) * u[1];
                if (v[1] != 0) {
                    d += val * Math.log(u[0]) * v[1];
                }
                out[1] = d;
            });
        }
        return base;
    }

    private Node atom() {
        skip();
        if (pos >= text.length()) {
            throw error("expression ends too early");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Node n = expr();
            if (!accept(')')) {
                throw error("expected ')'");
            }
            return n;
        }
        if (Character.isDigit(c) || c == '.') {
            int start = pos;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                        pos++;
                    }
                } else {
                    pos = save;
                }
            }
            double v;
            try {
                v = Double.parseDouble(text.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("cannot read a number");
            }
            return (x, out) -> {
                out[0] = v;
                out[1] = 0;
            };
        }
        if (!Character.isLetter(c)) {
            throw error("unexpected '" + c + "'");
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
        if (name.equals("x")) {
            return (x, out) -> {
                out[0] = x;
                out[1] = 1;
            };
        }
        if (name.equals("pi")) {
            return (x, out) -> {
                out[0] = Math.PI;
                out[1] = 0;
            };
        }
        int column = start;
        if (!accept('(')) {
            pos = column;
            throw error("unknown name '" + name + "'; use x, pi, numbers and functions such as tanh(x)");
        }
        List<Node> args = new ArrayList<>();
        args.add(expr());
        while (accept(',')) {
            args.add(expr());
        }
        if (!accept(')')) {
            throw error("expected ')' to close " + name + "(");
        }
        int arity = name.equals("max") || name.equals("min") ? 2 : 1;
        if (args.size() != arity) {
            pos = column;
            throw error(name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", got " + args.size());
        }
        if (arity == 2) {
            boolean max = name.equals("max");
            return binary(args.get(0), args.get(1), (u, v, out) -> {
                boolean first = max ? u[0] >= v[0] : u[0] <= v[0];
                out[0] = first ? u[0] : v[0];
                out[1] = first ? u[1] : v[1];
            });
        }
        Scalar f = function(name);
        if (f == null) {
            pos = column;
            throw error("unknown function '" + name + "'; known: exp, log, sqrt, abs, sin, cos, tanh, erf, sigmoid,"
                    + " softplus, relu, max, min");
        }
        Node a = args.get(0);
        return (x, out) -> {
            a.eval(x, out);
            double u = out[0];
            out[0] = f.value(u);
            out[1] = f.slope(u) * out[1];
        };
    }

    /** A function of one variable with its derivative. */
    private interface Scalar {
        double value(double u);

        double slope(double u);
    }

    private static Scalar of(java.util.function.DoubleUnaryOperator v, java.util.function.DoubleUnaryOperator d) {
        return new Scalar() {
            @Override
            public double value(double u) {
                return v.applyAsDouble(u);
            }

            @Override
            public double slope(double u) {
                return d.applyAsDouble(u);
            }
        };
    }

    private static Scalar function(String name) {
        switch (name) {
            case "exp":
                return of(Math::exp, Math::exp);
            case "log":
                return of(Math::log, u -> 1 / u);
            case "sqrt":
                return of(Math::sqrt, u -> 0.5 / Math.sqrt(u));
            case "abs":
                return of(Math::abs, u -> u >= 0 ? 1 : -1);
            case "sin":
                return of(Math::sin, Math::cos);
            case "cos":
                return of(Math::cos, u -> -Math.sin(u));
            case "tanh":
                return of(Math::tanh, u -> 1 - Math.tanh(u) * Math.tanh(u));
            case "erf":
                return of(SpecialFunctions::erf, u -> 2 / Math.sqrt(Math.PI) * Math.exp(-u * u));
            case "sigmoid":
                return of(Activation::logistic, u -> Activation.logistic(u) * (1 - Activation.logistic(u)));
            case "softplus":
                return of(u -> u > 30 ? u : Math.log1p(Math.exp(u)), Activation::logistic);
            case "relu":
                return of(u -> u > 0 ? u : 0, u -> u > 0 ? 1 : 0);
            default:
                return null;
        }
    }

    private interface Combine {
        void apply(double[] u, double[] v, double[] out);
    }

    private static Node binary(Node a, Node b, Combine c) {
        return (x, out) -> {
            double[] u = new double[2];
            double[] v = new double[2];
            a.eval(x, u);
            b.eval(x, v);
            c.apply(u, v, out);
        };
    }
}
