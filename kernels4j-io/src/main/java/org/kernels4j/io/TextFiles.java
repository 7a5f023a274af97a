package org.kernels4j.io;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.NoSuchFileException;
import org.kernels4j.Kernels4jException;

/** The one mapping from a failed read of a text file to the message a user sees. */
final class TextFiles {
    private TextFiles() {
    }

    /** The byte order mark some editors (Excel, Notepad) put at the start of a UTF-8 file. */
    static final char BYTE_ORDER_MARK = '\uFEFF';

    /** {@code in}, past a leading byte order mark if there is one. */
    static java.io.Reader skipByteOrderMark(java.io.Reader in) throws IOException {
        java.io.BufferedReader b = in instanceof java.io.BufferedReader br ? br : new java.io.BufferedReader(in);
        b.mark(1);
        if (b.read() != BYTE_ORDER_MARK) {
            b.reset();
        }
        return b;
    }

    /** {@code line} without a leading byte order mark (for the first line of a file). */
    static String withoutByteOrderMark(String line) {
        return line != null && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK ? line.substring(1) : line;
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
