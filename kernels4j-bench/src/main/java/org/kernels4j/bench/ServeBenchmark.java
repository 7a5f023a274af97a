package org.kernels4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.io.Predictions;
import org.kernels4j.io.SavedModel;
import org.kernels4j.io.serve.PredictionServer;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * {@code bench serve}: a load test of the prediction server ({@link PredictionServer}) on loopback,
 * in this JVM. An RBF C-SVC (γ = scikit-learn's 'scale', {@link SvmBenchmark#scaleGamma}) is trained on
 * the seeded two-class data of {@link SyntheticData#classification}; its support-vector count is
 * reported (10,000 rows, d = 8, C = 0.03 and seed 1 give 5,040; C = 1 gives 2,445). Then, for each
 * request size (rows per request) and each client count, that many closed-loop client threads each send a request,
 * wait for the whole answer and send the next, for {@code warmup} seconds untimed (JIT) and then
 * {@code seconds} timed. Bodies are JSON, serialised before the run (a pool of 16 different bodies per
 * size, drawn from held-out rows), answers hold labels and decision values.
 *
 * <p>Reported per size: requests/s and rows/s over the timed window; the latency of each request
 * (send to last byte received, java.net.http client) as p50/p99/max from an HdrHistogram (3
 * significant digits); and, as a ratio measured in the same run, p50 over the in-process prediction
 * time of the same rows ({@link Predictions#of}, median of repeated calls): what HTTP, JSON and
 * queueing add. Clients and server share the machine's cores, so the client's own cost is inside the
 * figures. One request's answers are checked against the in-process prediction (labels equal,
 * decision values to 1e-9).
 */
public final class ServeBenchmark {
    /**
     * What to run.
     *
     * @param trainRows training rows of the SVM (10,000 with C = 0.03 give 5,040 support vectors)
     * @param d features (at least 5)
     * @param c the SVM's C
     * @param sizes rows per request, each a scenario (e.g. 1 and 1000)
     * @param clients closed-loop client counts, each a scenario per size (1: latency without queueing;
     *     more: throughput, with each request waiting for those ahead of it)
     * @param warmupSeconds untimed seconds per scenario
     * @param seconds timed seconds per scenario
     * @param threads server worker threads
     * @param seed data seed
     */
    public record Options(int trainRows, int d, double c, int[] sizes, int[] clients, double warmupSeconds,
            double seconds, int threads, long seed) {
    }

    /**
     * One request size under load.
     *
     * @param rowsPerRequest rows in each request
     * @param clients client threads
     * @param requests requests answered in the timed window
     * @param errors answers that were not 200 (or failed) in the timed window
     * @param seconds the timed window
     * @param requestsPerSecond requests / seconds
     * @param rowsPerSecond requests · rows / seconds
     * @param p50Millis median latency, ms
     * @param p99Millis 99th-percentile latency, ms
     * @param maxMillis largest latency, ms
     * @param directMillis in-process prediction of the same number of rows (median), ms
     */
    public record Scenario(int rowsPerRequest, int clients, long requests, long errors, double seconds,
            double requestsPerSecond, double rowsPerSecond, double p50Millis, double p99Millis, double maxMillis,
            double directMillis) {
        /** p50 latency over in-process prediction time: what the server adds, as a factor. */
        public double p50OverDirect() {
            return p50Millis / directMillis;
        }
    }

    /**
     * What was measured.
     *
     * @param trainRows training rows
     * @param d features
     * @param kernel the kernel's spec
     * @param supportVectors support vectors of the served model
     * @param fitSeconds training time, s
     * @param threads numerical threads ({@link Parallelism#threads()})
     * @param serverThreads server worker threads
     * @param scenarios one per request size and client count, sizes outer
     */
    public record Result(int trainRows, int d, String kernel, int supportVectors, double fitSeconds, int threads,
            int serverThreads, List<Scenario> scenarios) {
    }

    private ServeBenchmark() {
    }

    /** Trains the model, starts the server on 127.0.0.1 (a free port), runs every scenario, stops the server. */
    public static Result run(Options o, Consumer<Scenario> sink) {
        if (o.trainRows() < 10 || o.clients().length == 0 || Arrays.stream(o.clients()).anyMatch(c -> c < 1)
                || o.seconds() <= 0 || o.warmupSeconds() < 0 || o.sizes().length == 0
                || Arrays.stream(o.sizes()).anyMatch(s -> s < 1)) {
            throw new Kernels4jException("serve benchmark: need at least 10 training rows, 1 client, positive seconds "
                    + "and request sizes of at least 1 row");
        }
        int maxSize = Arrays.stream(o.sizes()).max().getAsInt();
        int pool = 16;
        SyntheticData.Classification all = SyntheticData.classification(o.trainRows() + maxSize * pool, o.d(), o.seed());
        Matrix xTrain = all.x().rowRange(0, o.trainRows());
        Matrix xHeld = all.x().rowRange(o.trainRows(), all.x().rows());
        RbfKernel kernel = RbfKernel.withGamma(SvmBenchmark.scaleGamma(xTrain));
        long t0 = System.nanoTime();
        SvmModel model = SupportVectorMachine.classifier(kernel).c(o.c()).build()
                .fit(xTrain, Matrix.column(Arrays.copyOf(all.y(), o.trainRows())));
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        List<String> names = new ArrayList<>();
        for (int j = 0; j < o.d(); j++) {
            names.add("x" + j);
        }
        SavedModel saved = new SavedModel(model, names, "y");
        List<Scenario> scenarios = new ArrayList<>();
        PredictionServer server = PredictionServer.builder(saved).port(0).threads(o.threads())
                .maxRows(Math.max(maxSize, 1)).grace(Duration.ofSeconds(5)).start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            URI uri = server.uri().resolve(PredictionServer.PREDICT);
            for (int size : o.sizes()) {
                byte[][] bodies = new byte[pool][];
                Matrix[] batches = new Matrix[pool];
                for (int b = 0; b < pool; b++) {
                    batches[b] = xHeld.rowRange(b * size, (b + 1) * size);
                    bodies[b] = json(batches[b]);
                }
                check(client, uri, bodies[0], batches[0], saved);
                double direct = directMillis(model, batches, o.warmupSeconds());
                for (int clients : o.clients()) {
                    load(client, uri, bodies, clients, o.warmupSeconds());
                    Scenario s = measure(client, uri, bodies, size, clients, o.seconds(), direct);
                    scenarios.add(s);
                    sink.accept(s);
                }
            }
        } finally {
            server.stop();
        }
        return new Result(o.trainRows(), o.d(), kernel.toSpec(), model.supportVectorCount(), fitSeconds,
                Parallelism.threads(), o.threads(), scenarios);
    }

    /** {"rows": [[...], ...]} with full double precision. */
    static byte[] json(Matrix x) {
        StringBuilder b = new StringBuilder(x.rows() * x.cols() * 22 + 16).append("{\"rows\":[");
        for (int i = 0; i < x.rows(); i++) {
            b.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < x.cols(); j++) {
                b.append(j == 0 ? "" : ",").append(x.get(i, j));
            }
            b.append(']');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One request answered as in-process prediction answers: labels equal, decision values within 1e-9. */
    private static void check(HttpClient client, URI uri, byte[] body, Matrix x, SavedModel saved) {
        HttpResponse<byte[]> r = send(client, uri, body);
        if (r == null || r.statusCode() != 200) {
            throw new Kernels4jException("serve benchmark: the server answered "
                    + (r == null ? "nothing" : r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8)));
        }
        Predictions p = Predictions.of(saved.model(), x, EnumSet.of(Predictions.Output.DECISION), ProgressListener.NONE);
        try {
            JsonNode answer = new ObjectMapper().readTree(r.body());
            for (int i = 0; i < x.rows(); i++) {
                double label = answer.get("predictions").get(i).asDouble();
                double f = answer.get("decision_values").get(i).get(0).asDouble();
                if (label != p.values().get(i, 0) || Math.abs(f - p.decisions().get(i, 0)) > 1e-9 * (1 + Math.abs(f))) {
                    throw new Kernels4jException("serve benchmark: row " + i + " answered " + label + ", " + f
                            + " but in-process prediction gives " + p.values().get(i, 0) + ", " + p.decisions().get(i, 0));
                }
            }
        } catch (IOException e) {
            throw new Kernels4jException("serve benchmark: unreadable answer: " + e.getMessage());
        }
    }

    /** Median in-process prediction time of one batch (labels and decision values, as the server computes). */
    private static double directMillis(SvmModel model, Matrix[] batches, double warmupSeconds) {
        long end = System.nanoTime() + (long) (Math.max(0.2, warmupSeconds / 2) * 1e9);
        List<Double> times = new ArrayList<>();
        for (int i = 0; times.size() < 15 || System.nanoTime() < end; i++) {
            long t = System.nanoTime();
            Predictions.of(model, batches[i % batches.length], Predictions.available(model), ProgressListener.NONE);
            times.add((System.nanoTime() - t) / 1e6);
            if (times.size() > 100_000) {
                break;
            }
        }
        List<Double> last = times.subList(times.size() / 2, times.size()); // after the JIT warm-up
        double[] sorted = last.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static void load(HttpClient client, URI uri, byte[][] bodies, int clients, double seconds) {
        run(client, uri, bodies, clients, seconds, null, new AtomicLong(), new AtomicLong());
    }

    private static Scenario measure(HttpClient client, URI uri, byte[][] bodies, int size, int clients, double seconds,
            double direct) {
        Histogram h = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        double elapsed = run(client, uri, bodies, clients, seconds, h, ok, errors);
        return new Scenario(size, clients, ok.get(), errors.get(), elapsed, ok.get() / elapsed,
                ok.get() * (double) size / elapsed, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6, direct);
    }

    /**
     * {@code clients} closed-loop threads for {@code seconds}; latencies (ns) of 200 answers into {@code h}
     * when not null. Returns the elapsed seconds.
     */
    private static double run(HttpClient client, URI uri, byte[][] bodies, int clients, double seconds, Histogram h,
            AtomicLong ok, AtomicLong errors) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 0; c < clients; c++) {
            Histogram mine = h == null ? null : new Histogram(h.getHighestTrackableValue(), 3);
            histograms.add(mine);
            int first = c;
            Thread t = new Thread(() -> {
                int i = first;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = send(client, uri, bodies[i++ % bodies.length]);
                    long ns = System.nanoTime() - t0;
                    if (r != null && r.statusCode() == 200) {
                        ok.incrementAndGet();
                        if (mine != null) {
                            mine.recordValue(Math.min(ns, mine.getHighestTrackableValue()));
                        }
                    } else {
                        errors.incrementAndGet();
                    }
                }
            }, "serve-bench-client-" + c);
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Kernels4jException("serve benchmark interrupted");
            }
        }
        if (failure.get() != null) {
            throw new Kernels4jException("serve benchmark: a client failed: " + failure.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (h != null) {
            for (Histogram mine : histograms) {
                h.add(mine);
            }
        }
        return elapsed;
    }

    /** POSTs {@code body}; null when the request failed (connection refused or reset). */
    private static HttpResponse<byte[]> send(HttpClient client, URI uri, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
