package org.kernels4j.io.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.io.Predictions;
import org.kernels4j.io.SavedModel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.ModelCodecs;

/**
 * An HTTP server that predicts with one saved model, on the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>Endpoints (all answers are JSON; docs/serve.md gives the schemas):
 * <ul>
 *   <li>{@code POST /predict}: a body {@code {"rows": [[x₁₁, …, x₁d], …], "outputs": [...]}} (or
 *       a bare array of rows) with {@code Content-Type: application/json}, or CSV rows with
 *       {@code Content-Type: text/csv} (header optional; outputs then by {@code ?outputs=a,b}). The
 *       answer holds {@code predictions} and, by default, every other output the model has
 *       ({@link Predictions.Output}): {@code std}, {@code probabilities} with {@code classes},
 *       {@code decision_values} with {@code decision_names}. All n rows of a request are predicted by
 *       one call to the model ({@link Predictions#of}): one kernel pass K(rows, training or support
 *       points) through the Gram engine, never one per row.</li>
 *   <li>{@code GET /health}: status, the model (kind, features, outputs, classes) and the limits;
 *       503 while stopping.</li>
 * </ul>
 *
 * <p>Bad requests are answered {@code {"error": "...", "status": s}} and never stop the server:
 * 400 malformed JSON or CSV, wrong number of values in a row, NaN/±Inf, an output the model lacks;
 * 404 unknown path; 405 wrong method; 413 body over {@code maxBodyBytes} or more than
 * {@code maxRows} rows; 415 other content types; 503 when the queue is full or the server is
 * stopping; 500 for an internal error.
 *
 * <p>Threads: HTTP parsing, JSON and CSV run on a bounded pool of {@code threads} workers with a
 * queue of {@code queue} requests (the JDK server hands each readable connection to the pool, which
 * reads the request there); beyond that a request is answered 503 at once on the dispatcher thread. The numerical work itself is spread over all cores by the Gram engine (one request at a
 * time, {@link org.kernels4j.linalg.Parallelism}), so more workers than cores only add overlap of
 * parsing with prediction.
 *
 * <p>{@link #stop} is graceful: the listening socket closes at once (new connections are refused),
 * requests already received are finished and answered with {@code Connection: close}, then the pool
 * ends; after {@code grace} any request still running is cut off.
 */
public final class PredictionServer implements AutoCloseable {
    /** The prediction endpoint. */
    public static final String PREDICT = "/predict";
    /** The health and model-information endpoint. */
    public static final String HEALTH = "/health";

