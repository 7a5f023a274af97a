package org.kernels4j.kernel.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.SpecialFunctions;

/**
 * Expression activations: each value against the Java/closed form written here, each derivative
 * against a central difference of that reference (step 1e-6, away from kinks: truncation ≈ 1e-12,
 * rounding ≈ 1e-10, so 1e-7), precedence and associativity, number syntax, and the column in errors.
 */
class ActivationExpressionTest {
    private static final double[] AT = {-1.7, -0.4, 0.35, 1.3, 2.6};

    private static void check(String text, DoubleUnaryOperator ref, double[] points) {
        Activation a = Activation.expression(text);
        for (double x : points) {
            double v = ref.applyAsDouble(x);
            assertEquals(v, a.apply(x), 1e-13 * Math.max(1, Math.abs(v)), text + " at " + x);
            double h = 1e-6;
            double fd = (ref.applyAsDouble(x + h) - ref.applyAsDouble(x - h)) / (2 * h);
            assertEquals(fd, a.derivative(x), 1e-7 * Math.max(1, Math.abs(fd)), text + " derivative at " + x);
        }
    }

    @Test
    void functionsAndDerivatives() {
        double[] positive = {0.2, 0.9, 1.7, 3.1};
        check("exp(x)", Math::exp, AT);
        check("log(x)", Math::log, positive);
        check("sqrt(x)", Math::sqrt, positive);
        check("abs(x)", Math::abs, AT);
        check("sin(x)", Math::sin, AT);
        check("cos(x)", Math::cos, AT);
        check("tanh(x)", Math::tanh, AT);
        check("erf(x)", SpecialFunctions::erf, AT);
        check("sigmoid(x)", x -> 1 / (1 + Math.exp(-x)), AT);
        check("sigmoid(-40 + x)", x -> 1 / (1 + Math.exp(40 - x)), AT);
        check("softplus(x)", x -> Math.log(1 + Math.exp(x)), AT);
        check("softplus(x + 40)", x -> x + 40 + Math.log1p(Math.exp(-x - 40)), AT);
        check("relu(x)", x -> Math.max(x, 0), AT);
        check("max(x, 0.1*x)", x -> Math.max(x, 0.1 * x), AT);
        check("min(x, 0.5)", x -> Math.min(x, 0.5), AT);
        check("max(0.5, x)", x -> Math.max(0.5, x), AT);
        check("min(2*x, x)", x -> Math.min(2 * x, x), AT);
        check("pi*x", x -> Math.PI * x, AT);
        check("x/(1 + x*x)", x -> x / (1 + x * x), AT);
        check("3/x", x -> 3 / x, AT);
        check("x^3", x -> x * x * x, AT);
        check("x^x", x -> Math.pow(x, x), positive);
        check("2^x", x -> Math.pow(2, x), AT);
        check("x*erf(x) + sigmoid(2*x)^2 - log(1 + exp(-x))/3",
            x -> x * SpecialFunctions.erf(x) + Math.pow(1 / (1 + Math.exp(-2 * x)), 2) - Math.log(1 + Math.exp(-x)) / 3, AT);
        // the derivative at a kink takes one side
        assertEquals(1.0, Activation.expression("abs(x)").derivative(0));
        assertEquals(0.0, Activation.expression("relu(x)").derivative(0));
        assertEquals(0.0, Activation.expression("relu(x)").apply(-2));
    }

    @Test
    void precedenceAssociativityAndNumbers() {
        check("1 + 2*x^2 - x/4", x -> 1 + 2 * x * x - x / 4, AT);
        check("-x^2", x -> -(x * x), AT); // unary minus binds looser than ^
        check("2^-x", x -> Math.pow(2, -x), AT);
        check("2^x^2", x -> Math.pow(2, x * x), AT); // right-associative
        check("x - 1 - 2", x -> x - 3, AT); // left-associative
        check("x / 2 / 4", x -> x / 8, AT);
        check("--x", x -> x, AT);
        check("(x + 1) * (x - 1)", x -> x * x - 1, AT);
        check("1.5e-1*x + 2E+1 + .5 + 3e2", x -> 0.15 * x + 20 + 0.5 + 300, AT);
        check("  X * TANH( x )  ", x -> x * Math.tanh(x), AT);
    }

