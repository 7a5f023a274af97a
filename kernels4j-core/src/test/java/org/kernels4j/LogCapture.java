package org.kernels4j;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the library logs through {@code System.Logger} on one logger, for tests. With no other
 * {@code System.LoggerFinder} installed the JDK sends System.Logger records to java.util.logging under the
 * same name, so a handler on that java.util.logging logger sees them, and the level set here (FINE, i.e.
 * DEBUG) decides what is logged at all. Close it to restore the logger.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger; // a strong reference: java.util.logging keeps loggers weakly
    private final Level previousLevel;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(Class<?> source) {
        logger = Logger.getLogger(source.getName());
        previousLevel = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
    }

    /** Starts collecting the records of the logger named after {@code source} (as the library names them). */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** The messages logged at exactly {@code level} so far, formatted. */
    public List<String> messages(Level level) {
        java.util.logging.Formatter text = new java.util.logging.SimpleFormatter();
        List<String> out = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().equals(level)) {
                    out.add(text.formatMessage(r));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
