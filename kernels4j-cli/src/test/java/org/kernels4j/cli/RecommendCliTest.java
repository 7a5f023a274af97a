package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code recommend} prints one test MSE per method, and refuses bad sizes in one line. */
class RecommendCliTest {
    @Test
    void printsEveryMethodAndNaiveIsWorstUnderStrongSelection() {
        CliTest.Run r = CliTest.run("recommend", "--users", "80", "--items", "80", "--observed", "0.1", "--selection",
                "1.5", "--anchors", "10", "--epochs", "10");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("80 users x 80 items, \\d+ observed ratings, \\d+ MAR test pairs scored"),
                lines.get(0));
        double naive = Double.NaN;
        double kb = Double.NaN;
        for (String name : List.of("naive", "ips-nb", "dr-nb", "ips-true", "kb-ips", "kb-dr")) {
            String line = lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow(() ->
                    new AssertionError("no line for " + name + ":\n" + r.out()));
            double mse = Double.parseDouble(line.trim().split(" +")[1]);
            naive = name.equals("naive") ? mse : naive;
            kb = name.equals("kb-ips") ? mse : kb;
        }
        // ratings observed more often the higher they are: the naive fit overestimates at random pairs
        assertTrue(kb < naive, r.out());
        CliTest.Run bad = CliTest.run("recommend", "--users", "0");
        assertEquals(1, bad.code());
        assertTrue(bad.err().strip().startsWith("kernels4j: error: ") && bad.err().strip().lines().count() == 1, bad.err());
    }
}
