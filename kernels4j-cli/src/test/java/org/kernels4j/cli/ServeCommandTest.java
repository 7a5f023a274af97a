package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.serve.PredictionServer;

/**
 * {@code kernels4j serve} and the {@link PredictionServer} behind it: answers equal to {@code predict}'s
 * on the same rows under 8 concurrent clients, every bad request its 4xx with a message (and the server
 * still answering), the health endpoint, graceful stop in-process and on SIGTERM.
 */
class ServeCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path train;
    Path test;
    List<double[]> testRows = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    PredictionServer server;

    /** Three Gaussian classes in 2-D with text labels (a, b, c): 120 training rows, 40 test rows, with a header. */
    @BeforeEach
    void writeData() throws IOException {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        Random r = new Random(11);
        for (Path p : List.of(train, test)) {
            List<String> lines = new ArrayList<>(List.of("u,v,label"));
            int n = p == train ? 120 : 40;
            for (int i = 0; i < n; i++) {
                int c = i % 3;
                double u = c + 0.7 * r.nextGaussian();
                double v = (c == 1 ? 1 : 0) + 0.7 * r.nextGaussian();
                lines.add(u + "," + v + "," + "abc".charAt(c));
                if (p == test) {
                    testRows.add(new double[] {u, v});
                }
            }
            Files.write(p, lines);
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    Path fit(String name, String... args) {
        Path model = dir.resolve(name);
        List<String> all = new ArrayList<>(List.of("fit", "--train", train.toString(), "--out", model.toString()));
        all.addAll(List.of(args));
        CliTest.Run r = CliTest.run(all.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        return model;
    }

    PredictionServer serve(Path model, int maxBody, int maxRows) {
        server = PredictionServer.builder(ModelFiles.load(model)).port(0).maxBodyBytes(maxBody).maxRows(maxRows)
                .threads(3).queue(32).start();
        return server;
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String rowsJson(List<double[]> rows) {
        StringBuilder b = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < rows.size(); i++) {
            b.append(i == 0 ? "[" : ", [").append(rows.get(i)[0]).append(", ").append(rows.get(i)[1]).append(']');
        }
        return b.append("]}").toString();
    }

    /** The CSV that {@code predict} writes: header, then one record per row. */
    List<CSVRecord> predictCsv(Path model, String... flags) throws IOException {
        Path out = dir.resolve("p" + System.nanoTime() + ".csv");
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--data", test.toString(),
                "--out", out.toString(), "--no-progress"));
        args.addAll(List.of(flags));
        CliTest.Run r = CliTest.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        try (var reader = Files.newBufferedReader(out)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
    }

    static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void eightConcurrentClientsGetWhatPredictWrites() throws Exception {
        Path model = fit("svc.zip", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--probability");
        List<CSVRecord> expected = predictCsv(model, "--proba", "--decision");
        serve(model, 1 << 20, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                Callable<Integer> client = () -> {
                    int checked = 0;
                    for (int rep = 0; rep < 3; rep++) {
                        // thread t asks for rows t, t+8, t+16, …: every request a different batch
                        List<Integer> index = new ArrayList<>();
                        for (int i = (first + rep) % 8; i < testRows.size(); i += 8) {
                            index.add(i);
                        }
                        HttpResponse<String> r = post("/predict", "application/json",
                                rowsJson(index.stream().map(testRows::get).toList()));
                        assertEquals(200, r.statusCode(), r.body());
                        JsonNode a = JSON.readTree(r.body());
                        assertEquals(index.size(), a.get("rows").asInt());
                        assertEquals(List.of("a", "b", "c"), List.of(a.get("classes").get(0).asText(),
                                a.get("classes").get(1).asText(), a.get("classes").get(2).asText()));
                        assertEquals("a vs b", a.get("decision_names").get(0).asText());
                        for (int k = 0; k < index.size(); k++) {
                            CSVRecord e = expected.get(index.get(k));
                            assertEquals(e.get("label"), a.get("predictions").get(k).asText());
                            for (int c = 0; c < 3; c++) {
                                close(Double.parseDouble(e.get("label_p_" + "abc".charAt(c))),
                                        a.get("probabilities").get(k).get(c).asDouble(), "probability");
                            }
                            close(Double.parseDouble(e.get("decision_a_vs_b")),
                                    a.get("decision_values").get(k).get(0).asDouble(), "a vs b");
                            close(Double.parseDouble(e.get("decision_b_vs_c")),
                                    a.get("decision_values").get(k).get(2).asDouble(), "b vs c");
                            checked++;
                        }
                    }
                    return checked;
                };
                done.add(pool.submit(client));
            }
            int checked = 0;
            for (Future<Integer> f : done) {
                checked += f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(3 * testRows.size(), checked);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void gaussianProcessAnswersMeanAndStdAsPredictDoesAlsoFromCsv() throws Exception {
        // regression of v on u: the data without the label column
        Path gpTrain = dir.resolve("gp-train.csv");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(train)) {
            lines.add(line.substring(0, line.lastIndexOf(',')));
        }
        Files.write(gpTrain, lines);
        Path gpTest = dir.resolve("gp-test.csv");
        lines.clear();
        for (String line : Files.readAllLines(test)) {
            lines.add(line.substring(0, line.lastIndexOf(',')));
        }
        Files.write(gpTest, lines);
        Path model = dir.resolve("gp.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "gp", "--train", gpTrain.toString(), "--kernel",
                "1*rbf(length=1) + white(noise=0.1)", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        test = gpTest;
        List<CSVRecord> expected = predictCsv(model, "--std");
        serve(model, 1 << 20, 1000);
        StringBuilder csv = new StringBuilder("v,u\n"); // by name: the target column first, ignored
        for (double[] row : testRows) {
            csv.append(row[1]).append(',').append(row[0]).append('\n');
        }
        HttpResponse<String> r = post("/predict", "text/csv; charset=utf-8", csv.toString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode a = JSON.readTree(r.body());
        assertFalse(a.has("probabilities") || a.has("decision_values"), r.body());
        assertEquals(testRows.size(), expected.size());
        for (int i = 0; i < expected.size(); i++) {
            close(Double.parseDouble(expected.get(i).get("v")), a.get("predictions").get(i).asDouble(), "mean");
            close(Double.parseDouble(expected.get(i).get("v_std")), a.get("std").get(i).asDouble(), "std");
        }
        HttpResponse<String> meanOnly = post("/predict?outputs=prediction", "application/json",
                "[[" + testRows.get(3)[0] + "]]");
        assertEquals(200, meanOnly.statusCode(), meanOnly.body());
        JsonNode m = JSON.readTree(meanOnly.body());
        assertFalse(m.has("std"), meanOnly.body());
        close(Double.parseDouble(expected.get(3).get("v")), m.get("predictions").get(0).asDouble(), "mean");
    }

    @Test
    void everyBadRequestGetsItsStatusAndMessageAndTheServerGoesOn() throws Exception {
        Path model = fit("svc.zip", "--model", "svc", "--kernel", "rbf(gamma=0.5)");
        serve(model, 2000, 50);
        String good = rowsJson(testRows.subList(0, 3));
        String big = rowsJson(java.util.Collections.nCopies(200, new double[] {1.25, -0.5}));
        String[][] cases = {
            // content type, body, status, words in the message
            {"application/json", "{\"rows\": [[1, 2], [3, 4]", "400", "malformed JSON at line 1"},
            {"application/json", "{\"rows\": [[1, 2], [3]]}", "400", "rows[1] has 1 value but the model expects 2 features"},
            {"application/json", "{\"rows\": [[1, 2, 5]]}", "400", "rows[0] has 3 values"},
            {"application/json", "{\"rows\": [[1, NaN]]}", "400", "rows[0][1] is NaN"},
            {"application/json", "{\"rows\": [[1e999, 0]]}", "400", "rows[0][0] is 1e999"},
            {"application/json", "{\"rows\": [[1, -Infinity]]}", "400", "rows[0][1] is -Infinity"},
            {"application/json", "{\"rows\": [[1, \"2\"]]}", "400", "rows[0][1] must be a number, found a string"},
            {"application/json", "{\"rows\": [[1, null]]}", "400", "found null"},
            {"application/json", "{\"rows\": [3]}", "400", "rows[0] must be an array of 2 numbers"},
            {"application/json", "{\"rows\": []}", "400", "no rows"},
            {"application/json", "", "400", "empty body"},
            {"application/json", "{\"data\": [[1, 2]]}", "400", "unknown field 'data'"},
            {"application/json", "{\"outputs\": [\"prediction\"]}", "400", "no 'rows' field"},
            {"application/json", "{\"rows\": [[1, 2]], \"outputs\": [\"std\"]}", "400", "has no std output"},
            {"application/json", "{\"rows\": [[1, 2]], \"outputs\": [\"proba\"]}", "400", "unknown output 'proba'"},
            {"application/json", "{\"rows\": [[1, 2]]} {}", "400", "more data after the end"},
            {"application/json", big, "413", "the server's limit is 2000 bytes"},
            {"application/json", rowsJson(java.util.Collections.nCopies(51, new double[] {1, 2})), "413",
                "more than 50"},
            {"text/csv", "1,2\n3,4,5\n", "400", "CSV body:2: expected 2 cells but found 3"},
            {"text/csv", "1,2,3\n", "400", "the CSV body has 3 columns but the model expects 2 features"},
            {"text/csv", "1,NaN\n", "400", "CSV body:1:2: NaN value in column 2 (the model's 'v')"},
            {"text/csv", "u,w\n1,2\n", "400", "missing [v] unknown [w]"},
            {"application/xml", "<rows/>", "415", "unsupported Content-Type 'application/xml'"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post("/predict", c[0], c[1]);
            assertEquals(Integer.parseInt(c[2]), r.statusCode(), c[1] + " -> " + r.body());
            JsonNode error = JSON.readTree(r.body());
            assertEquals(r.statusCode(), error.get("status").asInt());
            assertTrue(error.get("error").asText().contains(c[3]), c[3] + " in " + r.body());
            assertFalse(error.get("error").asText().contains("\n"), "one line: " + r.body());
            HttpResponse<String> after = post("/predict", "application/json", good);
            assertEquals(200, after.statusCode(), "after " + c[1] + ": " + after.body());
        }
        // a chunked body (no Content-Length) over the limit, read up to the limit only
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        // a missing Content-Type is read as JSON
        assertEquals(200, post("/predict", null, good).statusCode());
        // wrong method, unknown path, unknown query parameter
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(server.uri().resolve("/predict")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
        assertTrue(get.body().contains("/predict takes POST, not GET"), get.body());
        HttpResponse<String> postHealth = post("/health", "application/json", good);
        assertEquals(405, postHealth.statusCode());
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> missing = post("/predictions", "application/json", good);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("no endpoint POST /predictions"), missing.body());
        HttpResponse<String> query = post("/predict?output=std", "application/json", good);
        assertEquals(400, query.statusCode());
        assertTrue(query.body().contains("unknown query parameter 'output'"), query.body());
        assertEquals(200, post("/predict", "application/json", good).statusCode());
    }

    @Test
    void healthDescribesTheModelAndLimits() throws Exception {
        Path model = fit("svc.zip", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--probability");
        serve(model, 1234, 56);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri().resolve("/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode h = JSON.readTree(r.body());
        assertEquals("ok", h.get("status").asText());
        JsonNode m = h.get("model");
        assertEquals("svm", m.get("kind").asText());
        assertEquals(2, m.get("features").asInt());
        assertEquals("[\"u\",\"v\"]", m.get("feature_names").toString());
        assertEquals("label", m.get("target").asText());
        assertEquals("[\"prediction\",\"probabilities\",\"decision\"]", m.get("outputs").toString());
        assertEquals("[\"a\",\"b\",\"c\"]", m.get("classes").toString());
        assertEquals(1234, h.get("limits").get("max_body_bytes").asInt());
        assertEquals(56, h.get("limits").get("max_rows").asInt());
        assertEquals(3, h.get("limits").get("threads").asInt());
        assertEquals(32, h.get("limits").get("queue").asInt());
        assertEquals(0, h.get("requests_answered").asInt());
        // TCP_NODELAY on the server's sockets: else each small answer waits ~40 ms for a delayed ACK
        assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
    }

    /** A request whose headers and first half of the body are sent: the handler waits for the rest. */
    static Socket halfSentRequest(URI base, String body) throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        s.setSoTimeout(30_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        return s;
    }

    /** Sends the rest of the body and reads the whole answer (the server closes the connection). */
    static String finish(Socket s, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        s.getOutputStream().flush();
        try (InputStream in = s.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8); // to EOF: Connection: close
        }
    }

    static boolean refuses(URI base) {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void stopRefusesNewConnectionsButAnswersTheRequestInFlight() throws Exception {
        Path model = fit("svc.zip", "--model", "svc", "--kernel", "rbf(gamma=0.5)");
        serve(model, 1 << 20, 1000);
        URI base = server.uri();
        String body = rowsJson(testRows.subList(0, 5));
        String direct = post("/predict", "application/json", body).body();
        Socket inFlight = halfSentRequest(base, body);
        Thread.sleep(200); // the server has read the headers and waits in the handler for the body
        Thread stopper = new Thread(() -> server.stop(Duration.ofSeconds(20)));
        stopper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!refuses(base) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(refuses(base), "new connections are refused while stopping");
        assertTrue(stopper.isAlive(), "stop waits for the request in flight");
        String answer = finish(inFlight, body);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        assertEquals(direct, answer.substring(answer.indexOf("\r\n\r\n") + 4));
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "stop returns once the request is answered");
        server = null;
    }

    @Test
    void sigtermStopsTheServeCommandGracefullyWithExitCodeZero() throws Exception {
        Path model = fit("svc.zip", "--model", "svc", "--kernel", "rbf(gamma=0.5)");
        Process p = BadInputTest.cli("512m", "serve", "--model", model.toString(), "--port", "0", "--grace", "20")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            URI base = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("listening on ")) {
                    base = URI.create(line.substring("listening on ".length()).split(" ")[0]);
                    break;
                }
            }
            assertNotNull(base, "the command prints where it listens");
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(base.resolve("/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            String body = rowsJson(testRows.subList(0, 4));
            Socket inFlight = halfSentRequest(base, body);
            Thread.sleep(300);
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            URI b = base;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!refuses(b) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "still answering the request in flight");
            String answer = finish(inFlight, body);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            String rest = out.lines().collect(java.util.stream.Collectors.joining("\n")); // to the end of the output
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertTrue(rest.contains("stopped after 2 requests"), rest);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badOptionsAndUnusablePortsAreOneLineErrors() throws Exception {
        CliTest.Run noModel = CliTest.run("serve", "--model", dir.resolve("none.zip").toString(), "--port", "0");
        assertEquals(1, noModel.code());
        assertEquals(1, noModel.err().lines().count(), noModel.err());
        assertTrue(noModel.err().contains("none.zip"), noModel.err());
        Path model = fit("svc.zip", "--model", "svc", "--kernel", "rbf(gamma=0.5)");
        CliTest.Run port = CliTest.run("serve", "--model", model.toString(), "--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("--port must be between 0 and 65535, got 70000"), port.err());
        CliTest.Run rows = CliTest.run("serve", "--model", model.toString(), "--max-rows", "0");
        assertEquals(2, rows.code());
        assertTrue(rows.err().contains("--max-rows"), rows.err());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliTest.Run inUse = CliTest.run("serve", "--model", model.toString(), "--port",
                    String.valueOf(taken.getLocalPort()));
            assertEquals(1, inUse.code());
            assertEquals(1, inUse.err().lines().count(), inUse.err());
            assertTrue(inUse.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), inUse.err());
        }
        assertThrows(org.kernels4j.Kernels4jException.class,
                () -> PredictionServer.builder(ModelFiles.load(model)).port(0).threads(0).start());
    }
}
