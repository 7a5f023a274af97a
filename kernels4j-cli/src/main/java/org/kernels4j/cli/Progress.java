package org.kernels4j.cli;

import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.kernels4j.ProgressListener;

/**
 * A progress bar on stderr (drawn by the progressbar library) that appears only once a stage has
 * run for two seconds, so quick commands stay quiet. Safe to call from worker threads.
 */
final class Progress implements ProgressListener, AutoCloseable {
    private static final long DELAY_NANOS = 2_000_000_000L;
    private final boolean enabled;
    private final AtomicReference<ProgressBar> bar = new AtomicReference<>();
    private volatile String stage = "";
    private volatile long stageStart = System.nanoTime();

    Progress(boolean enabled) {
        this.enabled = enabled && !Boolean.getBoolean("kernels4j.quiet");
    }

    @Override
    public synchronized void progress(long done, long total, String stageName) {
        if (!enabled) {
            return;
        }
        if (!stageName.equals(stage)) {
            close();
            stage = stageName;
            stageStart = System.nanoTime();
        }
        ProgressBar b = bar.get();
        if (b == null) {
            if (System.nanoTime() - stageStart < DELAY_NANOS || done >= total) {
                return;
            }
            b = new ProgressBarBuilder().setTaskName(stageName).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build();
            bar.set(b);
        }
        b.stepTo(done);
    }

    @Override
    public synchronized void close() {
        ProgressBar b = bar.getAndSet(null);
        if (b != null) {
            b.close();
        }
    }
}
