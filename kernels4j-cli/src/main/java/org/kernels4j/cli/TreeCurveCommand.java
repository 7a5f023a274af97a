package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.HierarchicalKernel;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "tree-curve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learning curves of a tree CNN's NTK on targets that depend on a meta-patch of given size.",
            "The experiment of Cagnetta, Favero and Wyart (ICML 2023): inputs of d = s^L numbers uniform on the sphere "
            + "of radius sqrt(d); the target is a random function of the first t = s^l inputs only (a sum of M random "
            + "multiples of the depth-l tree NTK on that meta-patch, about a Gaussian-process sample); the student is "
            + "ridgeless kernel regression with the depth-L tree NTK on the whole input. Prints test error (MSE over "
            + "the target's variance) against n, with the fitted decay exponent per meta-patch size."})
final class TreeCurveCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--filter", defaultValue = "2", paramLabel = "S",
            description = "Filter size = stride s >= 2 (default: ${DEFAULT-VALUE}).")
    int filter;

    @Option(names = "--depth", defaultValue = "4", paramLabel = "L",
            description = "Student depth L; inputs have s^L numbers (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--meta-patch", split = ",", defaultValue = "2,4,16", paramLabel = "T",
            description = "Meta-patch sizes t = s^l the target depends on, 1 <= l <= L (default: ${DEFAULT-VALUE}).")
    List<Integer> metaPatches;

    @Option(names = "--sizes", split = ",", defaultValue = "32,64,128,256,512", paramLabel = "N",
            description = "Training set sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--test", defaultValue = "500", paramLabel = "M", description = "Test points (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--centers", defaultValue = "512", paramLabel = "M",
            description = "Random centers of the target function (default: ${DEFAULT-VALUE}).")
    int centers;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "R",
            description = "Independent tasks per size (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "NAME",
            description = "Activation of teacher and student (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write the table as CSV.")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png|svg", description = "Also draw test error against n (log-log).")
    Path plot;

    /** One row of the table. */
    record Row(int metaPatch, int n, double error, double standardError) {
    }

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--plot", plot);
        Activation phi = UsageException.of(() -> Activation.named(activation));
        validate();
        HierarchicalKernel student = UsageException.of(
                () -> new HierarchicalKernel(NeuralKernel.Kind.NTK, filter, depth, phi, 2, 0));
        int d = student.inputDimension();
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "tree-curve: student %s (d = %d), ridgeless kernel regression, %d test points, %d tasks per n%n",
                student.toSpec(), d, test, repeats);
        pw.printf(Locale.ROOT, "%10s  %7s  %12s  %10s%n", "meta_patch", "n", "test_error", "std_err");
        List<Row> rows = new ArrayList<>();
        int nMax = sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<double[]> slopes = new ArrayList<>();
        for (int t : metaPatches) {
            int level = levelOf(t);
            HierarchicalKernel teacher = new HierarchicalKernel(NeuralKernel.Kind.NTK, filter, level, phi, 2, 0);
            double[] logN = new double[sizes.size()];
            double[] logE = new double[sizes.size()];
            for (int si = 0; si < sizes.size(); si++) {
                int n = sizes.get(si);
                double sum = 0;
                double sumSq = 0;
                for (int r = 0; r < repeats; r++) {
                    SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + 7919L * r + t);
                    Matrix c = sphere(centers, d, rnd);
                    double[] alpha = new double[centers];
                    for (int k = 0; k < centers; k++) {
                        alpha[k] = gaussian(rnd) / Math.sqrt(centers);
                    }
                    // the same task (centers, weights, test points) for every n; training points nested
                    Matrix pool = sphere(nMax, d, rnd);
                    Matrix xt = sphere(test, d, rnd);
                    Matrix x = pool.selectRows(java.util.stream.IntStream.range(0, n).toArray());
                    Matrix y = target(teacher, t, x, c, alpha);
                    Matrix yt = target(teacher, t, xt, c, alpha);
                    double trace = 0;
                    for (int i = 0; i < n; i++) {
                        trace += student.selfValue(x.row(i));
                    }
                    double lambda = 1e-10 * trace;
                    Matrix pred = KernelRidge.builder(student).lambda(lambda).build().fit(x, y).predict(xt);
                    double mean = 0;
                    for (double v : yt.data()) {
                        mean += v / test;
                    }
                    double err = 0;
                    double var = 0;
                    for (int i = 0; i < test; i++) {
                        double e = pred.get(i, 0) - yt.get(i, 0);
                        err += e * e;
                        var += (yt.get(i, 0) - mean) * (yt.get(i, 0) - mean);
                    }
                    double rel = err / var;
                    sum += rel;
                    sumSq += rel * rel;
                }
                double mean = sum / repeats;
                double se = repeats > 1 ? Math.sqrt(Math.max(0, sumSq / repeats - mean * mean) / (repeats - 1)) : Double.NaN;
                rows.add(new Row(t, n, mean, se));
                logN[si] = Math.log(n);
                logE[si] = Math.log(mean);
                // one repeat has no standard error: "-" on screen, an empty CSV cell (not the word NaN)
                pw.printf(Locale.ROOT, "%10d  %7d  %12.5g  %10s%n", t, n, mean,
                        Double.isNaN(se) ? "-" : String.format(Locale.ROOT, "%.2g", se));
            }
            double slope = slope(logN, logE);
            slopes.add(new double[] {t, slope});
            pw.printf(Locale.ROOT, "meta-patch %d: test error ~ n^%.3f (least squares on log-log)%n", t, slope);
        }
        if (out != null) {
            AtomicFiles.write(out, stream -> {
                var w = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
                w.write("meta_patch,n,test_error,std_err\n");
                for (Row r : rows) {
                    w.write(r.metaPatch() + "," + r.n() + "," + r.error() + ","
                            + (Double.isNaN(r.standardError()) ? "" : String.valueOf(r.standardError())) + "\n");
                }
                w.flush();
            });
            pw.printf("wrote %s: %d rows%n", out, rows.size());
        }
        if (plot != null) {
            XYChart chart = Charts.logLog("tree CNN NTK, s = " + filter + ", L = " + depth + " (d = " + d + ")",
                    "training points n", "test error / target variance");
            for (double[] s : slopes) {
                int t = (int) s[0];
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (Row r : rows) {
                    if (r.metaPatch() == t) {
                        xs.add((double) r.n());
                        ys.add(r.error());
                    }
                }
                chart.addSeries(String.format(Locale.ROOT, "meta-patch %d: slope %.2f", t, s[1]), xs, ys);
            }
            Charts.save(chart, plot);
            pw.printf("wrote %s: test error against n%n", plot);
        }
        return 0;
    }

    private void validate() {
        if (filter < 2 || filter > 64) {
            throw new UsageException("--filter must be between 2 and 64, got " + filter);
        }
        if (depth < 1 || Math.pow(filter, depth) > 4096) {
            throw new UsageException("--depth must be >= 1 with filter^depth <= 4096, got filter " + filter + ", depth " + depth);
        }
        for (int t : metaPatches) {
            levelOf(t);
        }
        for (int n : sizes) {
            if (n < 1 || n > 20_000) {
                throw new UsageException("--sizes must be between 1 and 20000, got " + n);
            }
        }
        if (test < 2 || centers < 1 || repeats < 1) {
            throw new UsageException("--test must be >= 2, --centers and --repeats >= 1");
        }
        if (out != null) {
            AtomicFiles.checkWritable(out);
        }
        if (sizes.stream().distinct().count() < 2) {
            throw new UsageException("--sizes needs at least two different sizes to fit the learning-curve slope, got "
                    + sizes);
        }
        Charts.checkPlot(plot);
    }

    /** l with s^l = t, 1 ≤ l ≤ L. */
    private int levelOf(int t) {
        int v = filter;
        for (int l = 1; l <= depth; l++) {
            if (v == t) {
                return l;
            }
            v *= filter;
        }
        throw new UsageException("--meta-patch " + t + " is not a power s^l of --filter " + filter + " with 1 <= l <= "
                + depth);
    }

    /** f*(x) = Σ_k α_k·K_t(x[0, t), c_k[0, t)): depends on the first meta-patch only. */
    private static Matrix target(HierarchicalKernel teacher, int t, Matrix x, Matrix c, double[] alpha) {
        Matrix xs = x.selectColumns(java.util.stream.IntStream.range(0, t).toArray());
        Matrix cs = c.selectColumns(java.util.stream.IntStream.range(0, t).toArray());
        Matrix k = GramEngine.cross(teacher, xs, cs);
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int j = 0; j < alpha.length; j++) {
                s += k.get(i, j) * alpha[j];
            }
            y.set(i, 0, s);
        }
        return y;
    }

    private static Matrix sphere(int n, int d, SplittableRandom rnd) {
        Matrix m = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double g = gaussian(rnd);
                m.set(i, j, g);
                norm += g * g;
            }
            double scale = Math.sqrt(d / norm);
            for (int j = 0; j < d; j++) {
                m.set(i, j, m.get(i, j) * scale);
            }
        }
        return m;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double slope(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / x.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
