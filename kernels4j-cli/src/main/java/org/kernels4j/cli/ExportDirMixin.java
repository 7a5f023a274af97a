package org.kernels4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --export-dir DIR}, shared by the benchmarks that write their data and results for peer scripts. */
final class ExportDirMixin {
    @Option(names = "--export-dir", paramLabel = "DIR",
            description = "Write the data and our results (.npy/.txt/.libsvm) for the peer scripts in bench/.")
    Path dir;
}
