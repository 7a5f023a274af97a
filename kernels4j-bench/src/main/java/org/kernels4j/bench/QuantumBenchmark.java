package org.kernels4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.quantum.FidelityKernel;
import org.kernels4j.kernel.quantum.PauliFeatureMap;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * {@code bench quantum}: the Gram matrix of the ZZ fidelity kernel zz(reps=2, entanglement=full, alpha=2) on n points
 * uniform in [0, 2π)^q, q qubits; the time includes the state preparation (every state computed once, then the
 * symmetric tiles as complex GEMMs). With an export directory it writes the points and the Gram matrix as .npy and
 * the times as times.csv, for {@code bench/quantum_numpy.py}, which computes the same matrix with a vectorised NumPy
 * statevector simulation, checks agreement and prints the time ratio.
 *
 * <p>Memory of the computation: the states, 16·2^q bytes per point, plus one t×t complex tile per thread (t =
 * {@link GramEngine#tileSize()}); the n×n result (8n² bytes) comes on top. {@link #maxQubits} is the largest q whose
 * states and tiles fit a budget.
 */
public final class QuantumBenchmark {
    /**
     * What to run: pairs (qubits[i], n[i]).
     *
     * @param qubits qubit counts (= features)
     * @param n points per qubit count
     * @param seed data seed
     * @param exportDir where to write points/gram .npy and times.csv, or null
     * @param reps timed runs; the least time is reported
     */
    public record Options(int[] qubits, int[] n, long seed, Path exportDir, int reps) {
    }

    /**
     * One Gram matrix.
     *
     * @param qubits q
     * @param n points
     * @param seconds wall-clock seconds of the Gram matrix, states included (least of the reps)
     * @param stateBytes memory of the states, 16·2^q·n
     * @param maxQubits8GiB the largest q whose n states plus one tile per thread fit 8 GiB
     */
    public record Row(int qubits, int n, double seconds, long stateBytes, int maxQubits8GiB) {
    }

    private QuantumBenchmark() {
    }

    /** n rows uniform in [0, 2π)^q, seeded. */
    public static Matrix points(int n, int q, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, q);
        double[] a = x.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = 2 * Math.PI * r.nextDouble();
        }
        return x;
    }

    /** The benchmarked kernel, Qiskit's ZZFeatureMap defaults. */
    public static FidelityKernel kernel() {
        return new FidelityKernel(PauliFeatureMap.zz(2, "full", 2));
    }

    /** The largest q with 16·2^q·n + 16·t²·threads ≤ budget bytes (0 when not even one qubit fits). */
    public static int maxQubits(int n, long budget, int threads) {
        long tile = 16L * GramEngine.tileSize() * GramEngine.tileSize() * threads;
        int best = 0;
        for (int q = 1; q <= PauliFeatureMap.MAX_QUBITS; q++) {
            if ((16L << q) * n + tile <= budget) {
                best = q;
            }
        }
        return best;
    }

    /** Runs every pair, handing each row to {@code sink} as soon as it is measured. */
    public static List<Row> run(Options o, Consumer<Row> sink) {
        List<Row> rows = new ArrayList<>();
        Exports.createDirectory(o.exportDir());
        FidelityKernel k = kernel();
        GramEngine.gram(k, points(64, 4, o.seed() - 1)); // warm-up: JIT and native BLAS loading
        StringBuilder times = new StringBuilder("qubits,n,seconds,threads\n");
        for (int i = 0; i < o.qubits().length; i++) {
            int q = o.qubits()[i];
            int n = o.n()[i];
            Matrix x = points(n, q, o.seed() + q);
            Matrix g = null;
            double sec = Double.POSITIVE_INFINITY;
            for (int rep = 0; rep < Math.max(1, o.reps()); rep++) {
                g = null;
                long t0 = System.nanoTime();
                g = GramEngine.gram(k, x);
                sec = Math.min(sec, (System.nanoTime() - t0) / 1e9);
            }
            Row r = new Row(q, n, sec, (16L << q) * n, maxQubits(n, 8L << 30, Parallelism.threads()));
            rows.add(r);
            sink.accept(r);
            times.append(q).append(',').append(n).append(',').append(sec).append(',').append(Parallelism.threads())
                    .append('\n');
            if (o.exportDir() != null) {
                Npy.write(x, o.exportDir().resolve("points_q" + q + "_n" + n + ".npy"));
                Npy.write(g, o.exportDir().resolve("gram_q" + q + "_n" + n + ".npy"));
                AtomicFiles.writeString(o.exportDir().resolve("times.csv"), times.toString());
            }
        }
        return rows;
    }
}
