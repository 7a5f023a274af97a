package org.kernels4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.string.StringKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * The normalized k-spectrum Gram matrix of n random DNA strings of length L ({@link StringKernel},
 * k-mer counting into sparse vectors and sparse dot products) against a NumPy/SciPy port of the
 * scikit-learn route ({@code bench/spectrum_port.py}: CountVectorizer's character n-gram counting,
 * then X·Xᵀ with scipy.sparse) on the same strings, written to {@code strings.txt}. All figures come
 * from one run: each side's best of {@code reps} (ours after one warm-up), the ratio, and the largest
 * difference between the two Gram matrices.
 */
public final class StringKernelBenchmark {
    private StringKernelBenchmark() {
    }

    /**
     * @param python the interpreter for the peer, or null to skip it
     * @param script path of {@code bench/spectrum_port.py}
     * @param workDir where the strings and the peer's Gram matrix are written
     */
    public record Options(int n, int length, int k, int reps, long seed, String python, Path script, Path workDir) {
        /** The issue's case: n = 2,000 strings of length 200, k = 5. */
        public static Options issue(Path script, Path workDir) {
            return new Options(2_000, 200, 5, 3, 1, "python3", script, workDir);
        }
    }

    /**
     * One run's figures; peer fields NaN when it was skipped.
     *
     * @param maxDifference the largest |K_ours − K_peer|
     */
    public record Result(int n, int length, int k, double oursSeconds, double peerSeconds, double maxDifference,
            int threads) {
        /** Peer time / our time. */
        public double speedup() {
            return peerSeconds / oursSeconds;
        }
    }

    /** n seeded random strings over ACGT of the given length. */
    public static List<String> dna(int n, int length, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            char[] c = new char[length];
            for (int p = 0; p < length; p++) {
                c[p] = "ACGT".charAt(r.nextInt(4));
            }
            out.add(new String(c));
        }
        return out;
    }

    /** Runs the comparison; {@code log} receives a line per step. */
    public static Result run(Options o, Consumer<String> log) {
        List<String> texts = dna(o.n(), o.length(), o.seed());
        StringKernel kernel = StringKernel.spectrum(o.k());
        Matrix gram = null;
        double ours = Double.MAX_VALUE;
        for (int r = 0; r <= o.reps(); r++) { // run 0 warms up the JIT
            long t0 = System.nanoTime();
            gram = kernel.gram(texts);
            double s = (System.nanoTime() - t0) / 1e9;
            log.accept(String.format(java.util.Locale.ROOT, "kernels4j %s gram %.3f s", kernel.toSpec(), s));
            if (r > 0 || o.reps() == 0) {
                ours = Math.min(ours, s);
            }
        }
        double peer = Double.NaN;
        double diff = Double.NaN;
        if (o.python() != null) {
            Exports.createDirectory(o.workDir());
            Path data = o.workDir().resolve("strings.txt");
            Path out = o.workDir().resolve("spectrum_peer_gram.npy");
            try {
                Files.write(data, texts, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new Kernels4jException("cannot write " + data + ": " + e.getMessage());
            }
            String line = runPeer(o, data, out);
            log.accept("peer: " + line);
            peer = Double.parseDouble(line.trim().split("\\s+")[1]);
            diff = gram.maxAbsDifference(Npy.read(out));
        }
        return new Result(o.n(), o.length(), o.k(), ours, peer, diff, Parallelism.threads());
    }

    private static String runPeer(Options o, Path data, Path out) {
        ProcessBuilder pb = new ProcessBuilder(o.python(), o.script().toString(), data.toString(), "--k",
                Integer.toString(o.k()), "--reps", Integer.toString(Math.max(1, o.reps())), "--out", out.toString());
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new Kernels4jException("the spectrum-kernel peer failed: " + text.trim());
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("seconds ")) {
                    return line;
                }
            }
            throw new Kernels4jException("the spectrum-kernel peer printed no timing: " + text.trim());
        } catch (IOException e) {
            throw new Kernels4jException("cannot run " + o.python() + " " + o.script() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Kernels4jException("interrupted while waiting for the spectrum-kernel peer");
        }
    }
}
