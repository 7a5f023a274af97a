package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link Main#commandLine}: only the subcommand a run names is built; the full list whenever it may be shown. */
class MainTest {

    private static Set<String> registered(String... args) {
        return Main.commandLine(new Main(), args).getSubcommands().keySet();
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertEquals(Set.of("fit"), registered("fit", "--train", "x.csv"));
        assertEquals(Set.of("fit"), registered("-v", "fit", "--help"), "top-level flags before the name are skipped");
        assertEquals(Set.of("bench"), registered("bench", "svm", "--n", "10"));
        assertEquals(Set.of("export-onnx"), registered("export-onnx"));
        // its own subcommands and the global --verbose come with it
        CommandLine bench = Main.commandLine(new Main(), new String[] {"bench"}).getSubcommands().get("bench");
        assertTrue(bench.getSubcommands().containsKey("svm"), bench.getSubcommands().keySet().toString());
        assertTrue(bench.getCommandSpec().optionsMap().containsKey("--verbose"));
    }

    @Test
    void everySubcommandIsBuiltWhenTheListMayBeShown() {
        int all = Main.COMMANDS.size();
        // (each full build costs about a second of CPU: three cases stand for the rest)
        for (List<String> args : List.of(List.of("--help"), List.of("help", "fit"), List.of("fitt", "--train", "x.csv"))) {
            assertEquals(all, registered(args.toArray(new String[0])).size(), args.toString());
        }
        // every listed class is a distinct command (a duplicate name would make picocli refuse the list)
        assertEquals(all, Main.fullCommandLine().getSubcommands().size());
    }

    /** Every command lists -V, --version; each prints the program's version, as the top level does (not an empty line). */
    @Test
    void subcommandsPrintTheVersion() {
        String top = CliTest.run("--version").out().strip();
        assertTrue(top.startsWith("kernels4j "), top);
        for (String[] args : new String[][] {{"fit", "--version"}, {"kde", "--version"}, {"kde", "fit", "--version"},
                {"bench", "svm", "-V"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(0, r.code(), r.err());
            assertEquals(top, r.out().strip(), String.join(" ", args));
        }
    }

    /** A command that only groups subcommands (kde, test, bench), called bare, is a usage error naming them. */
    @Test
    void aGroupWithoutItsSubcommandIsAUsageError() {
        for (String group : new String[] {"kde", "test", "bench"}) {
            CliTest.Run r = CliTest.run(group);
            assertEquals(2, r.code(), group + ": " + r.err());
            assertTrue(r.err().startsWith("kernels4j: error: kernels4j " + group + " needs a subcommand: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(CliTest.run("kde").err().contains("fit, score, sample"));
    }

    /**
     * Each element of a command's description is printed on lines of its own, so one that ends mid-sentence (no
     * closing punctuation) leaves a ragged line break in the help: a paragraph must be one element.
     */
    @Test
    void helpParagraphsAreNotBrokenMidSentence() {
        List<String> ragged = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(List.of(Main.fullCommandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            String[] lines = c.getCommandSpec().usageMessage().description();
            for (int i = 0; i < lines.length - 1; i++) {
                String l = lines[i].strip();
                if (!l.isEmpty() && !l.matches(".*[.:;!?)]$") && !l.matches(".*%n$")) {
                    ragged.add(c.getCommandSpec().qualifiedName() + ": '" + l + "'");
                }
            }
        }
        assertTrue(ragged.isEmpty(), String.join("\n", ragged));
    }

    @Test
    void aMistypedCommandIsStillAOneLineUsageError() {
        CliTest.Run r = CliTest.run("fitt", "--train", "x.csv");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("kernels4j: Unmatched arguments from index 0: 'fitt'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
