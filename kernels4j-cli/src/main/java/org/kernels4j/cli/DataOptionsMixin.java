package org.kernels4j.cli;

import picocli.CommandLine.ArgGroup;

/** Puts the shared data-reading options on a command. */
final class DataOptionsMixin {
    @ArgGroup(exclusive = false, heading = "Data file options:%n")
    DataOptions options = new DataOptions();
}
