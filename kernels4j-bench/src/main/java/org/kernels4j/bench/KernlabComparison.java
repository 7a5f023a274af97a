package org.kernels4j.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.kernels4j.Kernels4jException;
import org.kernels4j.cluster.SpectralClustering;
import org.kernels4j.decomposition.KernelPca;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.RelevanceVectorMachine;
import org.kernels4j.regression.RelevanceVectorModel;
import org.kernels4j.selection.ClusteringMetrics;
import org.kernels4j.svm.KernelQuantileRegression;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * {@code bench kernlab}: the kernels4j side of bench/kernlab-comparison.sh. Generates seeded synthetic data, writes
 * it as CSV (so R's kernlab reads the identical rows, bench/kernlab_peer.R), and times the kernels4j counterpart of
 * each kernlab function with kernlab's settings (RBF kernel exp(−σ‖x−y‖²) as rbf(gamma=σ), no input scaling):
 * <ul>
 *   <li>kpca: 5 components on the regression inputs; figure: λ_1/n (kernlab's {@code eig}).</li>
 *   <li>specc: 3 Gaussian blobs in 2-D (NJW spectral clustering); figure: adjusted Rand index against the blobs.</li>
 *   <li>kqr: τ = 0.9, C = 0.1 (kernlab's default C); figure: mean pinball loss on the test rows.</li>
 *   <li>rvm: regression, initial α = d, noise variance 0.1 (kernlab's defaults), 100 iterations; figure: test RMSE
 *       (and the number of relevance vectors).</li>
 *   <li>gausspr: GP regression with noise variance 0.01; figure: test RMSE.</li>
 *   <li>ksvm: C-SVC, C = 1, tolerance 10⁻³, 512 MiB cache; figure: test accuracy (and support vectors).</li>
 * </ul>
 * Times are wall-clock seconds of the fit alone (data in memory), after one untimed warm-up of every method on
 * min(300, n) rows (JIT compilation). Each side times itself, so process start-up and file reading are left out of both.
 */
public final class KernlabComparison {
    /** Regression inputs: d = 5; classification inputs: d = 10. */
    static final int REG_D = 5;
    static final int CLS_D = 10;
    static final double REG_SIGMA = 0.2;
    static final double CLS_SIGMA = 0.1;
    static final double BLOB_SIGMA = 0.5;

    /**
     * What to run.
     *
     * @param n training rows
     * @param test test rows
     * @param seed data seed
     * @param dir where the CSV files are written (created)
     * @param methods which of kpca, specc, kqr, rvm, gausspr, ksvm, ksvm-nu to run
     */
    public record Options(int n, int test, long seed, Path dir, List<String> methods) {
    }

    /**
     * One measurement.
     *
     * @param method the kernlab function name
     * @param n training rows
     * @param seconds fit time
     * @param metric what {@code value} is
     * @param value the figure
     * @param extra a second figure (support or relevance vectors), or NaN
     */
    public record Row(String method, int n, double seconds, String metric, double value, double extra) {
    }

    private KernlabComparison() {
    }

    /** The synthetic data sets. */
    record Data(Matrix regX, double[] regY, Matrix regXt, double[] regYt, Matrix clsX, double[] clsY, Matrix clsXt,
            double[] clsYt, Matrix blobs, int[] blobLabels) {
    }

    static Data data(int n, int test, long seed) {
        Random r = new Random(seed);
        Matrix rx = new Matrix(n, REG_D);
        double[] ry = new double[n];
        Matrix rxt = new Matrix(test, REG_D);
        double[] ryt = new double[test];
        fillRegression(rx, ry, r);
        fillRegression(rxt, ryt, r);
        Matrix cx = new Matrix(n, CLS_D);
        double[] cy = new double[n];
        Matrix cxt = new Matrix(test, CLS_D);
        double[] cyt = new double[test];
        fillClasses(cx, cy, r);
        fillClasses(cxt, cyt, r);
        Matrix b = new Matrix(n, 2);
        int[] bl = new int[n];
        double[][] centres = {{0, 0}, {4, 0}, {2, 3.5}};
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            bl[i] = c;
            b.set(i, 0, centres[c][0] + 0.9 * r.nextGaussian());
            b.set(i, 1, centres[c][1] + 0.9 * r.nextGaussian());
        }
        return new Data(rx, ry, rxt, ryt, cx, cy, cxt, cyt, b, bl);
    }

    /** y = sin(x1) + ½cos(2x2) + 0.3x3 + (0.2 + 0.2|x1|)ε: a smooth mean with heteroscedastic noise. */
    private static void fillRegression(Matrix x, double[] y, Random r) {
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                x.set(i, j, r.nextGaussian());
            }
            y[i] = Math.sin(x.get(i, 0)) + 0.5 * Math.cos(2 * x.get(i, 1)) + 0.3 * x.get(i, 2)
                    + (0.2 + 0.2 * Math.abs(x.get(i, 0))) * r.nextGaussian();
        }
    }

    /** label = sign(x1·x2 + ½sin(3x3) + 0.3ε) ∈ {−1, 1}. */
    private static void fillClasses(Matrix x, double[] y, Random r) {
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                x.set(i, j, r.nextGaussian());
            }
            y[i] = x.get(i, 0) * x.get(i, 1) + 0.5 * Math.sin(3 * x.get(i, 2)) + 0.3 * r.nextGaussian() > 0 ? 1 : -1;
        }
    }

    /** Writes the data sets as CSV with a header (last column the target or label). */
    static void write(Data d, Path dir) {
        try {
            Files.createDirectories(dir);
            csv(dir.resolve("reg_train.csv"), d.regX, d.regY);
            csv(dir.resolve("reg_test.csv"), d.regXt, d.regYt);
            csv(dir.resolve("cls_train.csv"), d.clsX, d.clsY);
            csv(dir.resolve("cls_test.csv"), d.clsXt, d.clsYt);
            double[] bl = new double[d.blobLabels.length];
            for (int i = 0; i < bl.length; i++) {
                bl[i] = d.blobLabels[i];
            }
            csv(dir.resolve("blobs.csv"), d.blobs, bl);
        } catch (IOException e) {
            throw new Kernels4jException("cannot write the benchmark data to " + dir + ": " + e.getMessage());
        }
    }

    private static void csv(Path file, Matrix x, double[] y) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            StringBuilder h = new StringBuilder();
            for (int j = 0; j < x.cols(); j++) {
                h.append('x').append(j + 1).append(',');
            }
            w.println(h.append('y'));
            for (int i = 0; i < x.rows(); i++) {
                StringBuilder s = new StringBuilder();
                for (int j = 0; j < x.cols(); j++) {
                    s.append(Double.toString(x.get(i, j))).append(',');
                }
                w.println(s.append(Double.toString(y[i])));
            }
        }
    }

    /** Runs the methods, handing each row to {@code sink} as soon as it is measured. */
    public static List<Row> run(Options o, Consumer<Row> sink) {
        Data d = data(o.n(), o.test(), o.seed());
        if (o.dir() != null) {
            write(d, o.dir());
        }
        Data warm = data(Math.min(300, o.n()), Math.min(100, o.test()), o.seed() + 1);
        List<Row> rows = new ArrayList<>();
        for (String m : o.methods()) {
            measure(m, warm); // JIT warm-up, untimed
            Row r = measure(m, d);
            rows.add(r);
            sink.accept(r);
        }
        return rows;
    }

    private static Row measure(String method, Data d) {
        int n = d.regX.rows();
        Kernel reg = RbfKernel.withGamma(REG_SIGMA);
        long t0 = System.nanoTime();
        switch (method) {
            case "kpca": {
                var m = KernelPca.builder(reg).components(5).build().fit(d.regX);
                double s = seconds(t0);
                return new Row(method, n, s, "lambda1/n", m.eigenvalues()[0] / n, Double.NaN);
            }
            case "specc": {
                var m = SpectralClustering.builder(RbfKernel.withGamma(BLOB_SIGMA)).clusters(3).seed(1).build()
                        .fit(d.blobs);
                double s = seconds(t0);
                return new Row(method, n, s, "ARI", ClusteringMetrics.adjustedRandIndex(m.labels(), d.blobLabels),
                        Double.NaN);
            }
            case "kqr": {
                double tau = 0.9;
                var m = KernelQuantileRegression.builder(reg).quantiles(tau).c(0.1).build().fit(d.regX,
                        Matrix.column(d.regY));
                double s = seconds(t0);
                Matrix q = m.predict(d.regXt);
                double loss = 0;
                for (int i = 0; i < d.regYt.length; i++) {
                    double r = d.regYt[i] - q.get(i, 0);
                    loss += r >= 0 ? tau * r : (tau - 1) * r;
                }
                return new Row(method, n, s, "test_pinball", loss / d.regYt.length, Double.NaN);
            }
            case "rvm": {
                double var = variance(d.regY);
                // kernlab starts at alpha = ncol(x) and noise variance 0.1 in the target's units
                RelevanceVectorModel m = RelevanceVectorMachine.regression(reg).initialAlpha(REG_D)
                        .initialNoise(0.1 / var).build().fitRegression(d.regX, Matrix.column(d.regY));
                double s = seconds(t0);
                return new Row(method, n, s, "test_rmse", rmse(m.predict(d.regXt), d.regYt), m.relevanceRows().length);
            }
            case "gausspr": {
                var m = GaussianProcess.builder(reg).noise(0.01).build().fit(d.regX, Matrix.column(d.regY));
                double s = seconds(t0);
                return new Row(method, n, s, "test_rmse", rmse(m.predict(d.regXt), d.regYt), Double.NaN);
            }
            case "ksvm": {
                SvmModel m = SupportVectorMachine.classifier(RbfKernel.withGamma(CLS_SIGMA)).c(1).tolerance(1e-3).build()
                        .fit(d.clsX, Matrix.column(d.clsY));
                double s = seconds(t0);
                Matrix p = m.predict(d.clsXt);
                int right = 0;
                for (int i = 0; i < d.clsYt.length; i++) {
                    right += p.get(i, 0) == d.clsYt[i] ? 1 : 0;
                }
                return new Row(method, n, s, "test_accuracy", right / (double) d.clsYt.length, m.supportVectorCount());
            }
            case "ksvm-nu": { // ν-SVC at ν = 0.2, ksvm(type = "nu-svc", nu = 0.2) on the other side
                SvmModel m = SupportVectorMachine.nuClassifier(RbfKernel.withGamma(CLS_SIGMA)).nu(0.2).tolerance(1e-3)
                        .build().fit(d.clsX, Matrix.column(d.clsY));
                double s = seconds(t0);
                Matrix p = m.predict(d.clsXt);
                int right = 0;
                for (int i = 0; i < d.clsYt.length; i++) {
                    right += p.get(i, 0) == d.clsYt[i] ? 1 : 0;
                }
                return new Row(method, n, s, "test_accuracy", right / (double) d.clsYt.length, m.supportVectorCount());
            }
            default:
                throw new Kernels4jException("unknown method '" + method + "'; known: kpca, specc, kqr, rvm, gausspr, ksvm, ksvm-nu");
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double variance(double[] y) {
        double m = 0;
        for (double v : y) {
            m += v / y.length;
        }
        double s = 0;
        for (double v : y) {
            s += (v - m) * (v - m);
        }
        return s / y.length;
    }

    private static double rmse(Matrix p, double[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (p.get(i, 0) - y[i]) * (p.get(i, 0) - y[i]);
        }
        return Math.sqrt(s / y.length);
    }

    /** One row as the tab-separated line the comparison script reads. */
    public static String format(Row r) {
        return String.format(Locale.ROOT, "%s\t%d\t%.4f\t%s\t%.6g\t%s", r.method(), r.n(), r.seconds(), r.metric(),
                r.value(), Double.isNaN(r.extra()) ? "-" : String.valueOf((long) r.extra()));
    }
}
