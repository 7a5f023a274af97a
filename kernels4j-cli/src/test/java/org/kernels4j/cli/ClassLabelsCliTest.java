package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;

/**
 * Text class labels end to end: iris with its classes 0, 1, 2 renamed zebra, ant, mole (so that the
 * names' sorted order differs from the numbers'). The reference is the same command on a numeric file
 * whose labels are each name's rank among the sorted names (ant 0, mole 1, zebra 2): a text-labelled
 * model must compute exactly what that numeric one does, and only print names instead of numbers.
 */
class ClassLabelsCliTest {
    private static final String[] NAMES = {"zebra", "ant", "mole"};
    /** The sorted names: the codes a text-labelled model uses. */
    private static final List<String> SORTED = List.of("ant", "mole", "zebra");

    @TempDir
    Path dir;
    Path numeric;
    Path text;
    Path textNoHeader;

    @BeforeEach
    void files() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "data", "iris.csv"));
        List<String> named = new ArrayList<>();
        List<String> ranked = new ArrayList<>();
        named.add(lines.get(0));
        ranked.add(lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            int comma = l.lastIndexOf(',');
            String name = NAMES[(int) Double.parseDouble(l.substring(comma + 1))];
            named.add(l.substring(0, comma + 1) + name);
            ranked.add(l.substring(0, comma + 1) + SORTED.indexOf(name));
        }
        numeric = dir.resolve("iris.csv");
        text = dir.resolve("iris-named.csv");
        textNoHeader = dir.resolve("iris-named-noheader.csv");
        Files.write(numeric, ranked);
        Files.write(text, named);
        Files.write(textNoHeader, named.subList(1, named.size()));
    }

    private static Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    private List<String> column(Path csv, int j) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")[j]).toList();
    }

    @Test
    void aClassifierOnTextLabelsComputesWhatItDoesOnTheirRanks() throws IOException {
        String kernel = "rbf(gamma=0.5)";
        Path mText = dir.resolve("text.zip");
        Path mNum = dir.resolve("num.zip");
        Run fit = ok("fit", "--model", "svc", "--kernel", kernel, "--probability", "--train", text.toString(), "--out",
                mText.toString(), "--no-progress");
        assertTrue(fit.out().contains("classes: [ant, mole, zebra]"), fit.out());
        assertTrue(fit.out().contains("ant vs mole"), fit.out());
        ok("fit", "--model", "svc", "--kernel", kernel, "--probability", "--train", numeric.toString(), "--out",
                mNum.toString(), "--no-progress");
        Path pText = dir.resolve("p-text.csv");
        Path pNum = dir.resolve("p-num.csv");
        ok("predict", "--model", mText.toString(), "--data", text.toString(), "--out", pText.toString(), "--proba",
                "--no-progress");
        ok("predict", "--model", mNum.toString(), "--data", numeric.toString(), "--out", pNum.toString(), "--proba",
                "--no-progress");
        assertEquals("y,y_p_ant,y_p_mole,y_p_zebra", Files.readAllLines(pText).get(0));

        List<String> fromNumbers = column(pNum, 0).stream().map(v -> SORTED.get((int) Double.parseDouble(v))).toList();
        assertEquals(fromNumbers, column(pText, 0), "the same class for every row, by name");
        for (int j = 1; j <= 3; j++) {
            assertEquals(column(pNum, j), column(pText, j), "probability column of " + SORTED.get(j - 1));
        }
        // evaluate: the accuracy printed equals the share of rows whose predicted name is the true name
        List<String> truth = column(text, 4);
        List<String> predicted = column(pText, 0);
        long right = 0;
        for (int i = 0; i < truth.size(); i++) {
            right += truth.get(i).equals(predicted.get(i)) ? 1 : 0;
        }
        Run eval = ok("evaluate", "--model", mText.toString(), "--data", text.toString());
        assertTrue(eval.out().contains("accuracy: " + right / (double) truth.size()), eval.out());
        assertTrue(eval.out().lines().anyMatch(l -> l.startsWith("zebra ")), eval.out());
        // the same model evaluated on a file without a header (labels by position, last column)
        Run evalNoHeader = ok("evaluate", "--model", mText.toString(), "--data", textNoHeader.toString());
        assertTrue(evalNoHeader.out().contains("accuracy: " + right / (double) truth.size()), evalNoHeader.out());
    }

    @Test
    void labelsTheModelNeverSawAreNamedInAWarning() throws IOException {
        Path model = dir.resolve("m.zip");
        ok("fit", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--train", text.toString(), "--out", model.toString(),
                "--no-progress");
        List<String> lines = new ArrayList<>(Files.readAllLines(text));
        lines.set(1, lines.get(1).replace("zebra", "lion"));
        Path unseen = dir.resolve("unseen.csv");
        Files.write(unseen, lines);
        Run r = ok("evaluate", "--model", model.toString(), "--data", unseen.toString());
        assertTrue(r.err().contains("1 of 150 rows") && r.err().contains("(lion; it knows ant, mole, zebra)"), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("lion ")), r.out());
    }

    @Test
    void textLabelsWorkForGpcCalibrationAndCrossValidation() throws IOException {
        List<String> two = Files.readAllLines(text).stream().filter(l -> !l.endsWith("mole")).toList();
        Path binary = dir.resolve("two.csv");
        Files.write(binary, two);
        Path model = dir.resolve("gpc.zip");
        Run fit = ok("fit", "--model", "gpc", "--kernel", "rbf(length=1)", "--train", binary.toString(), "--out",
                model.toString());
        assertTrue(fit.out().contains("classes: [ant, zebra]"), fit.out());
        Run cal = ok("fit", "--model", "svc", "--kernel", "rbf(length=1)", "--calibrate", "sigmoid", "--train",
                binary.toString(), "--out", dir.resolve("cal.zip").toString());
        assertTrue(cal.out().contains("classes: [ant, zebra]"), cal.out());
        Run cvText = ok("cv", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--data", text.toString(), "--folds", "3");
        Run cvNum = ok("cv", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--data", numeric.toString(), "--folds", "3");
        String line = cvNum.out().lines().filter(l -> l.startsWith("rbf")).findFirst().orElseThrow();
        assertTrue(cvText.out().contains(line), cvText.out() + " vs " + cvNum.out());
    }

    @Test
    void aRegressionOnTextLabelsSaysWhereAndWhy() {
        Run r = run("fit", "--model", "krr", "--kernel", "rbf()", "--train", text.toString(), "--out",
                dir.resolve("k.zip").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("iris-named.csv:2:5: cannot read 'zebra' as a number (column 'y')")
                && r.err().contains("text class labels are read only for classifiers"), r.err());
        assertFalse(Files.exists(dir.resolve("k.zip")));
    }

    @Test
    void aClassifierOnAContinuousTargetIsWarnedAboutAndOnRealClassesIsNot() {
        String diabetes = Path.of("..", "data", "diabetes.csv").toString();
        Run continuous = ok("cv", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--data", diabetes, "--folds", "2");
        assertTrue(continuous.err().contains("warning: the target 'y' has 214 distinct values in 442 rows"),
                continuous.err());
        Run classes = ok("cv", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--data", numeric.toString(), "--folds",
                "2");
        assertFalse(classes.err().contains("warning"), classes.err());
    }
}
