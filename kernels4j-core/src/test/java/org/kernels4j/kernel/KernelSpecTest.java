package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernels4j.Kernels4jException;

class KernelSpecTest {

    @Test
    void parsesAlgebraWithPrecedence() {
        Kernel k = KernelSpec.parse("0.5*rbf(gamma=0.1)+linear()*2");
        assertEquals(new SumKernel(java.util.List.of(new ScaledKernel(0.5, RbfKernel.withGamma(0.1)),
                new ScaledKernel(2, new LinearKernel()))), k);
        assertEquals("0.5*rbf(gamma=0.1) + 2*linear()", k.toSpec());
        assertEquals(new ConstantKernel(1).plus(new LinearKernel()).toSpec(), KernelSpec.parse("1 + linear()").toSpec());
        Kernel nested = KernelSpec.parse("2 * (rbf(length=1) + linear()) * cosine()");
        double[] x = {0.3, -1};
        double[] z = {1.2, 0.4};
        double expected = 2 * (Math.exp(-0.5 * (0.81 + 1.96)) + (0.36 - 0.4))
                * new CosineKernel().value(x, z);
        assertEquals(expected, nested.value(x, z), 1e-14);
    }

    @Test
    void acceptsAliasesCaseAndExponents() {
        assertEquals(RbfKernel.withGamma(1e-3), KernelSpec.parse("GAUSSIAN( gamma = 1e-3 )"));
        assertEquals(new PolynomialKernel(2, 1, 1), KernelSpec.parse("polynomial(degree=2)"));
        assertEquals(new RationalQuadraticKernel(1, 1), KernelSpec.parse("rational_quadratic()"));
        assertEquals("rbf(gamma=1e-6)", RbfKernel.withGamma(1e-6).toSpec());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rbff(gamma=1)|1|unknown kernel 'rbff' (did you mean 'rbf'?)",
        "rbf(gamma=1) + foo()|16|unknown kernel 'foo'",
        "rbf(gama=1)|5|rbf has no parameter 'gama'",
        "rbf(gamma=-1)|1|gamma must be a positive finite number",
        "rbf(gamma=1, length=2)|14|give either gamma or length",
        "rbf(gamma=1|12|expected ')' but the spec ended",
        "rbf(gamma=abc)|5|'gamma' must be a number",
        "linear() +|11|expected a kernel name",
        "linear() $ rbf()|10|unexpected '$'",
        "-2*rbf()|1|scale factor must be positive",
        "matern(nu=0)|1|nu must be a positive finite number, got 0",
        "sm(q=2, means=[1, 2, 3])|9|means must have one entry per component (2), got 3",
        "poly(degree=2.5)|6|'degree' must be an integer",
        "laplacian(norm=l3)|11|'norm' must be one of l2, l1",
        "rbf|4|expected '(' after 'rbf'",
        "3|1|a number alone is not a kernel",
        "rbf(gamma=1, gamma=2)|14|parameter 'gamma' is given twice",
        "linear(x=1)|8|linear has no parameter 'x'; it takes none"})
    void errorsNameTheColumn(String spec, int column, String message) {
        KernelSpecException e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse(spec));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("column " + column), e.getMessage());
    }

    @Test
    void emptySpecIsRejected() {
        assertThrows(Kernels4jException.class, () -> KernelSpec.parse("  "));
    }

    @Test
    void catalogListsEveryTypeAndEachParsesWithDefaults() {
        for (KernelCatalog.Type t : KernelCatalog.types()) {
            String spec = t.name().equals("rbf") ? "rbf()" : t.name() + "()";
            Kernel k = KernelSpec.parse(spec);
            assertEquals(k, KernelSpec.parse(k.toSpec()));
        }
        assertTrue(KernelCatalog.types().size() >= 10);
    }
}
