package org.kernels4j.io.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.Predictions;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;

/** Request parsing at its boundaries, and the server's limits, overload and stop, on a small KRR model. */
class PredictionServerTest {
    static final SavedModel MODEL = krr();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    PredictionServer server;

    /** KRR on y = a − 2b over a 5×5 grid: features 'a', 'b', target 'y'. */
    static SavedModel krr() {
        Matrix x = new Matrix(25, 2);
        Matrix y = new Matrix(25, 1);
        for (int i = 0; i < 25; i++) {
            x.set(i, 0, i % 5 * 0.5);
            x.set(i, 1, i / 5 * 0.5);
            y.set(i, 0, x.get(i, 0) - 2 * x.get(i, 1));
        }
        return new SavedModel(KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(1e-3).build().fit(x, y),
                List.of("a", "b"), "y");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RequestException refused(Runnable r) {
        return assertThrows(RequestException.class, r::run);
    }

    @Test
    void jsonRowsAreReadExactlyWithTheirOutputs() {
        RequestRows.Parsed p = RequestRows.json(bytes("{\"outputs\": [\"prediction\"], \"rows\": [[0.1, -2], [1e-300, 3.5E2]]}"),
                MODEL, 2);
        assertArrayEquals(new double[] {0.1, -2, 1e-300, 350}, p.rows().data());
        assertEquals(2, p.rows().cols());
        assertEquals(EnumSet.of(Predictions.Output.PREDICTION), p.outputs());
        RequestRows.Parsed bare = RequestRows.json(bytes("[[1, 2]]"), MODEL, 1);
        assertArrayEquals(new double[] {1, 2}, bare.rows().data());
        assertNull(bare.outputs());
        assertEquals(EnumSet.of(Predictions.Output.STD, Predictions.Output.DECISION),
                RequestRows.outputs("decision, std,,"));
    }

    @Test
    void theRowLimitIsInclusiveAndEveryRefusalNamesItsPlace() {
        assertEquals(3, RequestRows.json(bytes("[[1,2],[3,4],[5,6]]"), MODEL, 3).rows().rows());
        RequestException over = refused(() -> RequestRows.json(bytes("[[1,2],[3,4],[5,6]]"), MODEL, 2));
        assertEquals(413, over.status());
        assertEquals("too many rows: more than 2 in one request (the server's row limit; split the request)",
                over.getMessage());
        RequestException csvOver = refused(() -> RequestRows.csv(bytes("1,2\n3,4\n5,6\n"), MODEL, 2));
        assertEquals(413, csvOver.status());
        assertTrue(csvOver.getMessage().startsWith("too many rows: 3 in one request, the server's limit is 2"));
        assertEquals(3, RequestRows.csv(bytes("1,2\n3,4\n5,6\n"), MODEL, 3).rows());

        RequestException shortRow = refused(() -> RequestRows.json(bytes("[[1,2],[3]]"), MODEL, 9));
        assertEquals(400, shortRow.status());
        assertEquals("rows[1] has 1 value but the model expects 2 features [a, b]", shortRow.getMessage());
        assertEquals("rows[0] has 3 values but the model expects 2 features [a, b]",
                refused(() -> RequestRows.json(bytes("[[1,2,3]]"), MODEL, 9)).getMessage());
        assertEquals("rows[0][1] is NaN; values must be finite numbers",
                refused(() -> RequestRows.json(bytes("[[1,NaN]]"), MODEL, 9)).getMessage());
        assertEquals("rows[1][0] must be a number, found a boolean",
                refused(() -> RequestRows.json(bytes("[[1,2],[true,2]]"), MODEL, 9)).getMessage());
        assertEquals("rows[0] must be an array of 2 numbers, found a number",
                refused(() -> RequestRows.json(bytes("{\"rows\": [7]}"), MODEL, 9)).getMessage());
        assertEquals("no rows to predict", refused(() -> RequestRows.json(bytes("[]"), MODEL, 9)).getMessage());
        assertTrue(refused(() -> RequestRows.json(bytes("{\"rows\": [[1,2]"), MODEL, 9)).getMessage()
                .startsWith("malformed JSON at line 1, column "));
        assertEquals("'outputs' must be an array of names (prediction, std, probabilities, decision), found a number",
                refused(() -> RequestRows.json(bytes("{\"rows\": [[1,2]], \"outputs\": [1]}"), MODEL, 9)).getMessage());

        // CSV by name, reordered, the target column ignored; by position without a header
        Matrix byName = RequestRows.csv(bytes("y,b,a\n9,2,1\n9,4,3\n"), MODEL, 9);
        assertArrayEquals(new double[] {1, 2, 3, 4}, byName.data());
        assertArrayEquals(new double[] {1, 2, 3, 4}, RequestRows.csv(bytes("1,2\n3,4\n"), MODEL, 9).data());
        // a copy of a classifier's training file: text labels in the target column are ignored too
        assertArrayEquals(new double[] {1, 2, 3, 4},
                RequestRows.csv(bytes("a,b,y\n1,2,setosa\n3,4,virginica\n"), MODEL, 9).data());
        // without a header the reader's generated names (x0, x1) are never shown: the position and the model's name
        assertEquals("CSV body:2:1: infinite value in column 1 (the model's 'a')",
                refused(() -> RequestRows.csv(bytes("1,2\nInf,4\n"), MODEL, 9)).getMessage());
        assertEquals("CSV body:1:2: NaN value in column 2 (the model's 'b')",
                refused(() -> RequestRows.csv(bytes("1,nan\n3,4\n"), MODEL, 9)).getMessage());
    }

    HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri().resolve("/predict")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bodiesUpToTheLimitAreReadAndOneByteMoreIsRefused() throws Exception {
        String body = "[[1, 2]]";
        server = PredictionServer.builder(MODEL).port(0).maxBodyBytes(body.length()).start();
        HttpResponse<String> ok = post(body);
        assertEquals(200, ok.statusCode(), ok.body());
        // the answer is the model's prediction at (1, 2), about 1 − 4 = −3
        double expected = MODEL.model().predict(Matrix.of(new double[][] {{1, 2}})).get(0, 0);
        assertEquals("{\"rows\":1,\"predictions\":[" + expected + "]}", ok.body());
        assertEquals(-3, expected, 0.05);
        HttpResponse<String> over = post(body + " ");
        assertEquals(413, over.statusCode());
        assertTrue(over.body().contains("request body too large: " + (body.length() + 1)
                + " bytes, the server's limit is " + body.length() + " bytes"), over.body());
        assertThrows(Kernels4jException.class, () -> PredictionServer.builder(MODEL).port(65536).start());
        assertThrows(Kernels4jException.class, () -> PredictionServer.builder(MODEL).port(0).maxRows(0).start());
        assertThrows(Kernels4jException.class, () -> PredictionServer.builder(MODEL).port(0).grace(Duration.ofSeconds(-1))
                .start());
        assertThrows(Kernels4jException.class, () -> PredictionServer.builder(null));
    }

    @Test
    void headAnswersHealthWithHeadersOnlyAndARepeatedFieldIsRefused() throws Exception {
        server = PredictionServer.builder(MODEL).port(0).start();
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(server.uri().resolve("/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(server.uri().resolve("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get.statusCode());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        // the length GET's body would have
        assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
                head.headers().firstValue("Content-Length").orElseThrow());
        HttpResponse<String> headPredict = client.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, headPredict.statusCode());
        assertEquals("POST", headPredict.headers().firstValue("Allow").orElseThrow());
        assertEquals("", headPredict.body());

        RequestException twice = refused(() -> RequestRows.json(bytes("{\"rows\": [[1,2]], \"rows\": [[3,4]]}"), MODEL, 9));
        assertEquals(400, twice.status());
        assertEquals("field 'rows' appears twice; send one 'rows'", twice.getMessage());
        assertEquals("field 'outputs' appears twice; send one 'outputs'", refused(() -> RequestRows.json(bytes(
                "{\"outputs\": [\"std\"], \"rows\": [[1,2]], \"outputs\": [\"prediction\"]}"), MODEL, 9)).getMessage());
    }

