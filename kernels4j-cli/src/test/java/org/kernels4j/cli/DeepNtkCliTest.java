package org.kernels4j.cli;

import static org.kernels4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;

/** The ntk-depth and entk commands: tables, CSV output, the pNTK error falling with width, and bad input. */
@Timeout(60)
class DeepNtkCliTest {
    @TempDir
    Path dir;

    private Path labelledData() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("a,b,c,label");
        for (int i = 0; i < 60; i++) {
            double a = Math.sin(1.3 * i);
            double b = Math.cos(0.7 * i);
            double c = ((i * 37) % 11) / 11.0 - 0.5;
            lines.add(a + "," + b + "," + c + "," + (a + b > 0.3 ? "up" : a - c < -0.2 ? "down" : "flat"));
        }
        Path p = dir.resolve("labels.csv");
        Files.write(p, lines);
        return p;
    }

    @Test
    void ntkDepthPrintsOneRowPerDepthAndWritesCsv() throws IOException {
        Path data = labelledData();
        Path csv = dir.resolve("depth.csv");
        Run r = run("ntk-depth", "--data", data.toString(), "--depths", "1,4,16", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("agree_1nn"), r.out());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), rows.toString());
        for (int i = 1; i < rows.size(); i++) {
            String[] cells = rows.get(i).split(",");
            assertEquals(new String[] {"1", "4", "16"}[i - 1], cells[0]);
            for (int c = 1; c <= 4; c++) {
                double v = Double.parseDouble(cells[c]);
                // 15 test rows: every rate is a multiple of 1/15 in [0, 1]
                assertTrue(v >= 0 && v <= 1 && Math.abs(v * 15 - Math.rint(v * 15)) < 1e-9, rows.get(i));
            }
            assertEquals("3.0", cells[5], "alpha defaults to d = 3");
        }
    }

    @Test
    void entkPseudoErrorFallsWithWidth() {
        Run r = run("entk", "--widths", "8,512", "--n", "5", "--d", "4", "--outputs", "3", "--networks", "3",
                "--projection", "16");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        String[] narrow = lines.get(2).trim().split("\\s+");
        String[] wide = lines.get(3).trim().split("\\s+");
        assertEquals("8", narrow[0]);
        assertEquals("512", wide[0]);
        assertTrue(Double.parseDouble(wide[2]) < Double.parseDouble(narrow[2]) / 2, r.out());
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() throws IOException {
        Path data = labelledData();
        String[][] cases = {
            {"ntk-depth", "--data", data.toString(), "--depths", "1,-2"},
            {"ntk-depth", "--data", data.toString(), "--activation", "nope"},
            {"ntk-depth", "--data", data.toString(), "--test-fraction", "1.5"},
            {"entk", "--kernel", "rbf(gamma=1)"},
            {"entk", "--widths", "0"},
        };
        for (String[] args : cases) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }
}
