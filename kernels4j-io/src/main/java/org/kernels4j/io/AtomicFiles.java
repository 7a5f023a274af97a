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
 * and a failed write leaves the previous file (if any) untouched. A new file gets the permissions
 * the process's umask gives, a replaced one keeps its own; an interrupted write (Ctrl-C) leaves no
 * temporary file behind.
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
        Path abs = destination(target);
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

    /**
     * The file a write of {@code target} replaces: {@code target} itself, or, when it is a symbolic link, the file the
     * link leads to (followed to the end, also when that file does not exist yet). Writing renames a temporary file
     * onto this path, so that a link is written through, as a shell redirection would, instead of being replaced by a
     * regular file; a link to a terminal, a pipe or a device ({@code /dev/stdout}) then fails the regular-file check.
     *
     * @throws Kernels4jException when the link cannot be followed (a loop, a link into /proc that names no file)
     */
    static Path destination(Path target) {
        Path p = target.toAbsolutePath();
        try {
            for (int hops = 0; Files.isSymbolicLink(p); hops++) {
                if (hops == 40) {
                    throw new IOException("too many levels of symbolic links");
                }
                if (Files.exists(p)) {
                    return p.toRealPath();
                }
                Path parent = p.getParent();
                Path next = Files.readSymbolicLink(p);
                p = (parent == null ? next : parent.resolve(next)).normalize();
            }
            return p;
        } catch (IOException e) {
            throw new Kernels4jException("cannot write " + target + ": it is a symbolic link that does not lead to a file ("
                    + reason(e) + ")", e);
        }
    }

    /**
     * Why a write failed, in words: a {@link java.nio.file.FileSystemException}'s message is only the path of the
     * temporary file, so its reason (or its kind) is given instead.
     */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : "the file system refused it";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Writes {@code target} atomically through {@code writer}. */
    public static void write(Path target, Writer writer) {
        checkWritable(target);
        Path abs = destination(target);
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            tmp = createTemporary(dir == null ? Path.of("") : dir, abs);
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
            LIVE.remove(tmp);
            tmp = null;
        } catch (IOException e) {
            throw new Kernels4jException("cannot write " + target + ": " + reason(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
            if (tmp != null) {
                LIVE.remove(tmp);
            }
        }
    }

    /** Temporary files being written now, deleted by a shutdown hook if the JVM exits (Ctrl-C) meanwhile. */
    private static final java.util.Set<Path> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Creates the hidden temporary file beside {@code target}: with the default permissions (so the
     * process's umask applies, as for any file a shell command creates), or, when {@code target}
     * exists, with its permissions, so replacing a file keeps its mode. It is registered for deletion
     * at JVM exit until the write finishes.
     */
    private static Path createTemporary(Path dir, Path target) throws IOException {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deleteTemporaryFiles, "kernels4j-cleanup"));
        }
        Path tmp;
        while (true) {
            tmp = dir.resolve("." + target.getFileName() + "."
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            LIVE.add(tmp);
            try {
                Files.createFile(tmp);
                break;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                LIVE.remove(tmp);
            } catch (IOException e) {
                LIVE.remove(tmp);
                throw e;
            }
        }
        if (Files.exists(target)) {
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            } catch (UnsupportedOperationException | IOException e) {
                // not a POSIX file system, or not ours to read: the default permissions stay
            }
        }
        return tmp;
    }

    /**
     * Deletes every temporary file a write in progress has created. Runs as a shutdown hook; a signal
     * handler that ends the JVM without running hooks calls it first.
     */
    public static void deleteTemporaryFiles() {
        for (Path tmp : LIVE.toArray(new Path[0])) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            LIVE.remove(tmp);
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
