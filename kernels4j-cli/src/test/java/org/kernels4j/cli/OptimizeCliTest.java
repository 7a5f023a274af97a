package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;

/**
 * {@code optimize} end to end on a shell command that prints a quadratic: the history holds what the
 * command computed, the best is near the minimum, failures are reported and handled, bad input exits
 * with one line.
 */
@Timeout(300)
class OptimizeCliTest {
    @TempDir
    Path dir;

    private Path space(String json) throws IOException {
        Path p = dir.resolve("space.json");
        Files.writeString(p, json);
        return p;
    }

    private static final String SPACE = "{\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"lower\": -2, "
            + "\"upper\": 3}, {\"name\": \"k\", \"type\": \"integer\", \"lower\": 0, \"upper\": 5}]}";

    /** (x − 1)² + (k − 2)², computed by awk from the substituted values, printed after some chatter. */
    private static final String QUADRATIC = "awk 'BEGIN { print \"epoch 7 loss\"; print ({x} - 1)^2 + ({k} - 2)^2 }'";

    private static void oneLine(Run r, int code, String... parts) {
        assertEquals(code, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertFalse(err.contains("Exception"), err);
        for (String p : parts) {
            assertTrue(err.contains(p), err);
        }
    }

    @Test
    void minimizesAQuadraticPrintedByACommand() throws IOException {
        Path history = dir.resolve("history.csv");
        Path plot = dir.resolve("conv.png");
        Run r = run("optimize", "--space", space(SPACE).toString(), "--command", QUADRATIC, "--budget", "11",
                "--initial", "5", "--seed", "3", "--out", history.toString(), "--plot", plot.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(history);
        assertEquals("evaluation,x,k,value,status,best_so_far", lines.get(0));
        assertEquals(12, lines.size());
        double best = Double.POSITIVE_INFINITY;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double x = Double.parseDouble(c[1]);
            int k = Integer.parseInt(c[2]);
            double v = Double.parseDouble(c[3]);
            // awk prints 6 significant digits
            assertEquals((x - 1) * (x - 1) + (k - 2) * (k - 2), v, 1e-5 * Math.max(1, v));
            assertEquals("ok", c[4]);
            best = Math.min(best, v);
            assertEquals(best, Double.parseDouble(c[5]), 0);
        }
        assertTrue(best < 0.1, "best " + best); // random search: P(k = 2 and |x − 1| < 0.3) = 1/6 · 0.12 per draw
        assertTrue(r.out().contains("best: x="), r.out());
        assertTrue(Files.size(plot) > 1000);
        assertTrue(new String(Files.readAllBytes(plot), 1, 3, java.nio.charset.StandardCharsets.US_ASCII).equals("PNG"));
    }

    @Test
    void maximizesWithEnvironmentVariablesAndBatches() throws IOException {
        Path history = dir.resolve("h.csv");
        Run r = run("optimize", "--space", space(SPACE).toString(), "--command",
                "awk -v x=\"$KERNELS4J_X\" -v k=\"$KERNELS4J_K\" 'BEGIN { print -((x - 1)^2 + (k - 2)^2) }'",
                "--budget", "7", "--initial", "4", "--batch", "2", "--maximize", "--acquisition", "ucb",
                "--out", history.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(history);
        assertEquals(8, lines.size()); // 4 + 2 + 1: the design, a batch, the last batch cut to the budget
        double best = Double.NEGATIVE_INFINITY;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double expected = -((Double.parseDouble(c[1]) - 1) * (Double.parseDouble(c[1]) - 1)
                    + (Integer.parseInt(c[2]) - 2) * (Integer.parseInt(c[2]) - 2));
            assertEquals(expected, Double.parseDouble(c[3]), 1e-5 * Math.max(1, Math.abs(expected)));
            best = Math.max(best, expected);
        }
        assertTrue(r.out().contains("maximize"), r.out());
    }

    @Test
    void failuresArePenalizedOrSkippedAndReported() throws IOException {
        // fails (exit 3) when k = 0, prints nothing when k = 1, otherwise the quadratic
        String cmd = "if [ {k} -eq 0 ]; then echo oops >&2; exit 3; fi; if [ {k} -eq 1 ]; then echo none; exit 0; fi; "
                + QUADRATIC;
        Path history = dir.resolve("f.csv");
        Run r = run("optimize", "--space", space(SPACE).toString(), "--command", cmd, "--budget", "8", "--initial", "6",
                "--out", history.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(history);
        int failed = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            int k = Integer.parseInt(c[2]);
            if (k == 0) {
                assertTrue(c[4].equals("failed: exit code 3: oops"), line);
                assertEquals("", c[3]);
                failed++;
            } else if (k == 1) {
                assertTrue(c[4].equals("failed: no number on stdout"), line);
                failed++;
            } else {
                assertEquals("ok", c[4]);
            }
        }
        assertTrue(failed > 0, "the design covers k = 0 and 1");
        assertTrue(r.out().contains("FAILED (exit code 3: oops)"), r.out());
        assertTrue(r.out().contains(failed + " failed"), r.out());

        Run skip = run("optimize", "--space", space(SPACE).toString(), "--command", cmd, "--budget", "7",
                "--initial", "6", "--on-failure", "skip");
        assertEquals(0, skip.code(), skip.err());
        assertTrue(skip.out().contains(", skipped"), skip.out());

        Run timeout = run("optimize", "--space", space(SPACE).toString(), "--command", "sleep 5; echo 1", "--budget", "1",
                "--timeout", "0.3");
        oneLine(timeout, 1, "all 1 evaluations failed", "timed out after 0.3 s");
        Run nan = run("optimize", "--space", space(SPACE).toString(), "--command", "echo loss nan", "--budget", "2");
        oneLine(nan, 1, "all 2 evaluations failed", "nan, not finite");
        // a run that fails throughout leaves an existing history as it was; a new file gets the failed rows
        Path kept = dir.resolve("kept.csv");
        Files.writeString(kept, "keep\n");
        Run failing = run("optimize", "--space", space(SPACE).toString(), "--command", "echo loss nan", "--budget", "2",
                "--out", kept.toString());
        oneLine(failing, 1, "all 2 evaluations failed", "was left as it was");
        assertEquals("keep\n", Files.readString(kept));
        Path fresh = dir.resolve("fresh.csv");
        assertEquals(1, run("optimize", "--space", space(SPACE).toString(), "--command", "echo loss nan", "--budget",
                "2", "--out", fresh.toString()).code());
        assertEquals(3, Files.readAllLines(fresh).size(), "header and the two failed evaluations");
    }

    @Test
    void badInputExitsWithOneLine() throws IOException {
        String s = space(SPACE).toString();
        // a {word} that is no parameter is passed on as is, with a warning (awk and shell use braces too)
        Run unknown = run("optimize", "--space", s, "--command", "echo {y} 2; echo {x}", "--budget", "1");
        assertEquals(0, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("warning: --command contains {y}, which is not a parameter")
                && unknown.err().contains("(parameters: x, k)"), unknown.err());
        assertFalse(unknown.err().contains("{x}"), unknown.err());
        assertTrue(unknown.out().contains("eval 1/1: x="), unknown.out());
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--budget", "0"), 2, "--budget must be >= 1");
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--batch", "0"), 2, "--batch must be >= 1");
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--initial", "0"), 2, "--initial must be >= 1");
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--timeout", "0"), 2, "--timeout");
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--acquisition", "lcb"), 2, "lcb", "ei, pi, ucb");
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--on-failure", "retry"), 2, "penalize or skip");
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--plot", dir.resolve("c.jpg").toString()), 2,
                ".png or .svg");
        oneLine(run("optimize", "--space", s, "--command", "echo 1", "--out", dir.resolve("no/h.csv").toString()), 1,
                "does not exist");
        oneLine(run("optimize", "--space", dir.resolve("missing.json").toString(), "--command", "echo 1"), 1,
                "missing.json", "no such file");
        String[][] spaces = {
            {"{\"parameters\": [ {\"name\": \"x\", \"lower\": 0 \"upper\": 1}]}", "line 1", "not valid JSON"},
            {"[]", "expected an object"},
            {"{\"parameters\": []}", "non-empty array"},
            {"{\"parameters\": [{\"name\": \"x\", \"lower\": 0, \"upper\": 1}], \"extra\": 1}", "unknown key \"extra\""},
            {"{\"parameters\": [{\"lower\": 0, \"upper\": 1}]}", "parameter 1", "\"name\" must be a string"},
            {"{\"parameters\": [{\"name\": \"x\", \"lower\": 0, \"upper\": \"1\"}]}", "parameter 1 (x)", "\"upper\" must be a number"},
            {"{\"parameters\": [{\"name\": \"x\", \"lower\": 0, \"upper\": 1, \"type\": \"float64\"}]}", "\"type\" must be"},
            {"{\"parameters\": [{\"name\": \"x\", \"lower\": 0, \"upper\": 1, \"lg\": true}]}", "unknown key \"lg\""},
            {"{\"parameters\": [{\"name\": \"x\", \"lower\": 0, \"upper\": 1, \"log\": true}]}", "parameter x", "lower > 0"},
            {"{\"parameters\": [{\"name\": \"x\", \"lower\": 2, \"upper\": 1}]}", "parameter x", "greater than lower"},
            {"{\"parameters\": [{\"name\": \"k\", \"type\": \"integer\", \"lower\": 0.5, \"upper\": 3}]}", "integer bounds"},
            {"{\"parameters\": [{\"name\": \"x\", \"lower\": 0, \"upper\": 1}, {\"name\": \"x\", \"lower\": 0, \"upper\": 1}]}",
                "x appears twice"},
        };
        for (String[] c : spaces) {
            Path p = dir.resolve("bad.json");
            Files.writeString(p, c[0]);
            String[] parts = new String[c.length];
            parts[0] = "bad.json";
            System.arraycopy(c, 1, parts, 1, c.length - 1);
            oneLine(run("optimize", "--space", p.toString(), "--command", "echo 1"), 1, parts);
        }
        // a truncated file: the parser's problem in words, none of Jackson's source description
        Path cut = dir.resolve("cut.json");
        Files.writeString(cut, "{\"parameters\": [");
        Run truncated = run("optimize", "--space", cut.toString(), "--command", "echo 1");
        oneLine(truncated, 1, "cut.json: not valid JSON (line 1, column");
        assertTrue(!truncated.err().contains("Source") && !truncated.err().contains("REDACTED"), truncated.err());
    }

    @Test
    void benchBoPrintsTheComparisonAndChecksItsOptions() {
        Run r = run("bench", "bo", "--budget", "10", "--seeds", "1", "--functions", "branin", "--proposal-n", "5",
                "--reps", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*branin +10 +[0-9.e+-]+ +[0-9.e+-]+\n.*"), r.out());
        assertTrue(r.out().contains("branin     BO ahead of random search on "), r.out());
        assertFalse(r.out().contains("hartmann6"), r.out());
        assertTrue(r.out().matches("(?s).*proposal at n=5 d=6: cold [0-9.]+ s, warm-started [0-9.]+ s.*"), r.out());
        oneLine(run("bench", "bo", "--functions", "rosenbrock"), 2, "--functions", "rosenbrock");
        oneLine(run("bench", "bo", "--budget", "9"), 2, "--budget must be >= 10");
    }
}
