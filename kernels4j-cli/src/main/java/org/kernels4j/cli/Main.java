package org.kernels4j.cli;

import java.io.PrintWriter;
import java.util.List;
import org.kernels4j.Kernels4jException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kernels4j} command line. Exit codes: 0 success, 1 runtime failure (including bad data
 * and bad model files), 2 usage error (including a kernel spec that does not parse). Errors are one line on stderr, never a stack trace for a
 * user mistake (set {@code KERNELS4J_DEBUG=1} to see stack traces of internal errors).
 */
@Command(name = "kernels4j", mixinStandardHelpOptions = true, version = "kernels4j 0.1.0",
        description = "Kernel machines for the JVM.")
public final class Main implements Runnable {
    /**
     * Every subcommand, in the order of the help's command list. They are not in the {@code @Command}
     * annotation because picocli builds the model of every listed command (reflection over all their
     * options) at start: for ~40 commands that was most of a second of CPU before any work, on every run.
     * {@link #commandLine} registers only the one a run names.
     */
    static final List<Class<?>> COMMANDS = List.of(FitCommand.class, PredictCommand.class, EvaluateCommand.class,
            GramCommand.class, KernelsCommand.class, DemoCommand.class, BenchCommand.class, NtkCheckCommand.class,
            PermutationCommand.class, RecommendCommand.class, CrossValidateCommand.class, ApproxErrorCommand.class,
            PlotCommand.class, KdeCommand.class, BalanceCommand.class, EffectCommand.class, LearningCurveCommand.class,
            BandwidthCommand.class, ThinCommand.class, AdhocCommand.class, QuantumExperimentCommand.class,
            DkmExperimentCommand.class, QuantumKernelCommand.class, TreeCurveCommand.class, NtkDepthCommand.class,
            EntkCommand.class, KpcaCommand.class, ClusterCommand.class, GraphKernelCommand.class,
            WlKernelCommand.class, GraphClusterExperimentCommand.class, WlsExperimentCommand.class,
            ExportOnnxCommand.class, ServeCommand.class, OptimizeCommand.class, KccaCommand.class, TestCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where {@code --verbose} sends the library's log lines (the run's stderr). */
    private PrintWriter logTo = new PrintWriter(System.err, true);

    /** Global, so both {@code kernels4j -v fit ...} and {@code kernels4j fit ... -v} work. */
    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show the library's log lines on stderr: the BLAS and threads in use, jitter added to "
                + "a factorization, an optimizer or solver that did not converge.")
    void setVerbose(boolean verbose) {
        Verbosity.set(verbose, logTo);
    }

    /** Entry point. */
    public static void main(String[] args) {
        onSignalStop("INT", 130);
        onSignalStop("TERM", 143);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Ctrl-C or SIGTERM: delete any temporary output file, then end the process by the signal itself
     * ({@link #dieBySignal}). Output files already written are never touched (they are replaced only by
     * an atomic rename).
     */
    @SuppressWarnings("restriction")
    private static void onSignalStop(String name, int code) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                org.kernels4j.io.AtomicFiles.deleteTemporaryFiles();
                System.err.println();
                System.err.println("kernels4j: interrupted (SIG" + name + "); no output was written");
                System.err.flush();
                dieBySignal(name, code);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the signal is not available here (or reserved by the JVM): the default handling stays
        }
    }

    /**
     * Ends the process at once by signal {@code name} with its default action, as if no handler had been
     * installed: the exit status seen by the parent is 128 + the signal number ({@code code}).
     *
     * <p>Why not {@link Runtime#halt}: halt still calls the C library's {@code exit}, which runs the shared
     * libraries' destructors, and OpenBLAS's destructor joins its worker threads. When the signal arrives
     * while a BLAS or LAPACK call is running, a worker that finishes its job clears the stop request and
     * sleeps, and the join waits forever (seen with {@code dsyevd}: the VM thread stuck in
     * {@code blas_thread_shutdown_}, the process never ending). The default action of the signal ends the
     * process in the kernel, running no destructor. Java cannot raise a signal whose handler is the default
     * ({@code Signal.raise} refuses it), so the signal is sent by the shell's {@code kill};
     * {@code halt} remains the fallback where that is not possible.
     */
    @SuppressWarnings("restriction")
    static void dieBySignal(String name, int code) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_DFL);
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s " + name + " " + ProcessHandle.current().pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
            Thread.sleep(1000); // the signal normally ends the process before this returns
        } catch (IllegalArgumentException | UnsupportedOperationException | java.io.IOException e) {
            // the signal cannot be reset here, or there is no shell: halt below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(code);
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        main.logTo = err;
        Verbosity.set(false, err); // quiet unless this run asks (tests run many commands in one JVM)
        CommandLine cmd = commandLine(main, args);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((ex, cl, parsed) -> {
            if (ex instanceof UsageException) {
                err.println("kernels4j: error: " + ex.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName()
                        + " --help')");
                err.flush();
                return 2;
            } else if (ex instanceof org.kernels4j.kernel.KernelSpecException) {
                // a --kernel value the command cannot take: a usage error, like any other bad option value
                err.println("kernels4j: error: " + ex.getMessage() + " (see 'kernels4j kernels')");
                err.flush();
                return 2;
            } else if (ex instanceof Kernels4jException) {
                err.println("kernels4j: error: " + ex.getMessage());
            } else {
                err.println("kernels4j: internal error: " + ex);
                if (System.getenv("KERNELS4J_DEBUG") != null) {
                    ex.printStackTrace(err);
                }
            }
            err.flush();
            return 1;
        });
        cmd.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println("kernels4j: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        });
        try {
            return cmd.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("kernels4j: error: out of memory; give Java more with KERNELS4J_JAVA_OPTS=-Xmx16g"
                    + " or use less data");
            err.flush();
            return 1;
        }
    }

    /**
     * The command line for these arguments: when they name a subcommand (the first argument that is not one
     * of the top-level flags), only that one is registered; otherwise (no command, {@code help}, an unknown
     * name, an {@code @file}) all of them, so that the command list and picocli's suggestions are complete.
     * Names are read from each class's {@code @Command} annotation, which costs no model building.
     */
    static CommandLine commandLine(Main main, String[] args) {
        CommandLine cmd = new CommandLine(main);
        String named = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                named = a;
                break;
            }
        }
        Class<?> only = null;
        if (named != null) {
            for (Class<?> c : COMMANDS) {
                Command ann = c.getAnnotation(Command.class);
                if (ann.name().equals(named) || List.of(ann.aliases()).contains(named)) {
                    only = c;
                    break;
                }
            }
        }
        if (only != null && only != CommandLine.HelpCommand.class) {
            cmd.addSubcommand(only);
        } else {
            COMMANDS.forEach(cmd::addSubcommand);
        }
        shareVersion(cmd, cmd.getCommandSpec().version());
        return cmd;
    }

    /**
     * Gives every subcommand (nested ones too) the top-level version text: each lists {@code -V, --version} through
     * {@code mixinStandardHelpOptions}, and without a version of its own printed an empty line.
     */
    private static void shareVersion(CommandLine parent, String[] version) {
        for (CommandLine sub : parent.getSubcommands().values()) {
            if (sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().version(version);
            }
            shareVersion(sub, version);
        }
    }

    /** The command line with every subcommand registered (the help's list; tests walk it). */
    static CommandLine fullCommandLine() {
        return commandLine(new Main(), new String[0]);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
