package org.kernels4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.kernels4j.Kernels4jException;

/**
 * Writes output files atomically: everything goes to a temporary file in the same directory,
 * which is synced and then renamed over the target, so a reader never sees a half-written file
 * and a failed write leaves the previous file (if any) untouched.
 */
public final class AtomicFiles {
    /** Writes the content of an output stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes everything to {@code out}. */
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Checks, before any work, that {@link #write} can write {@code target}: its directory exists and
     * is writable, and {@code target} is not a directory nor one of {@code inputs} (which a command
     * reads, so writing it would destroy its own input).
     *
     * @throws Kernels4jException naming the problem
     */
    public static void checkWritable(Path target, Path... inputs) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new Kernels4jException("cannot write " + target + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw new Kernels4jException("cannot write " + target + ": it is a directory");
        }
        if (dir != null && !Files.isWritable(dir)) {
            throw new Kernels4jException("cannot write " + target + ": directory " + dir + " is not writable");
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw new Kernels4jException("cannot write " + target + ": it exists and is not a regular file");
        }
        for (Path input : inputs) {
            try {
                if (input != null && Files.exists(abs) && Files.exists(input) && Files.isSameFile(abs, input)) {
                    throw new Kernels4jException("cannot write " + target + ": it is the input file " + input
                            + "; choose another output file");
                }
            } catch (IOException e) {
                // unreadable input: the read reports it
            }
        }
    }

    /** Writes {@code target} atomically through {@code writer}. */
    public static void write(Path target, Writer writer) {
        checkWritable(target);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16)) {
                writer.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new Kernels4jException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