    @Test
    void errorsNameTheColumn() {
        String[][] bad = {{"x*(x", "column 5", "expected ')'"}, {"foo(x)", "column 1", "unknown function 'foo'"},
            {"max(x)", "column 1", "max takes 2 arguments, got 1"}, {"tanh(x, x)", "column 1", "tanh takes 1 argument, got 2"},
            {"y + 1", "column 1", "unknown name 'y'"}, {"x +", "column 4", "expression ends too early"},
            {"x $", "column 3", "unexpected '$'"}, {"1..2*x", "column 1", "cannot read a number"},
            {"tanh(x", "column 7", "expected ')' to close tanh("}, {"3e", "column 2", "unexpected 'e'"},
            {"x # 1", "column 3", "unexpected '#'"}, {"2*#", "column 3", "unexpected '#'"}};
        for (String[] b : bad) {
            Kernels4jException e = assertThrows(Kernels4jException.class, () -> Activation.expression(b[0]), b[0]);
            assertTrue(e.getMessage().contains(b[1]) && e.getMessage().contains(b[2]), b[0] + ": " + e.getMessage());
        }
        assertThrows(Kernels4jException.class, () -> Activation.expression("  "));
        assertThrows(Kernels4jException.class, () -> ActivationExpression.parse(null));
    }

    @Test
    void identityAndSpecForm() {
        Activation a = Activation.expression(" x*erf(x) ");
        assertEquals("x*erf(x)", a.name());
        assertEquals("\"x*erf(x)\"", a.specValue());
        assertEquals(a, Activation.expression("x*erf(x)"));
        assertEquals(a.hashCode(), Activation.expression("x*erf(x)").hashCode());
        assertNotEquals(a, Activation.expression("x*erf(2*x)"));
        assertTrue(!a.closedForm());
        assertTrue(Activation.relu().closedForm());
        // a named numerical activation equals another of the same built-in name, not an expression of that text
        assertEquals(Activation.named("tanh"), Activation.named("tanh"));
        assertNotEquals(Activation.named("tanh"), Activation.expression("tanh(x)"));
        assertEquals("tanh", Activation.named("tanh").specValue());
        // user-defined numerical activations are equal only to themselves
        Activation custom = Activation.numerical("mine", Math::tanh, x -> 1);
        assertEquals(custom, custom);
        assertNotEquals(custom, Activation.numerical("mine", Math::tanh, x -> 1));
        assertEquals(", alpha=0.2", Activation.leakyRelu(0.2).specParams());
        assertEquals(", a=-1, b=2", Activation.abRelu(-1, 2).specParams());
        assertEquals("", Activation.relu().specParams());
        assertEquals("leaky_relu, alpha=0.2", Activation.leakyRelu(0.2).toString());
        assertNotEquals(Activation.leakyRelu(0.2), Activation.leakyRelu(0.3));
        assertEquals(Activation.leakyRelu(0.2), Activation.leakyRelu(0.2));
        assertEquals(Activation.named("RELU"), Activation.relu());
        for (String n : Activation.names()) {
            if (!n.equals("leaky_relu") && !n.equals("abrelu")) {
                assertEquals(n, Activation.named(n).name());
            }
        }
    }

    /** The quadrature-based named activations' own φ and φ' against their definitions. */
    @Test
    void numericalNamedActivationsApplyTheirDefinitions() {
        Object[][] defs = {{"tanh", (DoubleUnaryOperator) Math::tanh},
            {"softplus", (DoubleUnaryOperator) x -> Math.log(1 + Math.exp(x))},
            {"swish", (DoubleUnaryOperator) x -> x / (1 + Math.exp(-x))},
            {"sigmoid", (DoubleUnaryOperator) x -> 1 / (1 + Math.exp(-x))},
            {"elu", (DoubleUnaryOperator) x -> x >= 0 ? x : Math.exp(x) - 1}};
        for (Object[] d : defs) {
            Activation a = Activation.named((String) d[0]);
            DoubleUnaryOperator f = (DoubleUnaryOperator) d[1];
            for (double x : AT) {
                assertEquals(f.applyAsDouble(x), a.apply(x), 1e-14, d[0] + " at " + x);
                double h = 1e-6;
                double fd = (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
                assertEquals(fd, a.derivative(x), 1e-8, d[0] + "' at " + x);
            }
        }
        assertEquals(40.0, Activation.named("softplus").apply(40), 1e-12);
        assertEquals(1.0 / (1 + Math.exp(35)), Activation.named("sigmoid").apply(-35), 1e-25);
    }
}
