package org.kernels4j.cli;

import java.util.concurrent.Callable;
import org.kernels4j.kernel.KernelCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "List the kernels, their parameters and defaults, and the spec grammar.")
final class KernelsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Prints every registered kernel type from its declaration ({@link KernelCatalog.Type}). */
    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (KernelCatalog.Type t : KernelCatalog.types()) {
            out.printf("%s%s%n", t.name(), t.aliases().isEmpty() ? "" : "  (also: " + String.join(", ", t.aliases()) + ")");
            out.printf("    %s%n", t.formula());
            if (t.caveat() != null) {
                out.printf("    %s%s%n", t.positiveSemiDefinite() ? "note: " : "", t.caveat());
            }
            for (KernelCatalog.Param p : t.params()) {
                out.printf("    %-8s %-10s %s%s%n", p.name(), p.defaultValue() == null ? "" : "= " + p.defaultValue(),
                        p.description(), p.learnable() ? " (learnable)" : "");
            }
        }
        out.println();
        out.println("Combine kernels with + and *, scale with a positive number, group with ( ):");
        out.println("    0.5*rbf(gamma=0.1) + linear()      2*(matern(nu=2.5, length=1) + white(noise=0.1))");
        out.println("Starting values for gamma or length on your data: kernels4j bandwidth --data X.csv");
        return 0;
    }
}
