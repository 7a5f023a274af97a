package org.kernels4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.SvgpBenchmark;
import org.kernels4j.gp.Likelihood;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench svgp}: parses options, runs {@link SvgpBenchmark} and prints what it measured. */
@Command(name = "svgp", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time a sparse variational GP classifier (natural-gradient minibatch steps) on seeded synthetic "
                + "two-class data: one fit of --epochs passes (wall and CPU seconds), the peak resident memory, and the "
                + "test log-loss and accuracy against the untrained start (the prior, p = 1/2)."})
final class SvgpBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "1000000", description = "Training rows (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", defaultValue = "10", description = "Features, >= 5 (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--inducing", defaultValue = "500", description = "Inducing points m (default: ${DEFAULT-VALUE}).")
    int inducing;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Rows per minibatch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "1", description = "Passes over the rows (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--test", defaultValue = "20000", description = "Test rows (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--kernel", defaultValue = "1*rbf(length=1.5)", description = "Kernel (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--likelihood", defaultValue = "probit", description = "probit or logit (default: ${DEFAULT-VALUE}).")
    String likelihood;

    @Option(names = "--learn", description = "Also learn the hyperparameters and the inducing inputs (Adam).")
    boolean learn;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (n < 1 || d < 5 || test < 1 || inducing < 1 || inducing > n || batchSize < 1 || epochs < 1) {
            throw new UsageException("--n, --test, --batch-size and --epochs must be at least 1, --d at least 5 and "
                    + "--inducing between 1 and --n");
        }
        Likelihood lik = Likelihood.parse(likelihood);
        if (!lik.toSpec().equals("probit") && !lik.toSpec().equals("logit")) {
            throw new UsageException("--likelihood for bench svgp must be probit or logit, got '" + likelihood + "'");
        }
        var k = KernelSpec.parse(kernel);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "svgp %s %s n=%d d=%d m=%d batch=%d epochs=%d test=%d learn=%s threads=%d%n",
                k.toSpec(), lik.toSpec(), n, d, inducing, batchSize, epochs, test, learn, Parallelism.threads());
        out.flush();
        SvgpBenchmark.Result r = SvgpBenchmark.run(new SvgpBenchmark.Options(k, lik, n, d, inducing, batchSize, epochs,
                test, learn, seed));
        out.printf(Locale.ROOT, "inducing_selection_seconds: %.2f (k-means++)%n", r.selectSeconds());
        out.printf(Locale.ROOT, "train_seconds: %.2f wall, %s cpu (%d steps, %.2f s per epoch)%n", r.trainSeconds(),
                Double.isNaN(r.trainCpuSeconds()) ? "-" : String.format(Locale.ROOT, "%.2f", r.trainCpuSeconds()),
                r.steps(), r.secondsPerEpoch(epochs));
        out.printf(Locale.ROOT, "max_resident_mib: %s (training inputs alone: %.1f MiB)%n",
                r.maxResidentBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.maxResidentBytes() / 1048576.0),
                r.dataBytes() / 1048576.0);
        out.printf(Locale.ROOT, "elbo_estimate: %.6g%n", r.elboEstimate());
        out.printf(Locale.ROOT, "test_log_loss: %.6f (start %.6f)%n", r.testLogLoss(), r.startLogLoss());
        out.printf(Locale.ROOT, "test_accuracy: %.4f (start %.4f)%n", r.testAccuracy(), r.startAccuracy());
        if (learn) {
            out.printf("kernel_learned: %s%n", r.kernel());
        }
        return 0;
    }
}
