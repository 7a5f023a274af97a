package org.kernels4j.cli;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.cluster.KernelKMeans;
import org.kernels4j.cluster.KernelWard;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.kernel.graph.GraphMeasure;
import org.kernels4j.kernel.graph.GraphSpectra;
import org.kernels4j.kernel.graph.PreparedMeasure;
import org.kernels4j.kernel.graph.RandomGraphs;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.selection.ClusteringMetrics;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "graph-cluster-experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce Ivashkin & Chebotarev's comparison of plain and logarithmic graph measures for "
                + "clustering (arXiv 1605.01046).",
            "On --graphs random graphs G(N, m, p_in, p_out) (stochastic block model, connected), every measure, plain "
                + "and log, clusters the nodes with kernel k-means (or Ward) at each of --grid rescaled parameter values "
                + "t' = 1/(grid+1) ... grid/(grid+1); the score is the adjusted Rand index against the planted classes, "
                + "averaged over the graphs.",
            "Prints the best mean ARI of each measure (plain and log side by side, with its t' and standard error); "
                + "--csv writes every (measure, t') mean, --plot draws mean ARI against t'. One eigendecomposition per "
                + "graph serves every measure and t'. The paper's size: --graphs 100."})
final class GraphClusterExperimentCommand implements Callable<Integer> {
    /** The plain measures with a parameter and a log form, pygkernels' set. */
    static final List<GraphMeasure> DEFAULT_MEASURES = List.of(GraphMeasure.WALK, GraphMeasure.FOREST,
            GraphMeasure.COMM, GraphMeasure.HEAT, GraphMeasure.NHEAT, GraphMeasure.PPR, GraphMeasure.MODIFPPR,
            GraphMeasure.HEATPR, GraphMeasure.SCT, GraphMeasure.SCCT);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--graphs", defaultValue = "20", description = "Random graphs (default: ${DEFAULT-VALUE}).")
    int graphs;

    @Option(names = "--nodes", defaultValue = "100", description = "Nodes N of each graph (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--classes", defaultValue = "2", description = "Planted classes m, of equal size "
            + "(default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--p-in", defaultValue = "0.3", description = "Edge probability inside a class "
            + "(default: ${DEFAULT-VALUE}).")
    double pIn;

    @Option(names = "--p-out", defaultValue = "0.1", description = "Edge probability between classes "
            + "(default: ${DEFAULT-VALUE}).")
    double pOut;

    @Option(names = "--grid", defaultValue = "30", description = "Rescaled parameter values t' per measure "
            + "(default: ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--measures", split = ",", paramLabel = "ID", description = "Plain measures to compare, each with "
            + "its log form (default: walk, forest, comm, heat, nheat, ppr, modifppr, heatpr, sct, scct).")
    List<String> measures;

    @Option(names = "--method", defaultValue = "kmeans", paramLabel = "kmeans|ward", description = "Clustering "
            + "(default: ${DEFAULT-VALUE}; kmeans keeps the restart of largest modularity, as pygkernels).")
    String method;

