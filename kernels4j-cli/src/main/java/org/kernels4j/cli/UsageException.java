package org.kernels4j.cli;

import org.kernels4j.Kernels4jException;

/**
 * A command-line option given an invalid value or used where it does not apply ({@code --lambda abc},
 * {@code --model foo}, {@code --header maybe}): the CLI exits with code 2, as picocli does for the
 * option syntax it checks itself. Problems with the data or a model file stay {@link Kernels4jException}
 * (exit code 1).
 */
final class UsageException extends Kernels4jException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    /** A command that only groups subcommands, called without one: names them. */
    static UsageException missingSubcommand(picocli.CommandLine.Model.CommandSpec spec) {
        return new UsageException(spec.qualifiedName() + " needs a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code task}'s result, with any {@link Kernels4jException} it throws turned into a usage error. */
    static <T> T of(java.util.function.Supplier<T> task) {
        try {
            return task.get();
        } catch (UsageException e) {
            throw e;
        } catch (Kernels4jException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
