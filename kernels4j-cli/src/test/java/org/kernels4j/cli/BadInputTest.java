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
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.cli.CliTest.Run;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;

/**
 * Bad input of every kind: each test runs the CLI and checks the exit code, that stderr is one line
 * naming the problem (no stack trace), and that no file appeared or changed.
 */
@Timeout(60)
class BadInputTest {
    @TempDir
    Path dir;
    /** Columns a, b, c and target y (a header), 40 rows. */
    Path train;

    /** Runs and checks: exit code, one error line containing every {@code words}, no stack trace, no new file. */
    Run fails(int code, List<String> words, String... args) throws IOException {
        List<Path> before = listing();
        Run r = run(args);
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        assertTrue(lines.get(0).startsWith("kernels4j: "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        String lower = r.err().toLowerCase(Locale.ROOT);
        for (String w : words) {
            assertTrue(lower.contains(w.toLowerCase(Locale.ROOT)), "'" + w + "' in: " + r.err());
        }
        assertEquals(before, listing(), "no file created or removed");
        return r;
    }

    List<Path> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static List<String> csv(String header, int rows, java.util.function.IntFunction<String> row) {
        List<String> lines = new ArrayList<>();
        if (header != null) {
            lines.add(header);
        }
        for (int i = 0; i < rows; i++) {
            lines.add(row.apply(i));
        }
        return lines;
    }

    static String abcy(int i) {
        double a = Math.sin(i), b = Math.cos(0.7 * i), c = (i % 7) / 7.0;
        return a + "," + b + "," + c + "," + (a + 2 * b - c);
    }

    @BeforeEach
    void data() throws IOException {
        train = dir.resolve("train.csv");
        Files.write(train, csv("a,b,c,y", 40, BadInputTest::abcy));
    }

    Path fitKrr() throws IOException {
        Path model = dir.resolve("m.zip");
        Run fit = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "0.01",
                "--out", model.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        return model;
    }

    // 1. columns matched to the model by name

    /**
     * --allow-nonfinite serves balance and effect only: elsewhere it let a file be read only for the command to
     * refuse the NaN afterwards with an internal-style message (no file or line). Now a usage error before reading,
     * and without it the reader names the cell by file and line.
     */
    @Test
    void allowNonFiniteIsAUsageErrorWhereNoCommandCanUseNaN() throws IOException {
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "a,b\n0.1,1\n0.2,nan\n0.3,2\n0.4,1\n");
        fails(2, List.of("--allow-nonfinite", "balance and effect"), "kde", "fit", "--data", nan.toString(),
                "--allow-nonfinite", "--out", dir.resolve("k.zip").toString());
        fails(2, List.of("--allow-nonfinite"), "fit", "--model", "krr", "--train", nan.toString(), "--kernel",
                "rbf(gamma=1)", "--allow-nonfinite", "--out", dir.resolve("m.zip").toString());
        fails(1, List.of("nan.csv:3:2:", "NaN"), "kde", "fit", "--data", nan.toString(), "--out",
                dir.resolve("k.zip").toString());
    }

    /**
     * The rule-of-thumb bandwidth matrix of kde fit is a multiple of the covariance: a column that is a combination of
     * others, or whose square overflows, is named with what to do (the library's own messages name an internal
     * matrix and advise a regularisation kde fit has not).
     */
    @Test
    void kdeNamesTheColumnThatBreaksTheBandwidthRule() throws IOException {
        Path collinear = dir.resolve("collinear.csv");
        Files.write(collinear, csv("a,c,b", 6, i -> i + "," + (i * i % 5) + "," + (2 * i - 3 * (i * i % 5))));
        fails(1, List.of("column 'b'", "linear combination", "(a, c)", "--ignore b", "--bandwidth"), "kde", "fit",
                "--data", collinear.toString(), "--out", dir.resolve("k.zip").toString());
        fails(1, List.of("column 'b'", "silverman", "column 'a'"), "kde", "fit", "--data",
                write("pair.csv", csv("a,b", 5, i -> i + "," + (0.5 * i + 1))).toString(), "--bandwidth",
                "silverman", "--out", dir.resolve("k.zip").toString());
        Path big = dir.resolve("big.csv");
        Files.write(big, csv("a,b", 6, i -> (i == 3 ? "1e200" : String.valueOf(i)) + "," + (i % 4)));
        fails(1, List.of("column 'a'", "1.0E200", "overflows", "--bandwidth"), "kde", "fit", "--data", big.toString(),
                "--out", dir.resolve("k.zip").toString());
        // one row: a fixed bandwidth fits (no regime to measure), leave-one-out cannot
        Path one = write("one.csv", List.of("a,b", "1,2"));
        Run single = run("kde", "fit", "--data", one.toString(), "--bandwidth", "1", "--out",
                dir.resolve("one.zip").toString());
        assertEquals(0, single.code(), single.err());
        assertTrue(single.out().contains("regime: not measured (one row") && single.err().isBlank(),
                single.out() + single.err());
        Files.delete(dir.resolve("one.zip"));
        fails(1, List.of("leave-one-out", "at least 2 rows"), "kde", "fit", "--data", one.toString(), "--bandwidth",
                "cv", "--out", dir.resolve("one.zip").toString());
        // a numeric bandwidth needs no covariance
        assertEquals(0, run("kde", "fit", "--data", collinear.toString(), "--bandwidth", "0.5", "--out",
                dir.resolve("k.zip").toString()).code());
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    @Test
    void reorderedColumnsAreMatchedByName() throws IOException {
        Path model = fitKrr();
        Path shuffled = dir.resolve("shuffled.csv");
        List<String> lines = new ArrayList<>(List.of("y,c,a,b"));
        for (String l : Files.readAllLines(train).subList(1, 41)) {
            String[] v = l.split(",");
            lines.add(v[3] + "," + v[2] + "," + v[0] + "," + v[1]);
        }
        Files.write(shuffled, lines);
        Path p1 = dir.resolve("p1.csv");
        Path p2 = dir.resolve("p2.csv");
        assertEquals(0, run("predict", "--model", model.toString(), "--data", train.toString(), "--out", p1.toString()).code());
        Run r = run("predict", "--model", model.toString(), "--data", shuffled.toString(), "--out", p2.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readAllLines(p1), Files.readAllLines(p2));
        Run e1 = run("evaluate", "--model", model.toString(), "--data", train.toString());
        Run e2 = run("evaluate", "--model", model.toString(), "--data", shuffled.toString());
        assertEquals(0, e2.code(), e2.err());
        assertEquals(e1.out(), e2.out());
    }

    @Test
    void missingFeatureWithTargetIsRefusedNotReadAsFeature() throws IOException {
        Path model = fitKrr();
        Path noC = dir.resolve("noc.csv");
        Files.write(noC, csv("a,b,y", 5, i -> i + "," + i + "," + i));
        fails(1, List.of("missing 'c'"), "predict", "--model", model.toString(), "--data", noC.toString(), "--out",
                dir.resolve("p.csv").toString());
        fails(1, List.of("missing 'c'"), "evaluate", "--model", model.toString(), "--data", noC.toString());
    }

    @Test
    void extraColumnIsRefusedByName() throws IOException {
        Path model = fitKrr();
        Path extra = dir.resolve("extra.csv");
        Files.write(extra, csv("a,b,c,id,y", 5, i -> i + "," + i + "," + i + "," + i + "," + i));
        fails(1, List.of("unknown 'id'"), "predict", "--model", model.toString(), "--data", extra.toString(), "--out",
                dir.resolve("p.csv").toString());
    }

    @Test
    void headerlessFileIsReadByPositionAndSaysSoWhenItCannot() throws IOException {
        Path model = fitKrr();
        Path plain = dir.resolve("plain.csv");
        Files.write(plain, Files.readAllLines(train).subList(1, 41));
        Run r = run("evaluate", "--model", model.toString(), "--data", plain.toString());
        assertEquals(0, r.code(), r.err());
        Path three = dir.resolve("three.csv");
        Files.write(three, csv(null, 5, i -> i + "," + i));
        fails(1, List.of("no header", "position"), "evaluate", "--model", model.toString(), "--data", three.toString());
    }

    // 2. UTF-8 byte order mark

    @Test
    void byteOrderMarkIsSkipped() throws IOException {
        Path headerless = dir.resolve("bom.csv");
        Files.writeString(headerless, "\uFEFF1,2,3\n4,5,6\n7,8,10\n");
        Dataset ds = CsvReader.builder().build().read(headerless);
        assertEquals(3, ds.rows(), "the first row is data, not a header");
        assertEquals(1.0, ds.features().get(0, 0));
        Path headed = dir.resolve("bomh.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.set(0, "\uFEFFy,a,b,c");
        for (int i = 1; i < lines.size(); i++) {
            String[] v = lines.get(i).split(",");
            lines.set(i, v[3] + "," + v[0] + "," + v[1] + "," + v[2]);
        }
        Files.write(headed, lines);
        Run r = run("fit", "--train", headed.toString(), "--target", "y", "--kernel", "rbf(gamma=0.5)", "--out",
                dir.resolve("m.zip").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("target 'y'"), r.out());
        Path svm = dir.resolve("bom.libsvm.txt");
        Files.writeString(svm, "\uFEFF1 1:0.5 2:1\n-1 1:2 3:1\n");
        r = run("gram", "--data", svm.toString(), "--kernel", "linear()", "--out", dir.resolve("k.npy").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2x2") || r.out().contains("2×2") || r.out().contains("2 x 2"), r.out());
    }

    // 3. usage errors exit 2

    @Test
    void invalidOptionValuesAreUsageErrors() throws IOException {
        String out = dir.resolve("m.zip").toString();
        String t = train.toString();
        fails(2, List.of("--lambda", "abc"), "fit", "--train", t, "--kernel", "rbf()", "--lambda", "abc", "--out", out);
        fails(2, List.of("--model", "foo"), "fit", "--train", t, "--kernel", "rbf()", "--model", "foo", "--out", out);
        fails(2, List.of("--layers", "--model dkm"), "fit", "--train", t, "--kernel", "rbf()", "--layers", "2", "--out",
                out);
        fails(2, List.of("nu must be positive"), "fit", "--train", t, "--model", "dkm", "--kernel", "se(length=1)",
                "--nu", "0", "--out", out);
        fails(1, List.of("unknown layer map", "rbf"), "fit", "--train", t, "--model", "dkm", "--kernel", "rbf()",
                "--out", out);
        fails(2, List.of("--likelihood", "dkm", "one-hot", "probit"), "fit", "--train", t, "--model", "dkm", "--kernel",
                "se(length=1)", "--likelihood", "probit", "--out", out);
        fails(2, List.of("--likelihood", "--model gpc|dkm"), "fit", "--train", t, "--model", "gp", "--kernel", "rbf()",
                "--likelihood", "one-hot", "--out", out);
        fails(2, List.of("--test-fraction", "1.5"), "dkm-experiment", "--test-fraction", "1.5");
        fails(2, List.of("--regression", "no such file", "nothere.csv"), "dkm-experiment", "--regression",
                dir.resolve("nothere.csv").toString(), "--classification", "none");
        fails(1, List.of("nu must be positive"), "dkm-experiment", "--nu", "-1");
        fails(2, List.of("--header", "maybe"), "fit", "--train", t, "--kernel", "rbf()", "--header", "maybe", "--out", out);
        fails(2, List.of("--format", "tsv"), "gram", "--data", t, "--kernel", "rbf()", "--format", "tsv", "--out",
                dir.resolve("k.npy").toString());
        fails(2, List.of("--lambda-grid"), "fit", "--train", t, "--kernel", "rbf()", "--lambda", "auto",
                "--lambda-grid", "1:2", "--out", out);
        fails(2, List.of("--task"), "cv", "--data", t, "--kernel", "rbf()", "--task", "clustering");
        Path model = fitKrr();
        fails(2, List.of("--header"), "predict", "--model", model.toString(), "--data", t, "--header", "maybe", "--out",
                dir.resolve("p.csv").toString());
        // a problem with the data is not a usage error
        Path text = dir.resolve("text.csv");
        Files.writeString(text, "a,y\n1,2\nx,3\n");
        fails(1, List.of("text.csv:3:1"), "fit", "--train", text.toString(), "--kernel", "rbf()", "--out", out);
    }

    @Test
    void optionsThatWouldBeIgnoredAreUsageErrors() throws IOException {
        String out = dir.resolve("m.zip").toString();
        String t = train.toString();
        fails(2, List.of("--lambda-grid", "--lambda auto", "is 1 when not given"), "fit", "--train", t, "--kernel",
                "rbf()", "--lambda-grid", "0.01:1:3", "--out", out);
        fails(2, List.of("--lambda-grid", "fixes it at 0.5"), "fit", "--train", t, "--kernel", "rbf()", "--lambda",
                "0.5", "--lambda-grid", "1e-3:1:4", "--out", out);
        fails(2, List.of("--lambda-grid", "fixes it at 0.5"), "fit", "--train", t, "--kernel", "rbf()", "--solver",
                "nystrom", "--lambda", "0.5", "--lambda-grid", "1e-3:1:4", "--out", out);
        fails(2, List.of("--tol", "--solver exact"), "fit", "--train", t, "--kernel", "rbf()", "--tol", "0.1", "--out",
                out);
        fails(2, List.of("--tol", "--solver exact"), "fit", "--train", t, "--kernel", "rbf()", "--precision", "mixed",
                "--tol", "0.1", "--out", out);
        fails(2, List.of("--lambda-grid", "fixes it at 0.5"), "cv", "--data", t, "--kernel", "rbf()", "--lambda", "0.5",
                "--lambda-grid", "1e-3:1:4", "--folds", "3");
        fails(2, List.of("--folds must be at least 2, got 1"), "cv", "--data", t, "--kernel", "rbf()", "--folds", "1");
        // a grid of 10⁸ values is a typo: refused before any work (it ran out of memory)
        fails(2, List.of("COUNT must be at most 10000, got 100000000"), "fit", "--train", t, "--kernel", "rbf()",
                "--lambda", "auto", "--lambda-grid", "1e-3:1:100000000", "--out", out);
        // SVM option values the estimator refuses are usage errors too (README: exit 2), not failures of the run
        fails(2, List.of("C must be a positive number, got -1.0"), "fit", "--model", "svc", "--train", t, "--kernel",
                "rbf()", "--c", "-1", "--out", out);
        fails(2, List.of("nu must be in (0, 1], got 2.0"), "fit", "--model", "oneclass", "--train", t, "--kernel",
                "rbf()", "--nu", "2", "--out", out);
        fails(2, List.of("cache size must be at least 1 MB"), "fit", "--model", "svr", "--train", t, "--kernel",
                "rbf()", "--cache-mb", "0", "--out", out);
        // ... and so are the other learners' option values their builders refuse, before any data is read
        fails(2, List.of("number of inducing points must be >= 1, got 0"), "fit", "--model", "sgpr", "--train", t,
                "--kernel", "rbf()", "--inducing", "0", "--out", out);
        fails(2, List.of("tolerance must be a positive finite number, got 0.0"), "fit", "--model", "rvm", "--train", t,
                "--kernel", "rbf()", "--tol", "0", "--out", out);
        fails(2, List.of("bandwidth must be a positive finite number, got -1.0"), "kde", "fit", "--data", t,
                "--bandwidth", "-1", "--out", out);
        fails(2, List.of("unknown density kernel 'foo'"), "kde", "fit", "--data", t, "--bandwidth", "0.5", "--kernel",
                "foo", "--out", out);
        Path svm = dir.resolve("s.libsvm");
        Files.writeString(svm, "1 1:0.5 2:1 3:2\n-1 1:2 3:1\n1 2:0.3\n-1 1:1 2:1\n1 3:0.1\n-1 1:0.2 2:2\n");
        String s = svm.toString();
        fails(2, List.of("--target", "LibSVM", "label"), "fit", "--model", "svc", "--train", s, "--target", "2",
                "--kernel", "rbf()", "--out", out);
        fails(2, List.of("--header", "LibSVM"), "fit", "--model", "svc", "--train", s, "--header", "yes", "--kernel",
                "rbf()", "--out", out);
        fails(2, List.of("--delimiter", "LibSVM"), "fit", "--model", "svc", "--train", s, "--delimiter", ";",
                "--kernel", "rbf()", "--out", out);
        fails(2, List.of("--target", "LibSVM"), "cv", "--model", "svc", "--data", s, "--target", "2", "--kernel",
                "rbf()", "--folds", "2");
        fails(2, List.of("--header", "LibSVM"), "gram", "--data", s, "--header", "no", "--kernel", "rbf()", "--out",
                dir.resolve("k.npy").toString());
        // --target on a LibSVM file was silently ignored by the commands that drop a column or pick a label
        fails(2, List.of("--target", "LibSVM", "label"), "gram", "--data", s, "--target", "2", "--kernel", "rbf()",
                "--out", dir.resolve("k.npy").toString());
        fails(2, List.of("--target", "LibSVM", "label"), "test", "mmd", "--data", s, "--data2", s, "--target", "1");
        fails(2, List.of("--target", "LibSVM", "label"), "ntk-depth", "--data", s, "--target", "0");
        fails(2, List.of("--target", "LibSVM", "label"), "learning-curve", "--train", s, "--target", "0", "--kernel",
                "rbf()");
        // what stays valid: --select without --lambda searches the grid; --tol steers nystrom's CG and SMO
        Run grid = run("fit", "--train", t, "--kernel", "rbf()", "--select", "gcv", "--lambda-grid", "1e-3:1:3",
                "--out", out);
        assertEquals(0, grid.code(), grid.err());
        Run smo = run("fit", "--model", "svc", "--train", s, "--tol", "0.01", "--kernel", "rbf()", "--out", out);
        assertEquals(0, smo.code(), smo.err());
    }

    // 4. --out checked before the work

    @Test
    void outputPathIsCheckedBeforeReadingOrTraining() throws IOException {
        Path model = fitKrr();
        Path broken = dir.resolve("broken.csv"); // reading it would fail: the --out error must come first
        Files.writeString(broken, "a,y\n1,2\nx,3\n");
        String missingDir = dir.resolve("no/such/dir/out.zip").toString();
        String isDir = dir.toString();
        fails(1, List.of("does not exist"), "fit", "--train", broken.toString(), "--kernel", "rbf()", "--out", missingDir);
        fails(1, List.of("is a directory"), "fit", "--train", broken.toString(), "--kernel", "rbf()", "--out", isDir);
        fails(1, List.of("does not exist"), "predict", "--model", model.toString(), "--data", broken.toString(), "--out",
                missingDir);
        fails(1, List.of("does not exist"), "gram", "--data", broken.toString(), "--kernel", "rbf()", "--out", missingDir);
        // the Gram matrix is NumPy binary: a name promising another format is refused, nothing written
        fails(2, List.of("name it *.npy"), "gram", "--data", broken.toString(), "--kernel", "rbf()", "--out",
                dir.resolve("K.csv").toString());
        fails(1, List.of("is a directory"), "kde", "fit", "--data", broken.toString(), "--out", isDir);
        fails(1, List.of("does not exist"), "plot", "--model", model.toString(), "--out", dir.resolve("no/p.png").toString());
        fails(1, List.of("does not exist"), "kde", "sample", "--model", model.toString(), "--out", missingDir);
        // the output may not be the input it reads
        byte[] before = Files.readAllBytes(train);
        fails(1, List.of("input file"), "predict", "--model", model.toString(), "--data", train.toString(), "--out",
                train.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(train));
    }

    // 5. output files get the user's umask

    @Test
    void outputFilesFollowTheUmaskAndKeepTheirMode() throws IOException {
        Path reference = Files.createFile(dir.resolve("reference")); // what the umask gives a new file
        Path fresh = dir.resolve("fresh.txt");
        org.kernels4j.io.AtomicFiles.writeString(fresh, "x");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(fresh));
        Path model = fitKrr();
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(model));
        var shared = java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(model, shared);
        assertEquals(0, run("fit", "--train", train.toString(), "--kernel", "rbf()", "--out", model.toString()).code());
        assertEquals(shared, Files.getPosixFilePermissions(model), "a replaced file keeps its mode");
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    // 6. non-finite results are errors

    @Test
    void overflowingGramMatrixIsRefused() throws IOException {
        Path small = dir.resolve("small.csv");
        Files.write(small, csv("a,b", 20, i -> 3 * Math.sin(i) + "," + 3 * Math.cos(i)));
        fails(1, List.of("non-finite", "poly(degree=1000"), "gram", "--data", small.toString(), "--kernel",
                "poly(degree=1000)", "--out", dir.resolve("k.npy").toString());
    }

    @Test
    void hugeTargetsGiveAnErrorNotAnInfiniteModel() throws IOException {
        Path big = dir.resolve("big.csv");
        Files.write(big, csv("a,b,y", 30, i -> Math.sin(i) + "," + Math.cos(i) + "," + 1e300 * (1 + Math.sin(3 * i))));
        String out = dir.resolve("m.zip").toString();
        for (String m : List.of("krr", "gp", "svr")) {
            Run r = fails(1, List.of("overflow"), "fit", "--model", m, "--train", big.toString(), "--kernel", "rbf()",
                    "--out", out, "--no-progress");
            assertTrue(r.err().contains("scale"), r.err());
        }
    }

    @Test
    void lambdaBelowRoundingIsRefused() throws IOException {
        fails(1, List.of("lambda", "rounding"), "fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.1)",
                "--lambda", "auto", "--lambda-grid", "1e-300:1e-290:3", "--out", dir.resolve("m.zip").toString());
    }

    // 7. kde: privacy options, a useless epsilon, constant features

    @Test
    void kdePrivacyOptionsNeedPrivate() throws IOException {
        fails(2, List.of("--epsilon", "--private"), "kde", "fit", "--data", train.toString(), "--epsilon", "0.5", "--out",
                dir.resolve("k.zip").toString());
        fails(2, List.of("--range", "--private"), "kde", "fit", "--data", train.toString(), "--range", "0:1", "--out",
                dir.resolve("k.zip").toString());
        // each release refuses the other's options rather than ignoring them
        fails(2, List.of("--bandwidth", "distance-sum release"), "kde", "fit", "--data", train.toString(), "--private",
                "--distance", "l1", "--range", "-5:5", "--bandwidth", "0.5", "--out", dir.resolve("k.zip").toString());
        fails(2, List.of("--kernel", "distance-sum release"), "kde", "fit", "--data", train.toString(), "--private",
                "--distance", "l1", "--range", "-5:5", "--kernel", "exponential", "--out", dir.resolve("k.zip").toString());
        fails(2, List.of("--levels", "kernel-sum release", "--distance"), "kde", "fit", "--data", train.toString(),
                "--private", "--bandwidth", "1", "--levels", "4", "--out", dir.resolve("k.zip").toString());
        Run r = run("kde", "fit", "--data", train.toString(), "--private", "--bandwidth", "1", "--epsilon", "1e300",
                "--seed", "1", "--out", dir.resolve("k.zip").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning") && r.err().contains("no meaningful privacy"), r.err());
    }

    @Test
    void kdeConstantFeatureIsAClearError() throws IOException {
        Path constant = dir.resolve("constant.csv");
        Files.write(constant, csv("a,b", 20, i -> Math.sin(i) + ",5"));
        fails(1, List.of("'b'", "constant"), "kde", "fit", "--data", constant.toString(), "--out",
                dir.resolve("k.zip").toString());
    }

    // 8. evaluate on labels the model never saw

    @Test
    void evaluateSaysWhichLabelsTheModelNeverSaw() throws IOException {
        Path labelled = dir.resolve("labels.csv");
        Files.write(labelled, csv("a,b,label", 40, i -> Math.sin(i) + "," + Math.cos(i) + "," + (Math.sin(i) > 0 ? 1 : 2)));
        Path model = dir.resolve("svc.zip");
        assertEquals(0, run("fit", "--model", "svc", "--train", labelled.toString(), "--kernel", "rbf()", "--out",
                model.toString()).code());
        Path other = dir.resolve("other.csv");
        Files.write(other, csv("a,b,label", 10, i -> Math.sin(i) + "," + Math.cos(i) + "," + (i < 3 ? 7 : 1)));
        Run r = run("evaluate", "--model", model.toString(), "--data", other.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: 3 of 10 rows") && r.err().contains("(7;"), r.err());
    }

    // 12. same command, same seed: the same bytes

    @Test
    void sameFitGivesByteIdenticalModelFiles() throws IOException, InterruptedException {
        Path a = fitKrr();
        byte[] first = Files.readAllBytes(a);
        Thread.sleep(2100); // zip timestamps have a two-second resolution
        Path b = dir.resolve("b.zip");
        assertEquals(0, run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "0.01",
                "--out", b.toString(), "--no-progress").code());
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, Files.readAllBytes(b));
    }

    // 9. deep nesting

    @Test
    void deeplyNestedKernelSpecIsRefused() throws IOException {
        String spec = "(".repeat(10_000) + "rbf()" + ")".repeat(10_000);
        fails(2, List.of("nested deeper than"), "gram", "--data", train.toString(), "--kernel", spec, "--out",
                dir.resolve("k.npy").toString());
    }

    @Test
    void deeplyNestedModelJsonIsRefused() throws Exception {
        byte[] json = ("{\"format\": \"kernels4j-model\", \"version\": 1, \"kind\": \"krr\", \"x\": "
                + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path model = writeModelZip("deep.zip", java.util.Map.of("model.json", json));
        fails(1, List.of("nested deeper than"), "evaluate", "--model", model.toString(), "--data", train.toString());
    }

    /** A model archive with these entries and a correct checksums.sha256. */
    Path writeModelZip(String name, java.util.Map<String, byte[]> entries) throws Exception {
        Path file = dir.resolve(name);
        StringBuilder sums = new StringBuilder();
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                sums.append(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(e.getValue()))).append("  ").append(e.getKey()).append('\n');
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            zip.putNextEntry(new java.util.zip.ZipEntry("checksums.sha256"));
            zip.write(sums.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    // 10. what cannot fit is refused up front, with the numbers (a subprocess with a small heap)

    /** The CLI as a real process: {@code java -Xmx... -cp <test class path> org.kernels4j.cli.Main args}. */
    static ProcessBuilder cli(String xmx, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-Xss1m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Runs the CLI as a process and checks exit code, one error line with {@code words}, no new file. */
    void processFails(int code, List<String> words, String xmx, String... args) throws Exception {
        List<Path> before = listing();
        Process p = cli(xmx, args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(code, p.exitValue(), err);
        assertEquals(1, lines.size(), err);
        for (String w : words) {
            assertTrue(err.contains(w), "'" + w + "' in: " + err);
        }
        assertEquals(before, listing(), "no file created or removed");
    }

    @Test
    void hugeLibSvmIndexIsRefusedWithTheSize() throws Exception {
        Path svm = dir.resolve("huge.libsvm");
        Files.writeString(svm, "1 1:0.5 300000000:1\n-1 2:1\n");
        processFails(1, List.of("300000000", "GB"), "256m", "gram", "--data", svm.toString(), "--kernel", "linear()",
                "--out", dir.resolve("k.npy").toString());
    }

    @Test
    void modelEntryDeclaringTwoGigabytesIsRefused() throws Exception {
        Path model = fitKrr();
        byte[] zip = Files.readAllBytes(model);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 < zip.length; i++) { // every central directory header: uncompressed size at +24
            if (b.getInt(i) == 0x02014b50) {
                b.putInt(i + 24, 2_000_000_000);
            }
        }
        Path forged = dir.resolve("forged.zip");
        Files.write(forged, zip);
        processFails(1, List.of("2000000000 bytes", "heap"), "256m", "evaluate", "--model", forged.toString(), "--data",
                train.toString());
    }

    @Test
    void exactKernelRidgeBeyondTheHeapSuggestsNystrom() throws Exception {
        Path rows = dir.resolve("rows.csv");
        Files.write(rows, csv("a,y", 6000, i -> i + "," + (i % 3)));
        processFails(1, List.of("6000 x 6000", "GB", "--solver nystrom"), "256m", "fit", "--train", rows.toString(),
                "--kernel", "rbf()", "--out", dir.resolve("m.zip").toString());
    }

    // 13. help text

    /**
     * Two outputs of one command naming the same file: refused before anything is written (the second output used to
     * replace the first silently: a privacy ledger overwritten by the release it charged, a table by its plot), and a
     * ledger that is not text is named as such.
     */
    /** A one-class model has no target: a column beyond its features is refused, not read as a target. */
    @Test
    void oneClassModelRefusesAnExtraColumn() throws IOException {
        String model = dir.resolve("oc.zip").toString();
        Path x = dir.resolve("x.csv");
        Files.write(x, csv("a,b,c", 30, i -> (i % 5) + "," + (i % 3) + "," + (i % 7)));
        assertEquals(0, run("fit", "--model", "oneclass", "--train", x.toString(), "--target", "none", "--kernel",
                "rbf(gamma=0.5)", "--out", model).code());
        Path extra = dir.resolve("extra.csv");
        Files.write(extra, csv("a,b,c,d", 5, i -> i + ",1,2,3"));
        fails(1, List.of("unknown 'd'"), "predict", "--model", model, "--data", extra.toString(), "--out",
                dir.resolve("p.csv").toString());
        Path bare = dir.resolve("bare.csv");
        Files.write(bare, List.of("1,2,3,4", "2,3,4,5"));
        Run r = fails(1, List.of("has 4 columns but the model expects 3 features"), "predict", "--model", model,
                "--data", bare.toString(), "--out", dir.resolve("p.csv").toString());
        assertFalse(r.err().contains("target"), r.err());
    }

    @Test
    void twoOutputsOnOneFileAreRefused() throws IOException {
        String t = train.toString();
        String same = dir.resolve("same.zip").toString();
        fails(2, List.of("--out and --ledger name the same file"), "kde", "fit", "--data", t, "--ignore", "y",
                "--private", "--bandwidth", "0.5", "--ledger", same, "--budget", "1", "--out", same);
        fails(2, List.of("--out and --ledger name the same file"), "fit", "--model", "private-similarity", "--train", t,
                "--kernel", "rbf()", "--ledger", same, "--out", same);
        fails(2, List.of("--out and --save name the same file"), "cluster", "--data", t, "--kernel", "rbf(gamma=0.5)",
                "--clusters", "2", "--out", same, "--save", same);
        fails(2, List.of("spectral clustering labels the given rows only"), "cluster", "--data", t, "--kernel",
                "rbf(gamma=0.5)", "--method", "spectral", "--clusters", "2", "--out", dir.resolve("c.csv").toString(),
                "--save", dir.resolve("c.zip").toString());
        fails(2, List.of("--out and --plot name the same file"), "kpca", "--data", t, "--kernel", "rbf(gamma=0.5)",
                "--components", "2", "--out", dir.resolve("k.png").toString(), "--plot", dir.resolve("k.png").toString());
        Path edges = dir.resolve("edges.csv");
        Files.writeString(edges, "a,b\nb,c\nc,a\n");
        fails(2, List.of("--out and --nodes name the same file"), "graph-kernel", "--graph", edges.toString(),
                "--measure", "forest", "--t", "1", "--out", dir.resolve("g.npy").toString(), "--nodes",
                dir.resolve("g.npy").toString());
        fails(2, List.of("is written as a NumPy .npy file"), "graph-kernel", "--graph", edges.toString(), "--measure",
                "forest", "--t", "1", "--out", dir.resolve("K.csv").toString());
        // a binary file given as the ledger
        Path notText = dir.resolve("release.zip");
        Files.write(notText, new byte[] {(byte) 0x50, (byte) 0x4b, (byte) 0xff, (byte) 0xfe, 0, 1});
        fails(1, List.of("cannot read the privacy ledger", "it is not a text file"), "kde", "fit", "--data", t,
                "--ignore", "y", "--private", "--bandwidth", "0.5", "--ledger", notText.toString(), "--out",
                dir.resolve("r.zip").toString());
    }

    @Test
    void helpHasNoPicocliWarnings() {
        picocli.CommandLine root = Main.fullCommandLine();
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of());
        root.getSubcommands().forEach((name, sub) -> {
            commands.add(List.of(name));
            sub.getSubcommands().keySet().forEach(inner -> commands.add(List.of(name, inner)));
        });
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            for (List<String> c : commands) {
                List<String> args = new ArrayList<>(c);
                args.add("--help");
                Run r = run(args.toArray(new String[0]));
                assertEquals(0, r.code(), args + ": " + r.err());
                assertFalse((r.out() + r.err()).contains("WARN"), args + ": " + r.out() + r.err());
            }
        } finally {
            System.setErr(saved);
        }
        assertFalse(captured.toString().contains("picocli WARN"), captured.toString());
        root.getSubcommands().forEach((name, sub) -> {
            String[] d = sub.getCommandSpec().usageMessage().description();
            if (d.length > 0) { // the top-level list shows the first line alone: it must be a whole sentence
                assertTrue(d[0].strip().endsWith("."), name + ": cut mid-sentence in the command list: " + d[0]);
            }
        });
    }

    // 11. Ctrl-C / SIGTERM stops at once, leaves no temporary file and keeps existing output

    /**
     * Signals at three moments: JVM start and reading, the Gram matrix, and LAPACK's eigendecomposition
     * (which moment each delay hits depends on the machine's load). The last one once hung for good: the JVM's
     * exit ran OpenBLAS's destructor, which waited for a worker thread that never woke. Each run must end by
     * the signal within seconds, keep the previous output and leave no temporary file.
     */
    @ParameterizedTest
    @ValueSource(ints = {1500, 2500, 3500})
    void terminatedFitStopsQuicklyAndLeavesNoTemporaryFile(int delayMillis) throws Exception {
        Path rows = dir.resolve("rows.csv");
        Files.write(rows, csv("a,b,y", 3000, i -> Math.sin(i) + "," + Math.cos(0.3 * i) + "," + Math.sin(0.1 * i)));
        Path model = dir.resolve("m.zip");
        Files.writeString(model, "previous output");
        Process p = cli("1g", "fit", "--train", rows.toString(), "--kernel", "rbf()", "--lambda", "auto", "--lambda-grid",
                "1e-3:1:200", "--out", model.toString(), "--no-progress").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(delayMillis);
        long start = System.nanoTime();
        p.destroy(); // SIGTERM
        boolean ended = p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "stopped within seconds");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "took " + seconds + " s");
        assertEquals(143, p.exitValue(), "ended by the signal, not finished or failed before it");
        assertEquals("previous output", Files.readString(model), "the existing output is kept");
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
