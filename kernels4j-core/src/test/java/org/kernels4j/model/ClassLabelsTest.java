package org.kernels4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

class ClassLabelsTest {
    @Test
    void namesAreSortedAndDistinctAndEncodeToTheirIndex() {
        ClassLabels c = ClassLabels.of(List.of("spam", "nonspam", "spam", "Zeta", "alpha"));
        // String.compareTo order: upper case before lower case, as Python's sorted() and LabelEncoder
        assertEquals(List.of("Zeta", "alpha", "nonspam", "spam"), c.names());
        assertEquals(4, c.size());
        assertArrayEquals(new double[] {3, 2, 0, 3}, c.encode(List.of("spam", "nonspam", "Zeta", "spam")).data());
        for (int k = 0; k < c.size(); k++) {
            assertEquals(k, c.indexOf(c.name(k)));
        }
        assertEquals(-1, c.indexOf("ham"));
    }

    @Test
    void anUnknownLabelIsNamedWithItsRow() {
        ClassLabels c = ClassLabels.of(List.of("a", "b"));
        var e = assertThrows(Kernels4jException.class, () -> c.encode(List.of("a", "b", "c")));
        assertTrue(e.getMessage().contains("row 3") && e.getMessage().contains("'c'"), e.getMessage());
    }

    @Test
    void onlyIntegerCodesInRangeHaveNames() {
        ClassLabels c = ClassLabels.inOrder(List.of("b", "a"));
        assertEquals("b", c.name(0));
        assertEquals("a", c.name(1));
        for (double bad : new double[] {-1, 2, 0.5, Double.NaN, -0.0 - 1e-300}) {
            assertThrows(Kernels4jException.class, () -> c.name(bad), "code " + bad);
        }
    }

    @Test
    void inOrderRefusesDuplicatesEmptyNamesAndNoNames() {
        assertThrows(Kernels4jException.class, () -> ClassLabels.inOrder(List.of("a", "a")));
        assertThrows(Kernels4jException.class, () -> ClassLabels.inOrder(List.of("a", "")));
        assertThrows(Kernels4jException.class, () -> ClassLabels.inOrder(List.of()));
    }

    @Test
    void extendingKeepsTheKnownCodesAndAppendsNewNamesSorted() {
        ClassLabels c = ClassLabels.of(List.of("spam", "nonspam"));
        ClassLabels more = c.extendedWith(List.of("spam", "zzz", "ham", "ham"));
        assertEquals(List.of("nonspam", "spam", "ham", "zzz"), more.names());
        assertSame(c, c.extendedWith(List.of("spam")));
        assertEquals(c, ClassLabels.inOrder(List.of("nonspam", "spam")));
        assertEquals(c.hashCode(), ClassLabels.inOrder(List.of("nonspam", "spam")).hashCode());
    }
}
