package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.QuantumBenchmark;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench quantum}: parses options, runs {@link QuantumBenchmark} and prints its rows. */
@Command(name = "quantum", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the Gram matrix of the ZZ fidelity kernel zz(reps=2, entanglement=full) on --n points of "
                + "[0, 2pi)^q for each --qubits q, state preparation included.",
            "Defaults: 2000 points on 12 qubits and 500 on 16; --quick: 200 on 8 and 100 on 10. Also prints the memory "
                + "of the states and the largest qubit count whose states (16*2^q bytes per point) plus one tile per "
                + "thread fit 8 GiB for that n.",
            "With --export-dir, writes points_q{q}_n{n}.npy, gram_q{q}_n{n}.npy and times.csv for "
                + "bench/quantum_numpy.py (same matrix by NumPy; prints the agreement and the time ratio)."})
final class QuantumBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--qubits", split = ",", paramLabel = "LIST", description = "Qubit counts (default: 12,16).")
    List<Integer> qubits;

    @Option(names = "--n", split = ",", paramLabel = "LIST", description = "Points for each --qubits value "
            + "(default: 2000,500).")
    List<Integer> n;

    @Option(names = "--quick", description = "CI-sized run: --qubits 8,10 --n 200,100.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reps", defaultValue = "1", description = "Timed runs; the least time is printed "
            + "(default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--export-dir", paramLabel = "DIR", description = "Write the points, Gram matrices and times here.")
    Path exportDir;

    @Override
    public Integer call() {
        if (quick && (qubits != null || n != null)) {
            throw new UsageException("--quick sets --qubits and --n; give either --quick or them");
        }
        List<Integer> qs = qubits != null ? qubits : quick ? List.of(8, 10) : List.of(12, 16);
        List<Integer> ns = n != null ? n : quick ? List.of(200, 100) : List.of(2000, 500);
        if (qs.size() != ns.size()) {
            throw new UsageException("--qubits and --n must have the same length, got " + qs + " and " + ns);
        }
        if (qs.stream().anyMatch(q -> q < 1 || q > 29) || ns.stream().anyMatch(v -> v < 2) || reps < 1) {
            throw new UsageException("every --qubits value must be in 1..29, every --n at least 2, --reps at least 1");
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "quantum zz(reps=2, entanglement=full) seed=%d reps=%d threads=%d%n", seed, reps,
                Parallelism.threads());
        out.printf("%6s %6s %10s %12s %16s%n", "qubits", "n", "seconds", "states", "max_qubits_8GiB");
        out.flush();
        QuantumBenchmark.run(new QuantumBenchmark.Options(qs.stream().mapToInt(Integer::intValue).toArray(),
                ns.stream().mapToInt(Integer::intValue).toArray(), seed, exportDir, reps), r -> {
                    out.printf(Locale.ROOT, "%6d %6d %10.3f %12s %16d%n", r.qubits(), r.n(), r.seconds(),
                            QuantumKernelCommand.bytes(r.stateBytes()), r.maxQubits8GiB());
                    out.flush();
                });
        return 0;
    }
}
