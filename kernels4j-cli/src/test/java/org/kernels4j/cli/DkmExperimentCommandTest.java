package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.linalg.Parallelism;

class DkmExperimentCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOneRowPerDataSetAndModelAndWritesTheSameTable() throws IOException {
        List<String> iris = Files.readAllLines(Path.of("../data/iris.csv"));
        List<String> small = new ArrayList<>(List.of(iris.get(0)));
        for (int i = 1; i < iris.size(); i += 5) {
            small.add(iris.get(i));
        }
        Path cls = dir.resolve("iris.csv");
        Files.write(cls, small);
        // y = a + b exactly: every model's test RMSE must be far below the target's spread (about 1.4)
        List<String> reg = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(2);
        for (int i = 0; i < 24; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            reg.add(a + "," + b + "," + (a + b));
        }
        Path rf = dir.resolve("reg.csv");
        Files.write(rf, reg);
        Path out = dir.resolve("table.md");
        // one thread: on 18–22 training rows a multi-threaded LAPACK only adds waiting (this run took 30 s of wall
        // time with 2 threads and 19 s with one, at a load average of 25 on 2 cores)
        CliTest.Run run = Parallelism.withThreadLimit(1, () -> CliTest.run("dkm-experiment", "--regression",
                rf.toString(), "--classification", cls.toString(), "--layers", "1", "--max-iter", "3", "--out",
                out.toString()));
        assertEquals(0, run.code(), run.err());
        String table = Files.readString(out);
        assertTrue(run.out().contains(table), run.out());
        List<String> rows = table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| data")).toList();
        assertEquals(8, rows.size(), table);
        for (String row : rows) {
            String[] cells = row.split("\\|");
            String[] score = cells[4].trim().split(" ");
            double v = Double.parseDouble(score[1]);
            if (row.startsWith("| reg.csv")) {
                assertEquals("RMSE", score[0]);
                assertTrue(v >= 0 && v < 0.5, row);
                assertEquals("–", cells[5].trim());
            } else {
                assertEquals("acc", score[0]);
                assertTrue(v > 0.6 && v <= 1, "three classes, chance is 1/3: " + row);
                String loss = cells[5].trim();
                assertTrue(row.contains("KRR") ? loss.equals("–") : Double.parseDouble(loss) > 0, row);
            }
        }
        assertTrue(table.contains("| iris.csv | 22/8 |"), table); // 30 rows, round(7.5) = 8 held out
    }
}
