package org.kernels4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.Predictions;
import org.kernels4j.io.SavedModel;
import org.kernels4j.io.serve.PredictionServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kernels4j serve}: a {@link PredictionServer} for one model file until Ctrl-C or SIGTERM, which
 * stop it gracefully (new connections refused, requests in flight answered) and exit 0. A second
 * signal while stopping ends the process at once, as elsewhere in the CLI.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a saved model over HTTP: POST /predict (JSON rows or CSV), GET /health.",
            "Ctrl-C or SIGTERM stops it gracefully: new connections are refused, requests in flight are answered. "
                    + "See docs/serve.md for the JSON schemas, limits and errors."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "Model file from 'fit'.")
    Path model;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--max-body", defaultValue = "16777216", paramLabel = "BYTES",
            description = "Largest request body in bytes; larger ones get 413 (default: ${DEFAULT-VALUE}, 16 MiB).")
    long maxBody;

    @Option(names = "--max-rows", defaultValue = "100000",
            description = "Most rows in one request; more get 413 (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--threads", description = "Request worker threads (default: the number of processors, at least 2). "
            + "Prediction itself uses every core through the Gram engine.")
    Integer threads;

    @Option(names = "--queue", defaultValue = "64",
            description = "Requests that may wait for a worker; beyond them 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--grace", defaultValue = "30", paramLabel = "SECONDS",
            description = "On Ctrl-C/SIGTERM, how long requests in flight may still run (default: ${DEFAULT-VALUE}).")
    int grace;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, got " + port);
        }
        if (maxBody < 1 || maxRows < 1 || queue < 1 || (threads != null && threads < 1)) {
            throw new UsageException("--max-body, --max-rows, --threads and --queue must be at least 1");
        }
        if (grace < 0) {
            throw new UsageException("--grace must be 0 or more seconds, got " + grace);
        }
        SavedModel saved = ModelFiles.load(model);
        PredictionServer.Builder b = PredictionServer.builder(saved).host(host).port(port).maxBodyBytes(maxBody)
                .maxRows(maxRows).queue(queue).grace(Duration.ofSeconds(grace));
        if (threads != null) {
            b.threads(threads);
        }
        PredictionServer server = b.start();
        Runnable stop = () -> server.stop();
        Object[] previous = {onSignal("INT", stop, 130), onSignal("TERM", stop, 143)};
        var out = spec.commandLine().getOut();
        out.printf("serving %s (a '%s' model, %d features; outputs: %s)%n", model,
                org.kernels4j.model.ModelCodecs.kindOf(saved.model()), saved.model().features(),
                Predictions.keys(Predictions.available(saved.model())));
        out.printf("listening on %s  (POST %s, GET %s; Ctrl-C to stop)%n", server.uri(), PredictionServer.PREDICT,
                PredictionServer.HEALTH);
        out.flush();
        server.awaitStop();
        restore("INT", previous[0]);
        restore("TERM", previous[1]);
        out.printf("stopped after %d requests%n", server.requestsAnswered());
        out.flush();
        return 0;
    }

    /**
     * On signal {@code name}: stop the server gracefully on a new thread (the signal thread must not
     * block); a second signal while it stops ends the process at once by that signal (exit status
     * {@code code}). Returns the previous handler (null where the signal is unavailable), to be restored.
     */
    @SuppressWarnings("restriction")
    private static Object onSignal(String name, Runnable stop, int code) {
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                if (once.getAndSet(true)) {
                    System.err.println("kernels4j: second SIG" + name + " while stopping; exiting now");
                    System.err.flush();
                    Main.dieBySignal(name, code);
                }
                System.err.println("kernels4j: SIG" + name + ": stopping (finishing requests in flight)");
                System.err.flush();
                new Thread(stop, "kernels4j-serve-signal").start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null; // the signal is not available here: the default handling stays
        }
    }

    @SuppressWarnings("restriction")
    private static void restore(String name, Object previous) {
        if (previous instanceof sun.misc.SignalHandler h) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), h);
        }
    }
}
