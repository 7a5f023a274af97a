package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.Npy;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "gram", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute the Gram matrix K(X, X) (or K(X, Z) with --data2) and write it as a float64 .npy file."})
final class GramCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Rows of X (.csv or .libsvm).")
    Path data;

    @Option(names = "--data2", paramLabel = "FILE", description = "Rows of Z for the cross-kernel K(X, Z).")
    Path data2;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC", description = "Kernel spec, e.g. 'rbf(gamma=0.5)'.")
    String kernel;

    @Option(names = "--target", defaultValue = "none", paramLabel = "NAME|INDEX|none",
            description = "A column to drop before computing the kernel (default: none, all columns are features).")
    String target;

    @Option(names = "--out", required = true, paramLabel = "K.npy", description = ".npy file to write.")
    Path out;

    @Mixin
    DataOptionsMixin options;

    @Option(names = "--no-progress", description = "Never show a progress bar.")
    boolean noProgress;

    /** The format is NumPy's whatever the name says: a K.csv would hold binary. */
    static void requireNpyName(java.nio.file.Path out, String what) {
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new UsageException("--out " + out + ": " + what + " is written as a NumPy .npy file; name it "
                    + "*.npy (read it with numpy.load)");
        }
    }

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(out, data, data2);
        requireNpyName(out, "the Gram matrix");
        Kernel k = KernelSpec.parse(kernel);
        options.options.checkTarget(data, !target.equalsIgnoreCase("none"));
        Dataset x = options.options.read(data, target, 0);
        Matrix g;
        try (Progress p = new Progress(!noProgress)) {
            if (data2 == null) {
                g = new Matrix(x.rows(), x.rows());
                GramEngine.gram(k, x.features(), g, p);
            } else {
                Dataset z = ModelData.sameColumns(data, x, data2,
                        options.options.read(data2, target, x.features().cols()));
                g = new Matrix(x.rows(), z.rows());
                GramEngine.cross(k, x.features(), z.features(), g, p);
            }
        }
        Finite.requireGram(g, k);
        Npy.write(g, out);
        spec.commandLine().getOut().printf("wrote %s Gram matrix of %s to %s%n", g.shape(), k.toSpec(), out);
        return 0;
    }
}