    @Option(names = "--restarts", defaultValue = "3", description = "k-means restarts per fit (default: "
            + "${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the graphs and restarts (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write measure, t', mean ARI, its standard error and "
            + "the number of graphs for every point of the sweep.")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Mean ARI against t', one line per measure "
            + "(.png or .svg).")
    Path plot;

    @Option(names = "--no-progress", description = "Never show a progress bar.")
    boolean noProgress;

    /** What to run (see the command's options). */
    record Setup(int graphs, int nodes, int classes, double pIn, double pOut, int grid, List<GraphMeasure> measures,
            boolean ward, int restarts, long seed) {
    }

    /**
     * One measure's sweep.
     *
     * @param tPrime the grid
     * @param meanAri mean ARI over the graphs where the kernel could be computed (NaN where none)
     * @param standardError its standard error, s/√count
     * @param count graphs that gave a kernel at that t′ (fewer when a plain exponential overflows, say)
     */
    record Sweep(GraphMeasure measure, double[] tPrime, double[] meanAri, double[] standardError, int[] count) {
        /** Index of the largest mean ARI (the first of equals), or −1 when every value is NaN. */
        int best() {
            int b = -1;
            for (int i = 0; i < meanAri.length; i++) {
                if (!Double.isNaN(meanAri[i]) && (b < 0 || meanAri[i] > meanAri[b])) {
                    b = i;
                }
            }
            return b;
        }
    }

    /** The grid t′_i = (i + 1)/(grid + 1), i = 0 … grid − 1: evenly inside (0, 1), as every scaler needs. */
    static double[] grid(int values) {
        double[] g = new double[values];
        for (int i = 0; i < values; i++) {
            g[i] = (i + 1.0) / (values + 1.0);
        }
        return g;
    }

    /**
     * Graph number i: the stochastic block model with seed {@code seed·1,000,003 + i·1,009 + attempt}, redrawn (next
     * attempt) until connected, since the log measures need a connected graph. At most 100 draws. A draw with no
     * edge at all (which {@code Graph} refuses: "the graph has n nodes but no edge", a message about a graph the user
     * never gave) counts as one more disconnected draw; the command checked the model's parameters (node and class
     * counts, probabilities in [0, 1]) before, so that is the only way the draw can fail.
     */
    static RandomGraphs.Planted graph(Setup s, int i) {
        for (int attempt = 0; attempt < 100; attempt++) {
            RandomGraphs.Planted p;
            try {
                p = RandomGraphs.stochasticBlockModel(s.nodes(), s.classes(), s.pIn(), s.pOut(),
                        s.seed() * 1_000_003L + i * 1_009L + attempt);
            } catch (Kernels4jException edgeless) {
                continue;
            }
            if (p.graph().isConnected()) {
                return p;
            }
        }
        throw new Kernels4jException("100 random graphs in a row were disconnected: raise --p-in or --p-out");
    }

    /** Runs the experiment: the plain and log form of every measure, in that order. */
    static List<Sweep> run(Setup s, java.util.function.IntConsumer progress) {
        List<GraphMeasure> all = new ArrayList<>();
        for (GraphMeasure m : s.measures()) {
            all.add(m);
            all.add(GraphMeasure.parse("log-" + m.id()));
        }
        double[] tp = grid(s.grid());
        double[][][] ari = new double[s.graphs()][all.size()][tp.length]; // NaN: no kernel there
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        // graphs in parallel on kernels4j's workers, each BLAS call single-threaded: the matrices are small (n ~ 100),
        // where a multi-threaded dsyrk costs more in synchronisation than in flops
        Parallelism.forEachBlock(s.graphs(), g -> {
            RandomGraphs.Planted planted = graph(s, g);
            int[] truth = planted.labels();
            Graph graph = planted.graph();
            Matrix adjacency = graph.adjacency();
            GraphSpectra spectra = GraphSpectra.of(graph); // one decomposition of A, L, S per graph serves every t'
            for (int mi = 0; mi < all.size(); mi++) {
                PreparedMeasure p = all.get(mi).prepare(spectra);
                for (int i = 0; i < tp.length; i++) {
                    Matrix k;
                    try {
                        k = GraphInput.symmetricPart(p.kernelAtScaled(tp[i]));
                    } catch (Kernels4jException e) {
                        ari[g][mi][i] = Double.NaN; // e.g. a plain exponential beyond double range
                        continue;
                    }
                    int[] labels = s.ward() ? KernelWard.builder().clusters(s.classes()).build().fitKernelMatrix(k)
                            .labels()
                            : KernelKMeans.builder().clusters(s.classes()).restarts(s.restarts())
                                    .seed(s.seed() + 31L * g + i).selectByModularity(adjacency).build()
                                    .fitKernelMatrix(k).labels();
                    ari[g][mi][i] = ClusteringMetrics.adjustedRandIndex(truth, labels);
                }
            }
            progress.accept(done.incrementAndGet());
        });
        double[][] sum = new double[all.size()][tp.length];
        double[][] sumSq = new double[all.size()][tp.length];
        int[][] count = new int[all.size()][tp.length];
        for (double[][] graphAri : ari) {
            for (int mi = 0; mi < all.size(); mi++) {
                for (int i = 0; i < tp.length; i++) {
                    double a = graphAri[mi][i];
                    if (!Double.isNaN(a)) {
                        sum[mi][i] += a;
                        sumSq[mi][i] += a * a;
                        count[mi][i]++;
                    }
                }
            }
        }
        List<Sweep> out = new ArrayList<>();
        for (int mi = 0; mi < all.size(); mi++) {
            double[] mean = new double[tp.length];
            double[] se = new double[tp.length];
            for (int i = 0; i < tp.length; i++) {
                int c = count[mi][i];
                mean[i] = c == 0 ? Double.NaN : sum[mi][i] / c;
                double var = c < 2 ? Double.NaN : Math.max(0, (sumSq[mi][i] - c * mean[i] * mean[i]) / (c - 1));
                se[i] = Math.sqrt(var / c);
            }
            out.add(new Sweep(all.get(mi), tp.clone(), mean, se, count[mi].clone()));
        }
        return out;
    }

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--csv", csv, "--plot", plot);
        if (graphs < 1 || grid < 1 || restarts < 1) {
            throw new UsageException("--graphs, --grid and --restarts must be at least 1");
        }
        if (nodes < 2 || classes < 2 || classes > nodes) {
            throw new UsageException("need --nodes >= 2 and 2 <= --classes <= --nodes, got " + nodes + " and "
                    + classes);
        }
        if (!(pIn >= 0 && pIn <= 1 && pOut >= 0 && pOut <= 1)) {
            throw new UsageException("--p-in and --p-out must be probabilities in [0, 1]");
        }
        boolean ward = switch (method.toLowerCase(Locale.ROOT)) {
            case "kmeans" -> false;
            case "ward" -> true;
            default -> throw new UsageException("--method must be kmeans or ward, got '" + method + "'");
        };
        List<GraphMeasure> chosen = new ArrayList<>();
        for (String id : measures == null ? DEFAULT_MEASURES.stream().map(GraphMeasure::id).toList() : measures) {
            GraphMeasure m = GraphInput.measure(id).plain();
            if (!DEFAULT_MEASURES.contains(m)) {
                throw new UsageException("measure " + m.id() + " has no log form with a parameter; --measures takes "
                        + String.join(", ", DEFAULT_MEASURES.stream().map(GraphMeasure::id).toList()));
            }
            if (!chosen.contains(m)) {
                chosen.add(m);
            }
        }
        if (csv != null) {
            AtomicFiles.checkWritable(csv);
        }
        if (plot != null) {
            AtomicFiles.checkWritable(plot, csv);
        }
        Setup s = new Setup(graphs, nodes, classes, pIn, pOut, grid, chosen, ward, restarts, seed);
        var pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "graph-cluster-experiment: %d graphs G(N=%d, m=%d, p_in=%s, p_out=%s), %d values of t', "
                + "%s, %d measures (plain and log), seed %d%n", graphs, nodes, classes, pIn, pOut, grid,
                ward ? "kernel Ward" : "kernel k-means (" + restarts + " restarts, best by modularity)",
                2 * chosen.size(), seed);
        pw.flush();
        long t0 = System.nanoTime();
        List<Sweep> sweeps;
        try (Progress p = new Progress(!noProgress)) {
            sweeps = run(s, done -> p.progress(done, graphs, "graphs"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pw.printf("%-10s %10s %7s %8s   %10s %7s %8s   %s%n", "measure", "plain_ari", "se", "t'", "log_ari", "se", "t'",
                "better");
        for (int m = 0; m < sweeps.size(); m += 2) {
            Sweep plain = sweeps.get(m);
            Sweep log = sweeps.get(m + 1);
            int a = plain.best();
            int b = log.best();
            String better = a < 0 || b < 0 ? "-" : differ(plain, a, log, b)
                    ? (log.meanAri()[b] > plain.meanAri()[a] ? "log" : "plain") : "tie (within 2 se)";
            pw.printf(Locale.ROOT, "%-10s %s   %s   %s%n", plain.measure().id(), cell(plain, a), cell(log, b), better);
        }
        int leader = 0;
        for (int m = 1; m < sweeps.size(); m++) {
            int bm = sweeps.get(m).best();
            int bl = sweeps.get(leader).best();
            if (bm >= 0 && (bl < 0 || sweeps.get(m).meanAri()[bm] > sweeps.get(leader).meanAri()[bl])) {
                leader = m;
            }
        }
        pw.printf("leader: %s%n", sweeps.get(leader).measure().id());
        for (Sweep w : sweeps) {
            for (int i = 0; i < grid; i++) {
                if (w.count()[i] < graphs) {
                    pw.printf("note: %s at t' = %.4g was computed on %d of %d graphs (the kernel leaves double range "
                            + "on the others)%n", w.measure().id(), w.tPrime()[i], w.count()[i], graphs);
                }
            }
        }
        pw.printf(Locale.ROOT, "time: %.1f s%n", seconds);
        if (csv != null) {
            List<String[]> rows = new ArrayList<>();
            for (Sweep w : sweeps) {
                for (int i = 0; i < grid; i++) {
                    rows.add(new String[] {w.measure().id(), Double.toString(w.tPrime()[i]),
                        Double.toString(w.meanAri()[i]), Double.toString(w.standardError()[i]),
                        Integer.toString(w.count()[i])});
                }
            }
            Table.write(csv, List.of("measure", "t_prime", "mean_ari", "standard_error", "graphs"), rows);
            pw.printf("wrote %d rows to %s%n", rows.size(), csv);
        }
        if (plot != null) {
            Charts.save(chart(sweeps, s), plot);
            pw.printf("wrote the plot to %s%n", plot);
        }
        return 0;
    }

    /** Whether the two best means differ by more than twice the standard error of their difference. */
    private static boolean differ(Sweep a, int i, Sweep b, int j) {
        double d = Math.abs(a.meanAri()[i] - b.meanAri()[j]);
        double se = Math.hypot(a.standardError()[i], b.standardError()[j]);
        return Double.isNaN(se) ? d > 0 : d > 2 * se;
    }

    private static String cell(Sweep w, int i) {
        return i < 0 ? String.format(Locale.ROOT, "%10s %7s %8s", "-", "-", "-")
                : String.format(Locale.ROOT, "%10.4f %7.4f %8.4f", w.meanAri()[i], w.standardError()[i], w.tPrime()[i]);
    }

    private static XYChart chart(List<Sweep> sweeps, Setup s) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(1000, 650);
        chart.setTitle(String.format(Locale.ROOT, "mean ARI over %d graphs G(%d, %d, %s, %s), %s", s.graphs(),
                s.nodes(), s.classes(), s.pIn(), s.pOut(), s.ward() ? "kernel Ward" : "kernel k-means"));
        chart.setXAxisTitle("t' (rescaled parameter)");
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.setYAxisTitle("mean adjusted Rand index");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(4);
        for (Sweep w : sweeps) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < w.tPrime().length; i++) {
                if (!Double.isNaN(w.meanAri()[i])) {
                    x.add(w.tPrime()[i]);
                    y.add(w.meanAri()[i]);
                }
            }
            if (!x.isEmpty()) {
                XYSeries line = chart.addSeries(w.measure().id(), x, y);
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            }
        }
        return chart;
    }
}
