package org.kernels4j.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.LibSvmReader;

/**
 * {@code bench read}: how fast the CSV and LibSVM readers turn a text file into a matrix, in MB/s of file. The
 * file is the one given or a seeded synthetic one: n rows of d values drawn from N(0, 1) written with 17
 * significant digits ({@code %.17g}, the round-trip form NumPy's {@code savetxt} also writes with {@code fmt="%.17g"}),
 * and a last column of labels; the LibSVM file keeps each row's nonzero entries, a fraction {@code density} of
 * them. Time is the least of {@code reps} whole reads (open, parse, build the matrix) after one untimed warm-up
 * read (JIT compilation). The peer, bench/read_peer.py, times NumPy's {@code loadtxt} (CSV) and scikit-learn's
 * {@code load_svmlight_file} (LibSVM, Cython) on the very same files, the same way, and checks that its matrix equals
 * ours.
 */
public final class ReadBenchmark {
    /**
     * What to run.
     *
     * @param rows synthetic rows (ignored with a file)
     * @param cols synthetic features (ignored with a file)
     * @param density the fraction of nonzero features in the synthetic LibSVM file, in (0, 1]
     * @param dir where the synthetic files are written (data.csv, data.libsvm)
     * @param reps timed reads of each file
     * @param seed data seed
     * @param python the interpreter for the peer (bench/read_peer.py: NumPy's loadtxt, scikit-learn's
     *     load_svmlight_file), or null to skip it
     * @param script the peer script
     */
    public record Options(int rows, int cols, double density, Path dir, int reps, long seed, String python,
            Path script) {
        /** Checks the sizes. */
        public Options {
            if (rows < 1 || cols < 1 || reps < 1 || !(density > 0 && density <= 1)) {
                throw new IllegalArgumentException("rows, cols and reps must be >= 1 and density in (0, 1], got " + rows
                        + ", " + cols + ", " + reps + " and " + density);
            }
        }
    }

    /**
     * One file read.
     *
     * @param format csv or libsvm
     * @param file the file
     * @param bytes its size
     * @param rows rows read
     * @param cols features read
     * @param seconds the least time of the timed reads
     * @param peerSeconds the peer's least time on the same file and repetitions, NaN without a peer
     * @param peerMaxDifference the largest difference between the peer's matrix and ours, NaN without a peer
     */
    public record Row(String format, Path file, long bytes, int rows, int cols, double seconds, double peerSeconds,
            double peerMaxDifference) {
        /** File megabytes (10⁶ bytes) per second. */
        public double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }

        /** The peer's time over ours (above 1: we are faster). */
        public double speedup() {
            return peerSeconds / seconds;
        }
    }

    private ReadBenchmark() {
    }

    /** Writes the two synthetic files and times reading each. */
    public static Row[] run(Options o) {
        Exports.createDirectory(o.dir());
        Path csv = o.dir().resolve("data.csv");
        Path svm = o.dir().resolve("data.libsvm");
        write(o, csv, svm);
        return new Row[] {time("csv", csv, o), time("libsvm", svm, o)};
    }

    /** Times reading one file ("csv" or "libsvm"), and the peer on it. */
    public static Row time(String format, Path file, Options o) {
        int reps = o.reps();
        Dataset warm = read(format, file);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Dataset d = read(format, file);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            warm = d;
        }
        double peer = Double.NaN;
        double diff = Double.NaN;
        if (o.python() != null) {
            Path ours = o.dir().resolve("ours_" + format + ".npy");
            org.kernels4j.io.Npy.write(warm.features(), ours);
            String[] line = runPeer(o, format, file, ours).split(" ");
            peer = Double.parseDouble(line[1]);
            diff = Double.parseDouble(line[3]);
        }
        try {
            return new Row(format, file, Files.size(file), warm.features().rows(), warm.features().cols(), best, peer,
                    diff);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the peer; returns its line "seconds S max_difference D". */
    private static String runPeer(Options o, String format, Path file, Path ours) {
        ProcessBuilder pb = new ProcessBuilder(o.python(), o.script().toString(), format, file.toString(),
                Integer.toString(o.reps()), ours.toString());
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, java.util.concurrent.TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new org.kernels4j.Kernels4jException("the read peer failed: " + text.trim());
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("seconds ")) {
                    return line.trim();
                }
            }
            throw new org.kernels4j.Kernels4jException("the read peer printed no timing: " + text.trim());
        } catch (IOException e) {
            throw new org.kernels4j.Kernels4jException("cannot run " + o.python() + " " + o.script() + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.kernels4j.Kernels4jException("interrupted while waiting for the read peer");
        }
    }

    private static Dataset read(String format, Path file) {
        return format.equals("libsvm") ? LibSvmReader.read(file, 0) : CsvReader.builder().build().read(file);
    }

    private static void write(Options o, Path csv, Path svm) {
        SplittableRandom rnd = new SplittableRandom(o.seed());
        try (Writer c = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
                Writer s = Files.newBufferedWriter(svm, StandardCharsets.UTF_8)) {
            StringBuilder head = new StringBuilder();
            for (int j = 0; j < o.cols(); j++) {
                head.append('x').append(j).append(',');
            }
            c.write(head.append("y\n").toString());
            StringBuilder lc = new StringBuilder();
            StringBuilder ls = new StringBuilder();
            for (int i = 0; i < o.rows(); i++) {
                lc.setLength(0);
                ls.setLength(0);
                int label = rnd.nextInt(2);
                ls.append(label);
                for (int j = 0; j < o.cols(); j++) {
                    double v = rnd.nextDouble() < o.density() ? gaussian(rnd) : 0;
                    String text = String.format(Locale.ROOT, "%.17g", v);
                    lc.append(text).append(',');
                    if (v != 0) {
                        ls.append(' ').append(j + 1).append(':').append(text);
                    }
                }
                c.write(lc.append(label).append('\n').toString());
                s.write(ls.append('\n').toString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
