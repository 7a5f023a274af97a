package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.cluster.ClusterModel;
import org.kernels4j.cluster.KernelKMeans;
import org.kernels4j.cluster.KernelKMeansModel;
import org.kernels4j.cluster.KernelWard;
import org.kernels4j.cluster.KernelWardModel;
import org.kernels4j.cluster.SpectralClustering;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.kernel.graph.PreparedMeasure;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.selection.ClusteringMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster the rows of a data file, or the nodes of a graph, with kernel k-means, kernel Ward or "
                + "spectral clustering.",
            "Writes one label per row (or node) to CSV and prints the objective, and the adjusted Rand index and NMI "
                + "against true labels when given (--labels-column, --truth); modularity on a graph.",
            "On a graph the kernel is a node kernel (--measure, --t; ppr is replaced by its symmetric part, which gives "
                + "the same objective); spectral clustering without --measure uses the adjacency as affinity.",
            "--save writes a model for 'kernels4j predict' (kmeans or ward on --data)."})
final class ClusterCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Rows to cluster (.csv or .libsvm).")
    Path data;

    @Option(names = "--kernel", paramLabel = "SPEC", description = "Kernel spec for --data, e.g. 'rbf(gamma=0.5)'.")
    String kernel;

    @Option(names = "--labels-column", paramLabel = "NAME|INDEX", description = "A column of --data with the true "
            + "labels: left out of the features, scored against, and written beside the clusters.")
    String labelsColumn;

    @Option(names = "--graph", paramLabel = "FILE", description = "A graph (edge list or adjacency) instead of --data.")
    Path graph;

    @Option(names = "--measure", paramLabel = "ID", description = "Node kernel for --graph, e.g. log-comm.")
    String measure;

    @Option(names = "--t", paramLabel = "T", description = "The measure's parameter.")
    Double t;

    @Option(names = "--scaled", description = "Read --t as the rescaled t' in (0, 1).")
    boolean scaled;

    @Option(names = "--truth", paramLabel = "FILE", description = "With --graph: node,label lines to score against.")
    Path truth;

    @Option(names = "--method", defaultValue = "kmeans", paramLabel = "kmeans|ward|spectral",
            description = "Clustering method (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--clusters", required = true, paramLabel = "K", description = "Number of clusters.")
    int clusters;

    @Option(names = "--restarts", defaultValue = "10", description = "k-means restarts (kmeans, and the k-means step "
            + "of spectral; default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--select", paramLabel = "inertia|modularity", description = "Which kmeans restart is kept "
            + "(default: modularity on a graph, as pygkernels, inertia on data).")
    String select;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--nystrom", paramLabel = "M", description = "kmeans on --data in the Nystrom feature space of M "
            + "landmarks (no n x n matrix).")
    Integer nystrom;

    @Option(names = "--out", required = true, paramLabel = "labels.csv", description = "CSV file of the clusters.")
    Path out;

    @Option(names = "--save", paramLabel = "MODEL.zip", description = "Also save the model (kmeans or ward on --data).")
    Path save;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--save", save);
        if ((data == null) == (graph == null)) {
            throw new UsageException("give exactly one of --data and --graph");
        }
        String how = method.toLowerCase(Locale.ROOT);
        if (!List.of("kmeans", "ward", "spectral").contains(how)) {
            throw new UsageException("--method must be kmeans, ward or spectral, got '" + method + "'");
        }
        if (clusters < 1) {
            throw new UsageException("--clusters must be at least 1, got " + clusters);
        }
        if (restarts < 1) {
            throw new UsageException("--restarts must be at least 1, got " + restarts);
        }
        if (nystrom != null && nystrom < 1) {
            throw new UsageException("--nystrom must be a positive number of landmarks, got " + nystrom);
        }
        if (nystrom != null && (graph != null || !how.equals("kmeans"))) {
            throw new UsageException("--nystrom applies to --method kmeans on --data");
        }
        if (save != null && graph != null) {
            throw new UsageException("--save applies to --method kmeans or ward on --data (a graph's nodes have no "
                    + "features to predict from)");
        }
        if (save != null && how.equals("spectral")) {
            throw new UsageException("--save applies to --method kmeans or ward: spectral clustering labels the given "
                    + "rows only and has no model that assigns new ones");
        }
        if (select != null && !how.equals("kmeans")) {
            throw new UsageException("--select applies to --method kmeans");
        }
        boolean byModularity = select == null ? graph != null : switch (select.toLowerCase(Locale.ROOT)) {
            case "inertia" -> false;
            case "modularity" -> true;
            default -> throw new UsageException("--select must be inertia or modularity, got '" + select + "'");
        };
        if (byModularity && graph == null) {
            throw new UsageException("--select modularity needs --graph");
        }
        AtomicFiles.checkWritable(out, data, graph, truth);
        if (save != null) {
            AtomicFiles.checkWritable(save, data, graph, truth, out);
        }
        var pw = spec.commandLine().getOut();
        ClusterModel model;
        List<String> ids = new ArrayList<>();
        int[] truthCodes = null;
        List<String> truthNames = new ArrayList<>();
        String idColumn;
        Matrix adjacency = null;
        List<String> featureNames = null;
        if (graph != null) {
            requireAbsent("--kernel", "--data");
            requireAbsent("--labels-column", "--data");
            Graph g = GraphInput.read(graph, pw);
            adjacency = g.adjacency();
            if (truth != null) {
                GraphInput.Truth tr = GraphInput.truth(truth, g);
                truthCodes = tr.codes();
                truthNames = tr.names();
            }
            Matrix k;
            if (measure == null) {
                if (!how.equals("spectral")) {
                    throw new UsageException("--method " + how + " on --graph needs --measure (e.g. log-comm); "
                            + "only spectral can use the adjacency itself");
                }
                if (t != null || scaled) {
                    throw new UsageException("--t applies with --measure");
                }
                k = adjacency;
                pw.println("affinity: the adjacency matrix");
            } else {
                PreparedMeasure p = GraphInput.measure(measure).prepare(g);
                double param = GraphInput.parameter(p, t, scaled);
                k = GraphInput.symmetricPart(p.kernel(param));
                pw.printf("kernel: %s%n", GraphInput.describe(p, param, t, scaled, false));
            }
            model = switch (how) {
                case "kmeans" -> kmeans(KernelKMeans.builder(), byModularity ? adjacency : null).fitKernelMatrix(k);
                case "ward" -> KernelWard.builder().clusters(clusters).build().fitKernelMatrix(k);
                default -> SpectralClustering.builder().clusters(clusters).restarts(restarts).seed(seed).build()
                        .fitAffinity(k);
            };
            ids.addAll(g.names());
            idColumn = "node";
        } else {
            for (String o : List.of("--measure", "--t", "--scaled", "--truth")) {
                requireAbsent(o, "--graph");
            }
            if (kernel == null) {
                throw new UsageException("--data needs --kernel (e.g. 'rbf(gamma=0.5)')");
            }
            Kernel k = KernelSpec.parse(kernel);
            Dataset ds = labelsColumn == null ? options.options.read(data, "none", 0)
                    : options.options.readWithTarget(data, labelsColumn, true);
            if (nystrom == null) {
                Limits.requireSquareMatrix("exact " + how, ds.rows(), how.equals("kmeans") ? "use --nystrom M"
                        : "use --method kmeans --nystrom M");
            }
            model = switch (how) {
                case "kmeans" -> {
                    KernelKMeans.Builder b = KernelKMeans.builder(k);
                    if (nystrom != null) {
                        b.nystrom(nystrom);
                    }
                    yield kmeans(b, null).fit(ds.features());
                }
                case "ward" -> KernelWard.builder(k).clusters(clusters).build().fit(ds.features());
                default -> SpectralClustering.builder(k).clusters(clusters).restarts(restarts).seed(seed).build()
                        .fit(ds.features());
            };
            pw.printf(Locale.ROOT, "kernel: %s on %d rows x %d features from %s%s%n", k.toSpec(), ds.rows(),
                    ds.features().cols(), data, nystrom == null ? "" : " (Nystrom, " + nystrom + " landmarks)");
            for (int i = 0; i < ds.rows(); i++) {
                ids.add(Integer.toString(i + 1));
            }
            idColumn = "row";
            if (ds.hasTarget()) {
                truthCodes = new int[ds.rows()];
                java.util.Map<String, Integer> codes = new java.util.LinkedHashMap<>();
                for (int i = 0; i < ds.rows(); i++) {
                    String name = ds.label(ds.target().get(i, 0));
                    truthCodes[i] = codes.computeIfAbsent(name, x -> codes.size());
                }
                truthNames = new ArrayList<>(codes.keySet());
            }
            featureNames = ds.featureNames();
        }
        int[] labels = model.labels();
        List<String> header = new ArrayList<>(List.of(idColumn, "cluster"));
        if (truthCodes != null) {
            header.add("label");
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            rows.add(truthCodes == null ? new String[] {ids.get(i), Integer.toString(labels[i])}
                    : new String[] {ids.get(i), Integer.toString(labels[i]), truthNames.get(truthCodes[i])});
        }
        Table.write(out, header, rows);
        if (save != null) {
            ModelFiles.save(model, featureNames, save);
        }
        int[] sizes = new int[model.clusters()];
        for (int l : labels) {
            sizes[l]++;
        }
        pw.printf("method: %s, %d clusters of sizes %s%n", how, model.clusters(), java.util.Arrays.toString(sizes));
        if (model instanceof KernelKMeansModel km) {
            pw.printf(Locale.ROOT, "inertia: %.10g%s%n", km.inertia(), km.isNystrom() ? " (in the Nystrom feature space)"
                    : "");
        } else if (model instanceof KernelWardModel w) {
            pw.printf(Locale.ROOT, "objective (within-cluster sum of squares): %.10g%n", w.objective());
        }
        if (adjacency != null) {
            pw.printf(Locale.ROOT, "modularity: %.6f%n", ClusteringMetrics.modularity(adjacency, labels));
        }
        if (truthCodes != null) {
            pw.printf(Locale.ROOT, "adjusted Rand index: %.6f%n", ClusteringMetrics.adjustedRandIndex(truthCodes, labels));
            pw.printf(Locale.ROOT, "normalized mutual information: %.6f%n",
                    ClusteringMetrics.normalizedMutualInformation(truthCodes, labels));
        }
        pw.printf("wrote %d labels to %s%n", labels.length, out);
        if (save != null) {
            pw.printf("saved the model to %s%n", save);
        }
        return 0;
    }

    private KernelKMeans kmeans(KernelKMeans.Builder b, Matrix modularityGraph) {
        b.clusters(clusters).restarts(restarts).seed(seed);
        if (modularityGraph != null) {
            b.selectByModularity(modularityGraph);
        }
        return b.build();
    }

    private void requireAbsent(String option, String with) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
            throw new UsageException(option + " applies with " + with + " only");
        }
    }
}
