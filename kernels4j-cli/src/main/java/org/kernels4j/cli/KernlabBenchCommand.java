package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.bench.KernlabComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench kernlab}: parses options, runs {@link KernlabComparison} and prints its rows. */
@Command(name = "kernlab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The kernels4j side of bench/kernlab-comparison.sh: fit times and test figures of kpca, specc, "
                + "kqr, rvm, gausspr, ksvm (C-SVC) and ksvm-nu (nu-SVC) counterparts on seeded synthetic data, written as CSV to --export-dir so "
                + "that bench/kernlab_peer.R fits kernlab on the identical rows."})
final class KernlabBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "2000", description = "Training rows (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--test", defaultValue = "2000", description = "Test rows (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--methods", defaultValue = "kpca,specc,kqr,rvm,gausspr,ksvm,ksvm-nu", split = ",",
            description = "Which to run (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--export-dir", paramLabel = "DIR", description = "Write the data sets as CSV here.")
    Path exportDir;

    @Override
    public Integer call() {
        if (n < 30 || test < 1) {
            throw new UsageException("--n must be at least 30 and --test at least 1");
        }
        for (String m : methods) {
            if (!List.of("kpca", "specc", "kqr", "rvm", "gausspr", "ksvm", "ksvm-nu").contains(m)) {
                throw new UsageException("unknown --methods entry '" + m + "'; known: kpca, specc, kqr, rvm, gausspr, ksvm, ksvm-nu");
            }
        }
        var out = spec.commandLine().getOut();
        out.println("method\tn\tseconds\tmetric\tvalue\textra");
        KernlabComparison.run(new KernlabComparison.Options(n, test, seed, exportDir, methods), r -> {
            out.println(KernlabComparison.format(r));
            out.flush();
        });
        return 0;
    }
}
