package org.kernels4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kernels4j.Kernels4jException;
import org.kernels4j.decomposition.KernelPca;
import org.kernels4j.decomposition.KernelPcaModel;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * Kernel PCA, rbf(γ = 1/d) (scikit-learn's default γ), k components, exact solver, against a faithful
 * NumPy/SciPy port of scikit-learn's {@code KernelPCA(eigen_solver="arpack").fit_transform}
 * ({@code bench/kpca_port.py}) on identical data: the seeded points of {@link SyntheticData#regression} are
 * written to {@code kpca_x.npy}, the script reads them and writes its eigenvalues and projections back.
 * All figures come from one run: the fit time of each side (best of {@code reps}, ours after one warm-up),
 * the speed ratio, the largest relative eigenvalue difference, the largest projection difference relative
 * to the largest projection, and our Gram matrix time over the GEMM time of the same shapes
 * ({@link GramVsGemm}).
 */
public final class KernelPcaBenchmark {
    private KernelPcaBenchmark() {
    }

    /**
     * @param python the interpreter to run the port with, or null to skip the peer
     * @param script path of {@code bench/kpca_port.py}
     * @param workDir where the data and the peer's results are written
     */
    public record Options(int n, int d, int components, int reps, long seed, String python, Path script,
            Path workDir) {
        /** The issue's case: n = 10,000, d = 20, 10 components. */
        public static Options issue(Path script, Path workDir) {
            return new Options(10_000, 20, 10, 1, 1, "python3", script, workDir);
        }

        /** A quick case (n = 2,000). */
        public static Options quick(Path script, Path workDir) {
            return new Options(2_000, 20, 10, 1, 1, "python3", script, workDir);
        }
    }

    /**
     * One run's figures; peer fields are NaN when the peer was skipped.
     *
     * @param oursSeconds our whole fit (Gram, centring statistics, eigenpairs, projections)
     * @param passes passes over the Gram matrix made by the eigensolver
     * @param gramSeconds our Gram matrix alone; {@code gemmSeconds} the dgemm of the same shapes
     */
    public record Result(int n, int d, int components, double gamma, String solver, double oursSeconds, long passes,
            double gramSeconds, double gemmSeconds, double peerSeconds, double maxEigenvalueRelativeDifference,
            double maxProjectionRelativeDifference, int threads) {
        /** Peer time / our time. */
        public double speedup() {
            return peerSeconds / oursSeconds;
        }

        /** Gram time / GEMM time. */
        public double gramToGemm() {
            return gramSeconds / gemmSeconds;
        }
    }

    /** Runs the comparison; {@code log} receives a line per step. */
    public static Result run(Options o, Consumer<String> log) {
        double gamma = 1.0 / o.d();
        Kernel kernel = RbfKernel.withGamma(gamma);
        Matrix x = SyntheticData.regression(o.n(), o.d(), o.seed()).x();
        KernelPca pca = KernelPca.builder(kernel).components(o.components()).solver(KernelPca.Solver.exact())
                .seed(o.seed()).build();
        KernelPcaModel model = null;
        double ours = Double.MAX_VALUE;
        for (int r = 0; r <= o.reps(); r++) { // run 0 warms up the JIT and the native libraries
            long t0 = System.nanoTime();
            model = pca.fit(x);
            double s = (System.nanoTime() - t0) / 1e9;
            log.accept(String.format(java.util.Locale.ROOT, "kernels4j fit %.3f s (%s)", s,
                    model.report().text("solver")));
            if (r > 0 || o.reps() == 0) {
                ours = Math.min(ours, s);
            }
        }
        GramVsGemm.Result gram = GramVsGemm.run(kernel, o.n(), o.d(), 1, o.seed(), s -> { });
        log.accept(String.format(java.util.Locale.ROOT, "gram %.3f s, gemm %.3f s", gram.gramSeconds(),
                gram.gemmSeconds()));
        double peer = Double.NaN;
        double eigDiff = Double.NaN;
        double projDiff = Double.NaN;
        if (o.python() != null) {
            Exports.createDirectory(o.workDir());
            Path data = o.workDir().resolve("kpca_x.npy");
            Path eig = o.workDir().resolve("kpca_peer_eigenvalues.npy");
            Path proj = o.workDir().resolve("kpca_peer_projections.npy");
            Npy.write(x, data);
            String line = runPeer(o, gamma, data, eig, proj);
            log.accept("peer: " + line);
            peer = Double.parseDouble(line.trim().split("\\s+")[1]);
            double[] theirs = Npy.read(eig).data();
            double[] mine = model.eigenvalues();
            eigDiff = 0;
            for (int j = 0; j < mine.length; j++) {
                eigDiff = Math.max(eigDiff, Math.abs(mine[j] - theirs[j]) / Math.abs(theirs[j]));
            }
            Matrix zp = Npy.read(proj);
            Matrix z = model.trainingProjections();
            double scale = 0;
            for (double v : zp.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            projDiff = z.maxAbsDifference(zp) / scale;
        }
        return new Result(o.n(), o.d(), o.components(), gamma, model.report().text("solver"), ours,
                (long) model.report().number("passes", 0), gram.gramSeconds(), gram.gemmSeconds(), peer, eigDiff,
                projDiff, Parallelism.threads());
    }

    private static String runPeer(Options o, double gamma, Path data, Path eig, Path proj) {
        ProcessBuilder pb = new ProcessBuilder(o.python(), o.script().toString(), data.toString(), "--gamma",
                Double.toString(gamma), "--components", Integer.toString(o.components()), "--reps",
                Integer.toString(Math.max(1, o.reps())), "--out", eig.toString(), "--projections", proj.toString());
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new Kernels4jException("the kernel PCA peer failed: " + out.trim());
            }
            for (String line : out.split("\n")) {
                if (line.startsWith("seconds ")) {
                    return line;
                }
            }
            throw new Kernels4jException("the kernel PCA peer printed no timing: " + out.trim());
        } catch (IOException e) {
            throw new Kernels4jException("cannot run " + o.python() + " " + o.script() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Kernels4jException("interrupted while waiting for the kernel PCA peer");
        }
    }

    /** Runs the issue's case (or {@code --quick}) from the repository root and prints the figures. */
    public static void main(String[] args) throws IOException {
        Path script = Path.of("bench/kpca_port.py");
        Path work = Files.createTempDirectory("kpca-bench");
        int n = 10_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--n")) {
                n = Integer.parseInt(args[++i]);
            }
        }
        Options o = new Options(n, 20, 10, 1, 1, "python3", script, work);
        Result r = run(o, System.out::println);
        System.out.println(r);
        System.out.printf(java.util.Locale.ROOT, "speedup %.2fx, max eigenvalue rel diff %.2e, projections %.2e, "
                + "gram/gemm %.2f%n", r.speedup(), r.maxEigenvalueRelativeDifference(),
                r.maxProjectionRelativeDifference(), r.gramToGemm());
    }
}
