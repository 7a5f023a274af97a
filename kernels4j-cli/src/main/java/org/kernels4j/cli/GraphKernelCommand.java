package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.kernel.graph.GraphMeasure;
import org.kernels4j.kernel.graph.PreparedMeasure;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "graph-kernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute a node kernel (or distance) of a graph and write it as a float64 .npy matrix.",
            "The graph is an edge list (source,target[,weight]) or an adjacency matrix (.npy or CSV); row i of the "
                + "output is the i-th node of the names file written beside it (K.nodes.txt for K.npy).",
            "Measures: walk, forest, comm, heat, nheat, ppr, modifppr, heatpr, sct, scct (each also as log-...), "
                + "ct, sp, spct; see docs/graphs-and-clustering.md."})
final class GraphKernelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--graph", required = true, paramLabel = "FILE", description = "Edge list or adjacency matrix.")
    Path graph;

    @Option(names = "--measure", required = true, paramLabel = "ID", description = "Measure id, e.g. log-forest.")
    String measure;

    @Option(names = "--t", paramLabel = "T", description = "The measure's parameter (its range depends on the measure; "
            + "none for ct and sp).")
    Double t;

    @Option(names = "--scaled", description = "Read --t as the rescaled t' in (0, 1) (walk: t = t'/rho; forest, comm, "
            + "heat...: t = t'/(2(1 - t')); ppr, modifppr, spct: t = t').")
    boolean scaled;

    @Option(names = "--distance", description = "Write the distance D = (h 1' + 1 h')/2 - (H + H')/2 (to the power "
            + "0.5 for comm and log-comm; commute time for ct, shortest paths for sp) instead of the kernel H.")
    boolean distance;

    @Option(names = "--out", required = true, paramLabel = "K.npy", description = ".npy file to write.")
    Path out;

    @Option(names = "--nodes", paramLabel = "FILE", description = "Where to write the node names, one a line "
            + "(default: the --out name with .nodes.txt for .npy).")
    Path nodes;

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--nodes", nodes);
        GramCommand.requireNpyName(out, "the node kernel matrix");
        Path names = nodes != null ? nodes : namesFile(out);
        AtomicFiles.checkWritable(out, graph);
        AtomicFiles.checkWritable(names, graph, out);
        GraphMeasure m = GraphInput.measure(measure);
        var pw = spec.commandLine().getOut();
        Graph g = GraphInput.read(graph, pw);
        PreparedMeasure p = m.prepare(g);
        double param = GraphInput.parameter(p, t, scaled);
        Matrix k = distance ? p.distance(param) : p.kernel(param);
        Npy.write(k, out);
        AtomicFiles.writeString(names, String.join("\n", g.names()) + "\n");
        pw.printf("wrote the %dx%d %s to %s; node names in %s%n", g.size(), g.size(),
                GraphInput.describe(p, param, t, scaled, distance), out, names);
        return 0;
    }

    /** K.npy → K.nodes.txt; any other name gets .nodes.txt appended. */
    static Path namesFile(Path out) {
        String f = out.getFileName().toString();
        String stem = f.toLowerCase(java.util.Locale.ROOT).endsWith(".npy") ? f.substring(0, f.length() - 4) : f;
        return out.resolveSibling(stem + ".nodes.txt");
    }
}