    static {
        // The JDK server writes the response headers and the body as two TCP segments; with Nagle's algorithm
        // on, the body then waits for the client's delayed ACK: about 40 ms added to every small answer
        // (measured here: median 48 ms against 2.5 ms for a one-row request). The JDK reads this property once,
        // when its first server is created, so it is set before ours unless the user chose a value.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Set on the accepting thread while it answers a request the full queue refused. */
    private static final ThreadLocal<Boolean> OVERLOADED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final SavedModel saved;
    private final Builder options;
    private final HttpServer http;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean draining;
    private boolean stopping;

    private PredictionServer(SavedModel saved, Builder options) {
        this.saved = saved;
        this.options = options;
        AtomicInteger ids = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(options.threads, options.threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.queue), r -> {
                    Thread t = new Thread(r, "kernels4j-serve-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> {
                    // the queue is full (or the pool has stopped): run the exchange here, on the JDK's
                    // dispatcher thread, which reads the request line and headers and then gets a 503 without
                    // its body being read, so that an overload costs little time and no memory. (A client
                    // that sends its headers slowly holds the dispatcher meanwhile: overload only.)
                    OVERLOADED.set(Boolean.TRUE);
                    try {
                        task.run();
                    } finally {
                        OVERLOADED.set(Boolean.FALSE);
                    }
                });
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(options.host), options.port);
        } catch (IOException e) {
            throw new Kernels4jException("cannot listen on '" + options.host + "': unknown host");
        }
        try {
            this.http = HttpServer.create(address, options.backlog);
        } catch (IOException e) {
            pool.shutdownNow();
            throw new Kernels4jException("cannot listen on " + options.host + ":" + options.port + ": " + e.getMessage());
        }
        http.createContext("/", this::handle);
        Executor counting = task -> {
            inFlight.incrementAndGet();
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        };
        http.setExecutor(counting);
    }

    /** A builder for a server that predicts with {@code model} (defaults in the builder's methods). */
    public static Builder builder(SavedModel model) {
        if (model == null) {
            throw new Kernels4jException("no model to serve");
        }
        return new Builder(model);
    }

    /** Options of a {@link PredictionServer}; {@link #start} checks them. */
    public static final class Builder {
        private final SavedModel model;
        private String host = "127.0.0.1";
        private int port = 8080;
        private long maxBodyBytes = 16L << 20;
        private int maxRows = 100_000;
        private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int queue = 64;
        private int backlog = 128;
        private Duration grace = Duration.ofSeconds(30);

        private Builder(SavedModel model) {
            this.model = model;
        }

        /** Address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** TCP port, 0 to 65535 (default 8080; 0 picks a free one, see {@link PredictionServer#port()}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Largest request body in bytes, at least 1 (default 16 MiB); larger bodies get 413 unread. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Most rows in one request, at least 1 (default 100,000); more get 413. */
        public Builder maxRows(int rows) {
            this.maxRows = rows;
            return this;
        }

        /** Worker threads, at least 1 (default: the number of processors, at least 2). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Requests that may wait for a worker, at least 1 (default 64); beyond them, 503. */
        public Builder queue(int queue) {
            this.queue = queue;
            return this;
        }

        /** How long {@link PredictionServer#stop()} waits for requests in flight (default 30 s, at least 0). */
        public Builder grace(Duration grace) {
            this.grace = grace;
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws Kernels4jException for an option out of range, or when the address cannot be bound
         *     (port in use, unknown host)
         */
        public PredictionServer start() {
            if (port < 0 || port > 65535) {
                throw new Kernels4jException("port must be between 0 and 65535, got " + port);
            }
            if (maxBodyBytes < 1 || maxRows < 1 || threads < 1 || queue < 1) {
                throw new Kernels4jException("the body limit, row limit, threads and queue must be at least 1, got "
                        + maxBodyBytes + ", " + maxRows + ", " + threads + ", " + queue);
            }
            if (grace == null || grace.isNegative()) {
                throw new Kernels4jException("the grace period must be zero or more, got " + grace);
            }
            PredictionServer s = new PredictionServer(model, this);
            s.http.start();
            return s;
        }
    }

    /** The port the server listens on (the chosen one when built with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port}, the base of the endpoints. */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    /** Requests answered so far (any status). */
    public long requestsAnswered() {
        return answered.get();
    }

    /** {@link #stop(Duration)} with the builder's grace period. */
    public void stop() {
        stop(options.grace);
    }

    /**
     * Stops gracefully: refuses new connections at once, answers the requests already received (for at
     * most {@code grace}), then ends the worker threads. Returns when stopped; a second call waits for
     * the first.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (stopping) {
                awaitStop();
                return;
            }
            stopping = true;
        }
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (grace.toMillis() + 999) / 1000));
        // HttpServer.stop(delay) closes the listening socket at once, then waits for exchanges in flight.
        // JDK 17 waits the whole delay even when none is (JDK-8304065, fixed in 21), so it runs on its own
        // thread and a second stop(0), once our own count of requests in flight is zero, ends its wait.
        Thread closer = new Thread(() -> http.stop(seconds), "kernels4j-serve-stop");
        closer.start();
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            http.stop(0);
            closer.join();
            pool.shutdown();
            if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        } finally {
            stopped.countDown();
        }
    }

    /** Waits until the server has stopped (after {@link #stop} from another thread). */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) {
        int status;
        byte[] body;
        try {
            try {
                if (OVERLOADED.get()) {
                    throw new RequestException(503, draining ? "the server is stopping"
                            : "the server is busy: " + options.queue + " requests are waiting; retry later");
                }
                String path = ex.getRequestURI().getPath();
                String method = ex.getRequestMethod();
                if (PREDICT.equals(path)) {
                    requireMethod(ex, "POST");
                    body = predict(ex);
                    status = 200;
                } else if (HEALTH.equals(path)) {
                    if (!method.equals("HEAD")) {
                        requireMethod(ex, "GET");
                    }
                    status = draining ? 503 : 200;
                    body = health();
                } else {
                    throw new RequestException(404, "no endpoint " + method + " " + path + " (endpoints: POST "
                            + PREDICT + ", GET " + HEALTH + ")");
                }
            } catch (RequestException e) {
                status = e.status();
                body = error(status, e.getMessage());
            } catch (Kernels4jException e) {
                status = 400;
                body = error(status, e.getMessage());
            } catch (OutOfMemoryError e) {
                status = 503;
                body = error(status, "out of memory for this request; send fewer rows");
            } catch (RuntimeException e) {
                status = 500;
                body = error(status, "internal error: " + e);
            }
            respond(ex, status, body);
        } catch (IOException | UncheckedIOException e) {
            // the client went away: nothing to answer, the connection is closed below
        } finally {
            answered.incrementAndGet();
            ex.close();
        }
    }

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new RequestException(405, ex.getRequestURI().getPath() + " takes " + method + ", not "
                    + ex.getRequestMethod());
        }
    }

    private void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (draining) {
            // stopping: the client should send no more on this connection (a body left unread, after 413 or
            // 503, is drained or the connection closed by the JDK server itself)
            ex.getResponseHeaders().set("Connection", "close");
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            // a HEAD answer has headers only; the JDK server logs a warning if it is given a body length
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private byte[] predict(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String media = type == null ? "application/json" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        boolean csv = media.equals("text/csv") || media.equals("application/csv");
        if (!csv && !media.equals("application/json")) {
            throw new RequestException(415, "unsupported Content-Type '" + type + "': send application/json or "
                    + "text/csv (with curl: -H 'Content-Type: application/json')");
        }
        byte[] bytes = readBody(ex);
        Set<Predictions.Output> outputs = null;
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("outputs") && kv.length == 2) {
                    outputs = RequestRows.outputs(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                } else {
                    throw new RequestException(400, "unknown query parameter '" + kv[0] + "' (expected outputs=a,b)");
                }
            }
        }
        Matrix x;
        if (csv) {
            x = RequestRows.csv(bytes, saved, options.maxRows);
        } else {
            RequestRows.Parsed parsed = RequestRows.json(bytes, saved, options.maxRows);
            x = parsed.rows();
            if (parsed.outputs() != null) {
                outputs = parsed.outputs();
            }
        }
        Set<Predictions.Output> wanted = outputs == null ? Predictions.available(saved.model()) : outputs;
        return json(x.rows(), Predictions.of(saved.model(), x, wanted, ProgressListener.NONE));
    }

    /** The body, at most maxBodyBytes (413 beyond, read no further). */
    private byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new RequestException(400, "bad Content-Length '" + length + "'");
            }
            if (declared > options.maxBodyBytes) {
                throw tooLarge(declared + " bytes");
            }
        }
        InputStream in = ex.getRequestBody();
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, options.maxBodyBytes + 1));
        if (bytes.length > options.maxBodyBytes) {
            throw tooLarge("more than " + options.maxBodyBytes + " bytes");
        }
        return bytes;
    }

    private RequestException tooLarge(String size) {
        return new RequestException(413, "request body too large: " + size + ", the server's limit is "
                + options.maxBodyBytes + " bytes (split the request)");
    }

    /** The answer to /predict. */
    private byte[] json(int n, Predictions p) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + n * 24 * (1 + p.values().cols()));
        try (JsonGenerator g = RequestRows.JSON.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeNumberField("rows", n);
            boolean labels = saved.model() instanceof Classifier c && c.classes() != null;
            g.writeFieldName("predictions");
            if (labels && saved.classLabels() != null) {
                g.writeStartArray();
                for (double v : p.values().data()) {
                    g.writeString(saved.classLabels().name(v));
                }
                g.writeEndArray();
            } else {
                writeColumnsOrVector(g, p.values());
            }
            if (p.std() != null) {
                g.writeFieldName("std");
                writeColumnsOrVector(g, p.std());
            }
            if (p.probabilities() != null) {
                g.writeArrayFieldStart("classes");
                for (double c : ((Classifier) saved.model()).classes()) {
                    writeLabel(g, c);
                }
                g.writeEndArray();
                g.writeFieldName("probabilities");
                writeRows(g, p.probabilities());
            }
            if (p.decisions() != null) {
                g.writeArrayFieldStart("decision_names");
                for (String name : Predictions.decisionNames(saved, p.decisions().cols())) {
                    g.writeString(name);
                }
                g.writeEndArray();
                g.writeFieldName("decision_values");
                writeRows(g, p.decisions());
            }
            g.writeEndObject();
        }
        return buffer.toByteArray();
    }

    /** A class code as its name (text labels) or number. */
    private void writeLabel(JsonGenerator g, double code) throws IOException {
        if (saved.classLabels() != null) {
            g.writeString(saved.classLabels().name(code));
        } else {
            g.writeNumber(code);
        }
    }

    /** One column: a flat array of n numbers; several: n arrays. */
    private static void writeColumnsOrVector(JsonGenerator g, Matrix m) throws IOException {
        if (m.cols() == 1) {
            g.writeArray(m.data(), 0, m.rows());
        } else {
            writeRows(g, m);
        }
    }

    private static void writeRows(JsonGenerator g, Matrix m) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < m.rows(); i++) {
            g.writeArray(m.data(), i * m.cols(), m.cols());
        }
        g.writeEndArray();
    }

    private byte[] health() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (JsonGenerator g = RequestRows.JSON.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("status", draining ? "stopping" : "ok");
            g.writeObjectFieldStart("model");
            g.writeStringField("kind", ModelCodecs.kindOf(saved.model()));
            g.writeNumberField("features", saved.model().features());
            g.writeArrayFieldStart("feature_names");
            for (String name : saved.featureNames()) {
                g.writeString(name);
            }
            g.writeEndArray();
            g.writeStringField("target", saved.targetName());
            g.writeArrayFieldStart("outputs");
            for (Predictions.Output o : Predictions.available(saved.model())) {
                g.writeString(o.key());
            }
            g.writeEndArray();
            if (saved.model() instanceof Classifier c && c.classes() != null) {
                g.writeArrayFieldStart("classes");
                for (double code : c.classes()) {
                    writeLabel(g, code);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("limits");
            g.writeNumberField("max_body_bytes", options.maxBodyBytes);
            g.writeNumberField("max_rows", options.maxRows);
            g.writeNumberField("threads", options.threads);
            g.writeNumberField("queue", options.queue);
            g.writeEndObject();
            g.writeNumberField("requests_answered", answered.get());
            g.writeEndObject();
        }
        return buffer.toByteArray();
    }

    private static byte[] error(int status, String message) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (JsonGenerator g = RequestRows.JSON.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeNumberField("status", status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
