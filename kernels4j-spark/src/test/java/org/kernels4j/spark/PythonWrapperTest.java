package org.kernels4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The PySpark wrappers shipped in the jar ({@code kernels4j_spark/__init__.py}). PySpark is not installed where
 * these tests run (not in Debian, no PyPI here), so the wrappers never talk to a JVM: each Python class must declare
 * every param of its Java stage with the Java default, and the module must import and build its classes with
 * python3 against stand-ins for the PySpark names it uses.
 */
class PythonWrapperTest {
    private static String source() throws IOException {
        try (InputStream in = PythonWrapperTest.class.getResourceAsStream("/kernels4j_spark/__init__.py")) {
            assertTrue(in != null, "the wrapper is on the class path (so in the jar)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The text of one Python class, up to the next top-level definition. */
    private static String pythonClass(String source, String name) {
        Matcher m = Pattern.compile("(?m)^class " + name + "\\(").matcher(source);
        assertTrue(m.find(), "python class " + name);
        Matcher next = Pattern.compile("(?m)^(class |def |_WRAPPERS)").matcher(source);
        int end = next.find(m.end()) ? next.start() : source.length();
        return source.substring(m.start(), end);
    }

    private static String pythonLiteral(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return v.toString();
    }

    @Test
    void everyJavaParamIsDeclaredWithItsDefault() throws IOException {
        String src = source();
        List<Params> stages = List.of(new RandomFeatures(), new NystromFeatures(), new NystromKernelRidge(),
                new SparseGaussianProcess());
        for (Params stage : stages) {
            String name = stage.getClass().getSimpleName();
            String cls = pythonClass(src, name);
            for (Param<?> p : stage.params()) {
                String pn = p.name();
                if (pn.equals("lambda")) { // a Python keyword: delegated to the Java stage
                    assertTrue(cls.contains("_HasJavaLambda"), name + ".lambda");
                    continue;
                }
                assertTrue(cls.contains("_param(\"" + pn + "\""), name + " declares " + pn);
                Object def = stage.getDefault(p).get();
                Matcher m = Pattern.compile("\\b" + pn + "=(\"[^\"]*\"|[^,\\n)]+)").matcher(cls);
                int seen = 0;
                while (m.find()) {
                    String literal = m.group(1).strip();
                    if (def instanceof Double dv) {
                        assertEquals(dv, Double.parseDouble(literal), 0.0, name + "." + pn);
                    } else {
                        assertEquals(pythonLiteral(def), literal, name + "." + pn);
                    }
                    seen++;
                }
                assertEquals(2, seen, name + "." + pn + ": the keyword default and the _setDefault value");
            }
        }
        for (String model : new String[] {"KernelModel", "NystromFeaturesModel"}) {
            String cls = pythonClass(src, model);
            assertTrue(cls.contains("_param(\"inputCol\"") || cls.contains("_param(\"featuresCol\""), model);
        }
    }

    /**
     * Runs the module with python3 against stand-ins for PySpark's classes (src/test/resources/pyspark_stub_import.py):
     * it parses, imports, builds every class (no method-order conflict with PySpark's hierarchy), gives each its
     * setters and getters, and maps Java class names back to the wrappers.
     */
    @Test
    void importsAgainstStandInsForPySpark() throws IOException, InterruptedException {
        String script;
        try (InputStream in = PythonWrapperTest.class.getResourceAsStream("/pyspark_stub_import.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", "-B", "-c", script).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed");
            return;
        }
        p.getOutputStream().write(source().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("ok", out.strip());
    }
}
