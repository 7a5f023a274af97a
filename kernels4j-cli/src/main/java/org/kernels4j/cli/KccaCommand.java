package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.decomposition.KernelCca;
import org.kernels4j.decomposition.KernelCcaModel;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "kcca", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kernel canonical correlation analysis of two views of the same rows (kernlab's kcca): the "
                + "pairs of functions of --data and --data2 whose values are most correlated, regularised by --kappa.",
            "Prints the canonical correlations; --out writes each row's canonical variates (x1.., y1..) as CSV and "
                + "--save the model file, whose predict projects new rows of the first view."})
final class KccaCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "X.csv", description = "First view: every column a feature.")
    Path data;

    @Option(names = "--data2", required = true, paramLabel = "Y.csv", description = "Second view, the same rows in "
            + "the same order.")
    Path data2;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC", description = "Kernel of the first view.")
    String kernel;

    @Option(names = "--kernel2", paramLabel = "SPEC", description = "Kernel of the second view (default: --kernel).")
    String kernel2;

    @Option(names = "--kappa", defaultValue = "0.1", paramLabel = "KAPPA", description = "Regularisation kappa > 0 "
            + "(kernlab's gamma; default: ${DEFAULT-VALUE}).")
    double kappa;

    @Option(names = "--components", defaultValue = "2", paramLabel = "K", description = "Canonical pairs "
            + "(default: ${DEFAULT-VALUE}).")
    int components;

    @Option(names = "--no-center", description = "Do not centre the Gram matrices (as kernlab, which does not).")
    boolean noCenter;

    @Option(names = "--out", paramLabel = "Z.csv", description = "CSV of the canonical variates of every row.")
    Path out;

    @Option(names = "--save", paramLabel = "MODEL.zip", description = "Model file to write.")
    Path save;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--save", save);
        Kernel kx = KernelSpec.parse(kernel);
        Kernel ky = kernel2 == null ? kx : KernelSpec.parse(kernel2);
        KernelCca cca = UsageException.of(() -> KernelCca.builder(kx).secondKernel(ky).kappa(kappa)
                .components(components).center(!noCenter).build());
        if (out != null) {
            AtomicFiles.checkWritable(out, data, data2);
        }
        if (save != null) {
            AtomicFiles.checkWritable(save, data, data2);
        }
        Dataset dx = options.options.read(data, "none", 0);
        Dataset dy = options.options.read(data2, "none", 0);
        if (dx.rows() != dy.rows()) {
            throw new UsageException("--data has " + dx.rows() + " rows but --data2 has " + dy.rows()
                    + "; the two views must describe the same rows");
        }
        Limits.requireSquareMatrix("kernel CCA", dx.rows(), "subsample the rows");
        long start = System.nanoTime();
        KernelCcaModel m = cca.fit(dx.features(), dy.features());
        double seconds = (System.nanoTime() - start) / 1e9;
        var pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "kernel CCA on %d rows: %d features (%s) and %d features (%s), kappa %s%s%n", dx.rows(),
                dx.features().cols(), kx.toSpec(), dy.features().cols(), ky.toSpec(), kappa,
                noCenter ? ", not centred" : "");
        double[] rho = m.correlations();
        pw.printf("%-10s %14s%n", "pair", "correlation");
        for (int j = 0; j < rho.length; j++) {
            pw.printf(Locale.ROOT, "%-10d %14.6f%n", j + 1, rho[j]);
        }
        pw.printf(Locale.ROOT, "fit time: %.2f s%n", seconds);
        if (out != null) {
            Matrix zx = m.predict(dx.features());
            Matrix zy = m.transformSecond(dy.features());
            List<String> header = new ArrayList<>();
            header.add("row");
            for (int j = 0; j < rho.length; j++) {
                header.add("x" + (j + 1));
            }
            for (int j = 0; j < rho.length; j++) {
                header.add("y" + (j + 1));
            }
            List<String[]> rows = new ArrayList<>();
            for (int i = 0; i < dx.rows(); i++) {
                String[] r = new String[1 + 2 * rho.length];
                r[0] = Integer.toString(i + 1);
                for (int j = 0; j < rho.length; j++) {
                    r[1 + j] = Double.toString(zx.get(i, j));
                    r[1 + rho.length + j] = Double.toString(zy.get(i, j));
                }
                rows.add(r);
            }
            Table.write(out, header, rows);
            pw.printf("wrote %d rows of canonical variates to %s%n", dx.rows(), out);
        }
        if (save != null) {
            ModelFiles.save(new SavedModel(m, dx.featureNames(), null, null), save);
            pw.printf("saved %s%n", save);
        }
        return 0;
    }
}
