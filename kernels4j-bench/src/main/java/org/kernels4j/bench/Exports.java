package org.kernels4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kernels4j.Kernels4jException;

/** Export folders for peer scripts; every file in them is written atomically (Npy, AtomicFiles). */
final class Exports {
    private Exports() {
    }

    /** Creates {@code dir} (and its parents) when it is not null. */
    static void createDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Kernels4jException(dir + ": cannot create the export folder: " + e.getMessage(), e);
        }
    }
}
