package org.kernels4j.cli;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kernels4j.decomposition.KernelPca;
import org.kernels4j.decomposition.KernelPcaModel;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.kernel.graph.PreparedMeasure;
import org.kernels4j.linalg.Matrix;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "kpca", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kernel PCA: project the rows of a data file, or the nodes of a graph, on the top principal "
                + "components in feature space.",
            "Writes the components to CSV (row number or node name first, then the label when one is given), prints "
                + "each component's eigenvalue and explained-variance share, and with --plot a scatter of the first two "
                + "components coloured by label.",
            "On a graph the kernel is a node kernel (--measure, --t; a non-symmetric one, ppr, is replaced by its "
                + "symmetric part)."})
final class KpcaCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Rows to project (.csv or .libsvm).")
    Path data;

    @Option(names = "--kernel", paramLabel = "SPEC", description = "Kernel spec for --data, e.g. 'rbf(gamma=0.5)'.")
    String kernel;

    @Option(names = "--labels-column", paramLabel = "NAME|INDEX", description = "A column of --data holding labels "
            + "(text or numbers): left out of the features, written beside the components and used for colours.")
    String labelsColumn;

    @Option(names = "--graph", paramLabel = "FILE", description = "A graph (edge list or adjacency) instead of --data.")
    Path graph;

    @Option(names = "--measure", paramLabel = "ID", description = "Node kernel for --graph, e.g. log-comm.")
    String measure;

    @Option(names = "--t", paramLabel = "T", description = "The measure's parameter.")
    Double t;

    @Option(names = "--scaled", description = "Read --t as the rescaled t' in (0, 1).")
    boolean scaled;

    @Option(names = "--truth", paramLabel = "FILE", description = "With --graph: node,label lines (labels for "
            + "colours and the output).")
    Path truth;

    @Option(names = "--components", required = true, paramLabel = "K", description = "Number of components.")
    int components;

    @Option(names = "--solver", defaultValue = "exact", paramLabel = "exact|randomized|nystrom",
            description = "Eigensolver (default: ${DEFAULT-VALUE}; nystrom needs --data and --landmarks).")
    String solver;

    @Option(names = "--landmarks", paramLabel = "M", description = "Nystrom landmarks for --solver nystrom.")
    Integer landmarks;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the randomized and Nystrom solvers "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "Z.csv", description = "CSV file of the components.")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Scatter of components 1 and 2 (.png or .svg).")
    Path plot;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--plot", plot);
        if ((data == null) == (graph == null)) {
            throw new UsageException("give exactly one of --data and --graph");
        }
        if (components < 1) {
            throw new UsageException("--components must be at least 1, got " + components);
        }
        if (plot != null && components < 2) {
            throw new UsageException("--plot shows components 1 and 2: ask for --components 2 or more");
        }
        KernelPca.Solver s = solver();
        AtomicFiles.checkWritable(out, data, graph, truth);
        if (plot != null) {
            AtomicFiles.checkWritable(plot, data, graph, truth);
        }
        var pw = spec.commandLine().getOut();
        KernelPcaModel model;
        List<String> ids = new ArrayList<>();
        List<String> labels = null;
        String idColumn;
        if (graph != null) {
            for (String o : List.of("--kernel", "--labels-column")) {
                requireAbsent(o, "--data");
            }
            if (measure == null) {
                throw new UsageException("--graph needs --measure (e.g. log-comm)");
            }
            var m = GraphInput.measure(measure);
            Graph g = GraphInput.read(graph, pw);
            GraphInput.Truth tr = truth == null ? null : GraphInput.truth(truth, g);
            PreparedMeasure p = m.prepare(g);
            double param = GraphInput.parameter(p, t, scaled);
            Matrix k = GraphInput.symmetricPart(p.kernel(param));
            pw.printf("kernel: %s%n", GraphInput.describe(p, param, t, scaled, false));
            model = KernelPca.builder().components(components).solver(s).seed(seed).build().fitKernelMatrix(k);
            ids.addAll(g.names());
            idColumn = "node";
            if (tr != null) {
                labels = new ArrayList<>();
                for (int c : tr.codes()) {
                    labels.add(tr.name(c));
                }
            }
        } else {
            for (String o : List.of("--measure", "--t", "--scaled", "--truth")) {
                requireAbsent(o, "--graph");
            }
            if (kernel == null) {
                throw new UsageException("--data needs --kernel (e.g. 'rbf(gamma=0.5)')");
            }
            var k = KernelSpec.parse(kernel);
            Dataset ds = labelsColumn == null ? options.options.read(data, "none", 0)
                    : options.options.readWithTarget(data, labelsColumn, true);
            if (s.kind() != KernelPca.Solver.Kind.NYSTROM) { // Nystrom never forms the n x n matrix
                Limits.requireSquareMatrix("kernel PCA", ds.rows(), "use --solver nystrom --landmarks M");
            }
            model = KernelPca.builder(k).components(components).solver(s).seed(seed).build().fit(ds.features());
            pw.printf(Locale.ROOT, "kernel: %s on %d rows x %d features from %s%n", k.toSpec(), ds.rows(),
                    ds.features().cols(), data);
            for (int i = 0; i < ds.rows(); i++) {
                ids.add(Integer.toString(i + 1));
            }
            idColumn = "row";
            if (ds.hasTarget()) {
                labels = new ArrayList<>();
                for (int i = 0; i < ds.rows(); i++) {
                    labels.add(ds.label(ds.target().get(i, 0)));
                }
            }
        }
        Matrix z = model.trainingProjections();
        int kk = model.components();
        List<String> header = new ArrayList<>();
        header.add(idColumn);
        if (labels != null) {
            header.add("label");
        }
        for (int j = 0; j < kk; j++) {
            header.add("pc" + (j + 1));
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < z.rows(); i++) {
            String[] r = new String[header.size()];
            int c = 0;
            r[c++] = ids.get(i);
            if (labels != null) {
                r[c++] = labels.get(i);
            }
            for (int j = 0; j < kk; j++) {
                r[c++] = Double.toString(z.get(i, j));
            }
            rows.add(r);
        }
        Table.write(out, header, rows);
        pw.printf("solver: %s%n", model.solver());
        pw.printf("%-10s %16s %20s %12s%n", "component", "eigenvalue", "explained_variance", "cumulative");
        double[] lam = model.eigenvalues();
        double[] ratio = model.explainedVarianceRatio();
        double cum = 0;
        for (int j = 0; j < kk; j++) {
            cum += ratio[j];
            pw.printf(Locale.ROOT, "%-10s %16.8g %20.6f %12.6f%n", "pc" + (j + 1), lam[j], ratio[j], cum);
        }
        int positive = 0;
        for (double v : lam) {
            positive += v > 0 ? 1 : 0;
        }
        if (positive < components) {
            // an indefinite kernel (the log graph kernels are) or a low-rank one: the rest project to 0
            pw.printf("note: only %d of the %d components have a positive eigenvalue (below 1e-12 of the largest is "
                    + "0); the others are 0 for every row%n", positive, components);
        }
        pw.printf("wrote %d rows x %d components to %s%n", z.rows(), kk, out);
        if (plot != null) {
            Charts.save(scatter(z, labels, "kernel PCA"), plot);
            pw.printf("wrote the scatter of pc1 and pc2 to %s%n", plot);
        }
        return 0;
    }

    private KernelPca.Solver solver() {
        switch (solver.toLowerCase(Locale.ROOT)) {
            case "exact":
                requireNoLandmarks();
                return KernelPca.Solver.exact();
            case "randomized":
                requireNoLandmarks();
                return KernelPca.Solver.randomized();
            case "nystrom":
                if (landmarks == null) {
                    throw new UsageException("--solver nystrom needs --landmarks M");
                }
                if (graph != null) {
                    throw new UsageException("--solver nystrom needs kernel evaluations: use it with --data");
                }
                return UsageException.of(() -> KernelPca.Solver.nystrom(landmarks));
            default:
                throw new UsageException("--solver must be exact, randomized or nystrom, got '" + solver + "'");
        }
    }

    private void requireNoLandmarks() {
        if (landmarks != null) {
            throw new UsageException("--landmarks applies to --solver nystrom");
        }
    }

    private void requireAbsent(String option, String with) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
            throw new UsageException(option + " applies with " + with + " only");
        }
    }

    /** Rows' first two columns as a scatter, one series (colour) per label in order of first appearance. */
    static XYChart scatter(Matrix z, List<String> labels, String title) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(900, 700);
        chart.setTitle(title);
        chart.setXAxisTitle("component 1");
        chart.setYAxisTitle("component 2");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setLegendVisible(labels != null);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < z.rows(); i++) {
            groups.computeIfAbsent(labels == null ? "points" : labels.get(i), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> e : groups.entrySet()) {
            double[] x = new double[e.getValue().size()];
            double[] y = new double[x.length];
            for (int a = 0; a < x.length; a++) {
                x[a] = z.get(e.getValue().get(a), 0);
                y[a] = z.get(e.getValue().get(a), 1);
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        return chart;
    }
}
