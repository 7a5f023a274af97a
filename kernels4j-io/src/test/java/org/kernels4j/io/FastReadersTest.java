package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.Kernels4jException;

/**
 * The line-by-line CSV path ({@link CsvReader#read(Path)}) against Commons CSV's full grammar
 * ({@link CsvReader#read(java.io.Reader, String)}) on the same text, and the number parser against
 * {@link Double#parseDouble}, the reference both replace.
 */
class FastReadersTest {
    @TempDir
    Path dir;

    private Dataset both(String text, CsvReader reader) throws IOException {
        Path f = dir.resolve("t" + text.hashCode() + ".csv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        Dataset fast = reader.read(f);
        Dataset full = reader.read(new StringReader(text), f.toString());
        assertArrayEquals(full.features().data(), fast.features().data(), "features of:\n" + text);
        if (full.target() != null) {
            assertArrayEquals(full.target().data(), fast.target().data());
        } else {
            assertNull(fast.target());
        }
        assertEquals(full.featureNames(), fast.featureNames());
        return fast;
    }

    private String bothFail(String text) throws IOException {
        Path f = dir.resolve("bad" + text.hashCode() + ".csv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        CsvReader r = CsvReader.builder().build();
        String fast = assertThrows(Kernels4jException.class, () -> r.read(f)).getMessage();
        String full = assertThrows(Kernels4jException.class, () -> r.read(new StringReader(text), f.toString()))
                .getMessage();
        assertEquals(full, fast, "the same message for:\n" + text);
        return fast;
    }

    @Test
    void linePathReadsWhatTheFullGrammarReads() throws IOException {
        CsvReader r = CsvReader.builder().build();
        Dataset d = both("\uFEFFa,b,y\n1.5, -2 ,3\r\n\n# a comment\n.5,1e-3,+4\n", r);
        assertEquals(2, d.features().rows());
        assertEquals(-2, d.features().get(0, 1));
        assertEquals(4, d.target().get(1, 0));
        // R's write.csv: quoted header and row names, numbers bare
        d = both("\"\",\"x1\",\"y\"\n\"1\",0.25,1\n\"2\",0.5,0\n", r);
        assertEquals(0.5, d.features().get(1, 1));
        assertEquals("x1", d.featureNames().get(1));
        // a quoted cell holding the delimiter and a quoted line break: read by the full grammar either way
        d = both("name,x,y\n\"a, b\",1,2\n\"c\nd\",3,4\n", CsvReader.builder().target("name").classLabels(true).build());
        assertEquals(3, d.features().get(1, 0));
        assertEquals(1, d.target().get(1, 0)); // the second label seen
        // semicolons, headerless, no target
        d = both("1;2;3\n4;5;6\n", CsvReader.builder().delimiter(';').header(CsvReader.Header.NO).target("").build());
        assertEquals(6, d.features().get(1, 2));
    }

    @Test
    void randomFilesReadTheSameBothWays() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int file = 0; file < 20; file++) {
            StringBuilder sb = new StringBuilder("p,q,r,y\n");
            int rows = 1 + rnd.nextInt(30);
            for (int i = 0; i < rows; i++) {
                if (rnd.nextInt(10) == 0) {
                    sb.append(rnd.nextBoolean() ? "\n" : "# skipped\n");
                }
                for (int j = 0; j < 4; j++) {
                    double v = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(-20, 20));
                    String cell = switch (rnd.nextInt(4)) {
                        case 0 -> Double.toString(v);
                        case 1 -> String.format(Locale.ROOT, "%.17g", v);
                        case 2 -> String.format(Locale.ROOT, "%.3e", v);
                        default -> Long.toString(Math.round(v));
                    };
                    sb.append(rnd.nextInt(5) == 0 ? " " + cell + " " : cell).append(j < 3 ? "," : "");
                }
                sb.append(rnd.nextBoolean() ? "\n" : "\r\n");
            }
            both(sb.toString(), CsvReader.builder().build());
        }
    }

    @Test
    void errorsNameTheSameLineAndCellBothWays() throws IOException {
        assertTrue(bothFail("a,b\n1,2\n\n3,x\n").contains(":4:2: cannot read 'x' as a number"));
        assertTrue(bothFail("a,b\n1,2\n# c\n3\n").contains(":4: expected 2 cells but found 1"));
        assertTrue(bothFail("a,b\n1,\n").contains(":2:2: empty cell"));
        assertTrue(bothFail("a,b\n0x10,2\n").contains("cannot read '0x10' as a number"));
        assertTrue(bothFail("a,b\n1,nan\n").contains("NaN value"));
    }

    /** The number rule: what Double.parseDouble reads as a decimal (no hex, no 'd'/'f' suffix), plus nan/inf words. */
    @Test
    void numbersParseExactlyAsDoubleParseDouble() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            double v = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isFinite(v)) {
                continue;
            }
            for (String s : new String[] {Double.toString(v), String.format(Locale.ROOT, "%.17g", v),
                String.format(Locale.ROOT, "%.6e", v), String.format(Locale.ROOT, "%.3f", v)}) {
                assertEquals(Double.parseDouble(s), CsvReader.parseNumber(s), s);
            }
        }
        for (String s : new String[] {"1", "-0", "+.5", "5.", "-1E+300", "2.2250738585072011e-308", "4.9e-324",
            "1e-400", "1e400", "0.1000000000000000055511151231257827"}) {
            assertEquals(Double.parseDouble(s), CsvReader.parseNumber(s), s);
        }
        assertTrue(Double.isNaN(CsvReader.parseNumber("NaN")));
        assertEquals(Double.NEGATIVE_INFINITY, CsvReader.parseNumber("-inf"));
        for (String s : new String[] {"", ".", "-", "+", "1e", "1.5f", "2d", "0x1p3", "1_000", "1,5", "1 2", "--1", "e5",
            "abc", "1.2.3"}) {
            assertNull(CsvReader.parseNumber(s), s);
        }
    }

    @Test
    void libSvmTokensWithTabsQidAndErrorColumns() throws IOException {
        Path f = dir.resolve("a.libsvm");
        Files.writeString(f, "1\t1:0.5  3:-2 # note\n-1 qid:4 2:1e-3\n\n0\n");
        Dataset d = LibSvmReader.read(f, 0);
        assertArrayEquals(new double[] {0.5, 0, -2, 0, 1e-3, 0, 0, 0, 0}, d.features().data());
        assertArrayEquals(new double[] {1, -1, 0}, d.target().data());
        String[][] bad = {
            {"1 1:2 x\n", ":1:7: expected index:value but found 'x'"},
            {"1 a:2\n", ":1:3: feature index 'a' is not an integer"},
            {"1 0:2\n", ":1:3: feature indices start at 1, found 0"},
            {"1 2:1 2:3\n", ":1:7: feature indices must increase, 2 follows 2"},
            {"1 1:\n", ":1:3: expected index:value but found '1:'"},
            {"1 1:z\n", ":1:3: cannot read value 'z' as a finite number"},
            {"y 1:2\n", ":1:1: cannot read label 'y' as a number"},
            {"1 99999999999:2\n", ":1:3: feature index '99999999999' is larger than the largest index supported, 2147483647"},
        };
        for (String[] b : bad) {
            Path g = dir.resolve("bad" + Math.abs(b[0].hashCode()) + ".libsvm");
            Files.writeString(g, b[0]);
            String msg = assertThrows(Kernels4jException.class, () -> LibSvmReader.read(g, 0)).getMessage();
            assertTrue(msg.contains(b[1]), msg + " should contain " + b[1]);
        }
    }
}
