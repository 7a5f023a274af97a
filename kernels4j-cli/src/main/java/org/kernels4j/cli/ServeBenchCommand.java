package org.kernels4j.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.ServeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench serve}: parses options, runs {@link ServeBenchmark} and prints its rows. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test the prediction server on loopback: an RBF SVM trained on --n synthetic rows (the "
                + "defaults give 5,040 support vectors), closed-loop clients, requests/s and p50/p99 latency per request size.",
            "p50/direct is the median latency over in-process prediction of the same rows, measured in the same run."})
final class ServeBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "10000", description = "SVM training rows (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", defaultValue = "8", description = "Features, at least 5 (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--c", defaultValue = "0.03", description = "The SVM's C; smaller C, more support vectors "
            + "(default: ${DEFAULT-VALUE}).")
    double c;

    @Option(names = "--rows", defaultValue = "1,1000", split = ",",
            description = "Rows per request, one scenario each (default: ${DEFAULT-VALUE}).")
    List<Integer> rows;

    @Option(names = "--clients", defaultValue = "1,4", split = ",", description = "Closed-loop client counts, one "
            + "scenario each: 1 shows latency without queueing, more the throughput (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--threads", defaultValue = "2", description = "Server worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed seconds per scenario (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--seconds", defaultValue = "10", description = "Timed seconds per scenario (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (n < 10 || d < 5 || !(c > 0) || clients.isEmpty() || clients.stream().anyMatch(k -> k < 1) || threads < 1 || !(seconds > 0) || !(warmup >= 0)
                || rows.isEmpty() || rows.stream().anyMatch(r -> r < 1)) {
            throw new UsageException("--n must be at least 10, --d at least 5, --c, --seconds positive, --warmup at least 0, "
                    + "every --clients, --threads and every --rows at least 1");
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "serve n=%d d=%d c=%s clients=%s server_threads=%d warmup=%ss seconds=%ss%n", n, d, c,
                clients, threads, warmup, seconds);
        out.flush();
        ServeBenchmark.Result r = ServeBenchmark.run(new ServeBenchmark.Options(n, d, c,
                rows.stream().mapToInt(Integer::intValue).toArray(), clients.stream().mapToInt(Integer::intValue).toArray(), warmup, seconds, threads, seed), s -> { });
        out.printf(Locale.ROOT, "model: %s, %d support vectors, trained in %.2f s; numerical threads %d%n", r.kernel(),
                r.supportVectors(), r.fitSeconds(), r.threads());
        out.printf("%10s %8s %10s %12s %12s %10s %10s %10s %10s %11s %7s%n", "rows/req", "clients", "requests", "req/s",
                "rows/s", "p50_ms", "p99_ms", "max_ms", "direct_ms", "p50/direct", "errors");
        for (ServeBenchmark.Scenario s : r.scenarios()) {
            out.printf(Locale.ROOT, "%10d %8d %10d %12.1f %12.0f %10.3f %10.3f %10.3f %10.3f %11.2f %7d%n",
                    s.rowsPerRequest(), s.clients(), s.requests(), s.requestsPerSecond(), s.rowsPerSecond(), s.p50Millis(),
                    s.p99Millis(), s.maxMillis(), s.directMillis(), s.p50OverDirect(), s.errors());
        }
        return 0;
    }
}
