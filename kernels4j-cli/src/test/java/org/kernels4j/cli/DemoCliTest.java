package org.kernels4j.cli;

import static org.kernels4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.kernel.KernelSpec;

/** The demo: every section runs and prints, the plot replaces its file atomically, and bad --plot values fail early. */
class DemoCliTest {
    @TempDir
    Path dir;


    @Test
    void theTourRunsEverySectionAndWritesThePlot() throws Exception {
        Path plot = dir.resolve("gp.png");
        Files.writeString(plot, "an older file the demo replaces");
        Run r = run("demo", "--quick", "--plot", plot.toString()); // the full tour takes ~10 s more; same code
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        for (String section : List.of("1. Kernel ridge regression on diabetes (354 train / 88 test rows",
                "2. RBF against the infinitely wide network", "3. Support vector machine on heart_scale (216 train / 54 test",
                "4. Gaussian process of the target against bmi alone (120 rows)", "Go further")) {
            assertTrue(out.contains(section), section + " in:\n" + out);
        }
        // the kernel table: one row per kernel; diabetes' R² lies near 0.5 for any reasonable smoother (ordinary
        // least squares gets 0.52 on all rows), so each row's test R² between 0.3 and 0.65 says the fits are sane
        for (String k : DemoCommand.QUICK_KERNELS) {
            String number = "([-+0-9.eE]+)";
            Matcher m = Pattern.compile("^   " + Pattern.quote(k) + " +" + number + " +" + number + " +" + number + " +"
                    + number + "$", Pattern.MULTILINE).matcher(out);
            assertTrue(m.find(), k + " row in:\n" + out);
            double r2 = Double.parseDouble(m.group(4));
            assertTrue(r2 > 0.3 && r2 < 0.65, k + ": test r2 " + r2);
        }
        assertTrue(out.contains("max prediction difference 0.0"), out);
        // LIBSVM reaches about 0.84 five-fold accuracy on heart_scale with these settings
        Matcher acc = Pattern.compile("accuracy: train (\\S+), test (\\S+)").matcher(out);
        assertTrue(acc.find(), out);
        assertTrue(Double.parseDouble(acc.group(2)) > 0.7, "svm test accuracy " + acc.group(2));
        // the learned kernel is a valid spec, and differs from the start
        Matcher learned = Pattern.compile("learned: (.+)").matcher(out);
        assertTrue(learned.find(), out);
        String spec = learned.group(1).trim();
        assertEquals(spec, KernelSpec.parse(spec).toSpec());
        assertTrue(!spec.equals(KernelSpec.parse(DemoCommand.GP_START).toSpec()), "hyperparameters moved: " + spec);
        // the plot: a whole PNG replaced the older file, and no temporary file is left beside it
        byte[] png = Files.readAllBytes(plot);
        assertTrue(png.length > 1000, "png of " + png.length + " bytes");
        assertEquals(List.of((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G'),
                List.of(png[0], png[1], png[2], png[3]));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(plot), files.toList());
        }
        assertTrue(out.contains("wrote " + plot + ": the mean +/- 2 sd and the 120 training points"), out);
    }

    @Test
    void badPlotPathsFailBeforeAnyWork() {
        Run txt = run("demo", "--plot", dir.resolve("gp.txt").toString());
        assertEquals(2, txt.code());
        assertEquals(1, txt.err().lines().count(), txt.err());
        assertTrue(txt.err().contains("--plot must end in .png or .svg"), txt.err());
        assertEquals("", txt.out(), "nothing ran");

        Run missing = run("demo", "--plot", dir.resolve("no/such/dir/gp.png").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        assertEquals("", missing.out());
    }
}
