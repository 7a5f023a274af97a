package org.kernels4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.thinning.CompressPlusPlus;
import org.kernels4j.thinning.Coreset;
import org.kernels4j.thinning.Mmd;
import org.kernels4j.thinning.Thinner;
import org.kernels4j.thinning.Thinning;

/**
 * {@code bench thin}: Compress++ on n points of N(0, I_d) to s points, and, on a smaller n where O(n²) kernel
 * thinning fits, KT and Compress++ on the same points. Kernel: Gaussian exp(−‖x−y‖²/(2σ²)) with σ² = 2d (the
 * bandwidth goodpoints' experiments use), so γ = 1/(4d). Quality: the closed-form MMD to the target N(0, I_d)
 * ({@link Mmd.GaussianTarget}) for every coreset, and at the KT size also the MMD to the input sample (n² kernel
 * values). i.i.d. thinning to the same size is listed as the baseline. Times are wall-clock seconds of the
 * {@code thin} call alone (no MMD; the least of {@code reps} runs), after one untimed warm-up of KT and Compress++ on up to 4096 points (JIT compilation).
 */
public final class ThinningBenchmark {
    /**
     * What to run.
     *
     * @param large n for the Compress++-only rows (e.g. 2^20)
     * @param ktN n for the KT-vs-Compress++ rows (e.g. 2^14); 0 skips them
     * @param dims feature counts
     * @param size output size of the Compress++ rows (√large for the usual use)
     * @param g Compress++ oversampling
     * @param seed data and thinning seed
     * @param exportDir where to write the KT rows' points (points_d{d}.npy) for bench/goodpoints_port.py, or null
     * @param reps timed runs of each method (the same seed, so the same coreset); the least time is reported
     */
    public record Options(int large, int ktN, int[] dims, int size, int g, long seed, Path exportDir, int reps) {
    }

    /**
     * One coreset.
     *
     * @param method kt, compress++ or iid
     * @param d features
     * @param n input rows
     * @param size output rows
     * @param seconds the thinning time
     * @param mmdToTarget MMD to N(0, I_d), closed form
     * @param mmdToSample MMD to the input sample, or NaN when not computed (the large rows)
     */
    public record Row(String method, int d, int n, int size, double seconds, double mmdToTarget, double mmdToSample) {
    }

    private ThinningBenchmark() {
    }

