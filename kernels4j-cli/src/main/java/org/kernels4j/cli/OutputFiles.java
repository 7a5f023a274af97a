package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on the output files of one command: two outputs (say {@code --out} and {@code --plot}, or a release and its
 * privacy {@code --ledger}) must name different files, or the second written silently replaces the first.
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Refuses, as a usage error, two of the given outputs that name the same file: the same absolute path, or one
     * existing file reached by two paths (a link). Arguments alternate option name and path; null paths (options not
     * given) are skipped.
     */
    static void requireDistinct(Object... optionAndPath) {
        for (int i = 0; i + 1 < optionAndPath.length; i += 2) {
            for (int j = i + 2; j + 1 < optionAndPath.length; j += 2) {
                Path a = (Path) optionAndPath[i + 1];
                Path b = (Path) optionAndPath[j + 1];
                if (a != null && b != null && same(a, b)) {
                    throw new UsageException(optionAndPath[i] + " and " + optionAndPath[j] + " name the same file " + a
                            + "; the second would replace the first");
                }
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