    /** Headers and half the body: the worker that takes it waits for the rest. */
    static Socket halfSent(java.net.URI base, String body) throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        OutputStream out = s.getOutputStream();
        out.write(bytes("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body.substring(0, body.length() / 2)));
        out.flush();
        return s;
    }

    @Test
    void aFullQueueIsAnswered503AtOnceAndStoppingEndsWithTheRequestsInFlight() throws Exception {
        server = PredictionServer.builder(MODEL).port(0).threads(1).queue(1).start();
        String body = "[[1, 2]]";
        Socket busy = halfSent(server.uri(), body); // holds the only worker
        Thread.sleep(300);
        Socket waiting = halfSent(server.uri(), body); // waits in the queue
        Thread.sleep(300);
        HttpResponse<String> refused = post(body);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("the server is busy: 1 requests are waiting"), refused.body());
        for (Socket s : List.of(busy, waiting)) {
            s.getOutputStream().write(bytes(body.substring(body.length() / 2)));
            s.getOutputStream().flush();
            s.setSoTimeout(20_000);
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", head);
            // left open: closing a connection hands its end-of-stream to a worker (the JDK server reads
            // requests on the executor), which would hold the queue for a moment
        }
        HttpResponse<String> after = post(body);
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(4, waitForAnswered(4));
        server.stop(Duration.ofSeconds(5));
        busy.close();
        waiting.close();
        assertThrows(IOException.class, () -> post(body));
        server.stop(); // a second stop returns at once
        server = null;
    }

    long waitForAnswered(long n) throws InterruptedException {
        for (int i = 0; i < 200 && server.requestsAnswered() < n; i++) {
            Thread.sleep(10);
        }
        return server.requestsAnswered();
    }
}