    /** n rows of N(0, I_d), seeded. */
    public static Matrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        double[] a = x.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        return x;
    }

    /** The Gaussian kernel with σ² = 2d. */
    public static Kernel kernel(int d) {
        return RbfKernel.withGamma(1.0 / (4.0 * d));
    }

    /** Runs everything, handing each row to {@code sink} as soon as it is measured. */
    public static List<Row> run(Options o, Consumer<Row> sink) {
        List<Row> rows = new ArrayList<>();
        Consumer<Row> both = r -> {
            rows.add(r);
            sink.accept(r);
        };
        Exports.createDirectory(o.exportDir());
        for (int d : o.dims()) {
            Kernel k = kernel(d);
            int warmN = 1;
            while (warmN * 4 <= Math.min(4096, Math.max(o.ktN(), o.large()))) {
                warmN *= 4;
            }
            if (warmN >= 16) {
                Matrix warm = gaussian(warmN, d, o.seed() - 1);
                int warmSize = (int) Math.round(Math.sqrt(warmN));
                Thinning.Method.KT.thinner(k).thin(warm, warmSize, 0);
                CompressPlusPlus.builder(k).oversampling(Math.min(o.g(), 2)).build().thin(warm, warmSize, 0);
            }
            Mmd.GaussianTarget target = Mmd.gaussianTarget(k, new double[d], Matrix.identity(d));
            if (o.ktN() > 0) {
                Matrix x = gaussian(o.ktN(), d, o.seed() + d);
                if (o.exportDir() != null) {
                    Npy.write(x, o.exportDir().resolve("points_d" + d + ".npy"));
                }
                int s = (int) Math.round(Math.sqrt(o.ktN()));
                Mmd.Sample sample = Mmd.sample(k, x);
                for (Thinner t : new Thinner[] {Thinning.Method.KT.thinner(k),
                    CompressPlusPlus.builder(k).oversampling(o.g()).build(), Thinning.iid()}) {
                    Coreset c = null;
                    double sec = Double.POSITIVE_INFINITY;
                    for (int rep = 0; rep < Math.max(1, o.reps()); rep++) {
                        long t0 = System.nanoTime();
                        c = t.thin(x, s, o.seed());
                        sec = Math.min(sec, (System.nanoTime() - t0) / 1e9);
                    }
                    both.accept(new Row(t.name(), d, o.ktN(), s, sec, target.of(x, c), sample.of(c)));
                }
            }
            if (o.large() > 0) {
                Matrix x = gaussian(o.large(), d, o.seed() + 100 + d);
                for (Thinner t : new Thinner[] {CompressPlusPlus.builder(k).oversampling(o.g()).build(), Thinning.iid()}) {
                    Coreset c = null;
                    double sec = Double.POSITIVE_INFINITY;
                    for (int rep = 0; rep < Math.max(1, o.reps()); rep++) {
                        long t0 = System.nanoTime();
                        c = t.thin(x, o.size(), o.seed());
                        sec = Math.min(sec, (System.nanoTime() - t0) / 1e9);
                    }
                    both.accept(new Row(t.name(), d, o.large(), o.size(), sec, target.of(x, c), Double.NaN));
                }
            }
        }
        return rows;
    }

    /**
     * One (d, g) cell of the Compress++-vs-KT quality sweep over seeds: per seed, data N(0, I_d) with seed
     * {@code 1000·seed + d} and thinning seed {@code seed}; ratios Compress++(g) / KT of the MMD to the sample and
     * to P, summarised by their median, least and largest value.
     *
     * @param ktToSample per seed, KT's MMD to the sample (shared by every g of that d)
     * @param toSample per seed, Compress++(g)'s MMD to the sample
     * @param seconds per seed, Compress++(g)'s time
     */
    public record QualityCell(int d, int n, int g, double[] ktToSample, double[] ktToTarget, double[] toSample,
            double[] toTarget, double[] ktSeconds, double[] seconds) {
        /** Compress++ / KT, MMD to the sample, per seed. */
        public double[] sampleRatios() {
            double[] r = new double[toSample.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = toSample[i] / ktToSample[i];
            }
            return r;
        }

        /** Compress++ / KT, MMD to P, per seed. */
        public double[] targetRatios() {
            double[] r = new double[toTarget.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = toTarget[i] / ktToTarget[i];
            }
            return r;
        }
    }

    /** The median of v (the mean of the middle two for an even count). */
    public static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }

    /**
     * Compress++ against KT on n points (√n out) over {@code seeds} seeds, for every g in {@code gs}, each d; the
     * cells go to {@code sink} as soon as they are done.
     */
    public static List<QualityCell> quality(int n, int[] dims, int[] gs, int seeds, Consumer<QualityCell> sink) {
        List<QualityCell> cells = new ArrayList<>();
        int s = (int) Math.round(Math.sqrt(n));
        for (int d : dims) {
            Kernel k = kernel(d);
            Mmd.GaussianTarget target = Mmd.gaussianTarget(k, new double[d], Matrix.identity(d));
            double[][][] perG = new double[gs.length][4][seeds];
            double[] ktSample = new double[seeds];
            double[] ktTarget = new double[seeds];
            double[] ktSeconds = new double[seeds];
            for (int seed = 1; seed <= seeds; seed++) {
                Matrix x = gaussian(n, d, 1000L * seed + d);
                Mmd.Sample sample = Mmd.sample(k, x);
                long t0 = System.nanoTime();
                Coreset kt = Thinning.Method.KT.thinner(k).thin(x, s, seed);
                ktSeconds[seed - 1] = (System.nanoTime() - t0) / 1e9;
                ktSample[seed - 1] = sample.of(kt);
                ktTarget[seed - 1] = target.of(x, kt);
                for (int gi = 0; gi < gs.length; gi++) {
                    t0 = System.nanoTime();
                    Coreset c = CompressPlusPlus.builder(k).oversampling(gs[gi]).build().thin(x, s, seed);
                    perG[gi][3][seed - 1] = (System.nanoTime() - t0) / 1e9;
                    perG[gi][0][seed - 1] = sample.of(c);
                    perG[gi][1][seed - 1] = target.of(x, c);
                }
            }
            for (int gi = 0; gi < gs.length; gi++) {
                QualityCell cell = new QualityCell(d, n, gs[gi], ktSample, ktTarget, perG[gi][0], perG[gi][1], ktSeconds,
                        perG[gi][3]);
                cells.add(cell);
                sink.accept(cell);
            }
        }
        return cells;
    }
}
