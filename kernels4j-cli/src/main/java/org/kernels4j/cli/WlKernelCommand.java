package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.GraphDatasetReader;
import org.kernels4j.io.Npy;
import org.kernels4j.io.PredictionWriter;
import org.kernels4j.kernel.graph.WeisfeilerLehman;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "wl-kernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute the Weisfeiler-Lehman subtree kernel (Shervashidze et al. 2011) between the graphs of a "
                + "data set and write the N x N Gram matrix (.csv with a header g1..gN, or .npy).",
            "The data set is in the TU Dortmund format: DS_A.txt, DS_graph_indicator.txt and optionally "
                + "DS_node_labels.txt (without it nodes start from their degree) and DS_graph_labels.txt. "
                + "To train an SVM on it, add the graph classes as a last column (the Gram file has none), then fit "
                + "--model svc --kernel precomputed; see docs/string-and-graph-kernels.md."})
final class WlKernelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DIR|DS_A.txt",
            description = "Directory holding one TU data set, or its DS_A.txt.")
    Path dataset;

    @Option(names = "--iterations", defaultValue = "3", paramLabel = "H",
            description = "Relabelling iterations h >= 0 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--normalized", description = "Write k(G, G')/sqrt(k(G, G) k(G', G')) (diagonal 1).")
    boolean normalized;

    @Option(names = "--out", required = true, paramLabel = "GRAM.csv|GRAM.npy", description = "File to write.")
    Path out;

    /**
     * The data set's files, which the output must not replace: every regular file of its folder, or, for a
     * {@code --dataset} given as one of its files ({@code DS/DS_A.txt}), those of that folder with the same prefix
     * ({@code DS_}).
     */
    static Path[] inputFiles(Path dataset) {
        boolean folder = java.nio.file.Files.isDirectory(dataset);
        Path dir = folder ? dataset : dataset.toAbsolutePath().getParent();
        String name = dataset.getFileName() == null ? "" : dataset.getFileName().toString();
        String prefix = folder || name.lastIndexOf('_') < 0 ? "" : name.substring(0, name.lastIndexOf('_') + 1);
        if (dir == null) {
            return new Path[] {dataset};
        }
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith(prefix)).toArray(Path[]::new);
        } catch (java.io.IOException e) {
            return new Path[] {dataset}; // unreadable: reading the data set reports it
        }
    }

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(out, inputFiles(dataset));
        WeisfeilerLehman wl = UsageException.of(() -> WeisfeilerLehman.of(iterations)).normalized(normalized);
        GraphDatasetReader.GraphDataset ds = GraphDatasetReader.readTu(dataset);
        long start = System.nanoTime();
        Matrix k = wl.gram(ds.graphs());
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = ds.graphs().size();
        if (out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            Npy.write(k, out);
        } else {
            List<String> names = new ArrayList<>();
            for (int g = 1; g <= n; g++) {
                names.add("g" + g);
            }
            PredictionWriter.write(out, names, k);
        }
        boolean labelled = ds.graphs().get(0).labels() != null;
        spec.commandLine().getOut().printf("wrote the %dx%d %s over %d graphs (%s node labels%s) to %s; %.2f s%n", n, n,
                wl, n, labelled ? "with" : "degrees as", ds.graphLabels() != null ? ", graph classes in DS_graph_labels.txt"
                        : "", out, seconds);
        return 0;
    }
}
