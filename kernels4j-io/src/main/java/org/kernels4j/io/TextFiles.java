package org.kernels4j.io;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.NoSuchFileException;
import org.kernels4j.Kernels4jException;

/** The one mapping from a failed read of a text file to the message a user sees. */
final class TextFiles {
    private TextFiles() {
    }

    /** "FILE: no such file", "FILE: not a UTF-8 text file" or "FILE: cannot read: …". */
    static Kernels4jException unreadable(String name, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new Kernels4jException(name + ": no such file");
        }
        if (e instanceof MalformedInputException) {
            return new Kernels4jException(name + ": not a UTF-8 text file");
        }
        return new Kernels4jException(name + ": cannot read: " + e.getMessage(), e);
    }
}
