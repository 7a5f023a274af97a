package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.CsvReader;
import org.kernels4j.linalg.Matrix;

class ServeBenchmarkTest {
    @Test
    void tinyLoadTestAnswersEveryRequestAndItsFiguresAgree() {
        List<ServeBenchmark.Scenario> seen = new ArrayList<>();
        ServeBenchmark.Result r = ServeBenchmark.run(new ServeBenchmark.Options(200, 5, 1, new int[] {1, 30}, new int[] {1, 2},
                0, 0.2, 2, 7), seen::add);
        assertEquals(seen, r.scenarios());
        assertEquals(List.of(1, 1, 30, 30), r.scenarios().stream().map(ServeBenchmark.Scenario::rowsPerRequest).toList());
        assertEquals(List.of(1, 2, 1, 2), r.scenarios().stream().map(ServeBenchmark.Scenario::clients).toList());
        assertTrue(r.supportVectors() > 0 && r.supportVectors() <= 200, r.toString());
        for (ServeBenchmark.Scenario s : r.scenarios()) {
            assertTrue(s.requests() > 0, s.toString());
            assertEquals(0, s.errors(), s.toString());
            assertEquals(s.requests() / s.seconds(), s.requestsPerSecond(), 1e-9 * s.requestsPerSecond());
            assertEquals(s.requestsPerSecond() * s.rowsPerRequest(), s.rowsPerSecond(), 1e-9 * s.rowsPerSecond());
            assertTrue(s.seconds() >= 0.2, s.toString());
            assertTrue(0 < s.p50Millis() && s.p50Millis() <= s.p99Millis() && s.p99Millis() <= s.maxMillis(), s.toString());
            // closed loop: each client has one request outstanding, so the mean latency is at most clients / rate
            assertTrue(s.p50Millis() / 1e3 <= 1.05 * s.clients() * s.seconds() / s.requests() * 2, s.toString());
            assertEquals(s.p50Millis() / s.directMillis(), s.p50OverDirect());
        }
        assertThrows(Kernels4jException.class, () -> ServeBenchmark.run(new ServeBenchmark.Options(200, 5, 1,
                new int[] {0}, new int[] {2}, 0, 0.5, 2, 7), s -> { }));
        assertThrows(Kernels4jException.class, () -> ServeBenchmark.run(new ServeBenchmark.Options(200, 5, 1,
                new int[] {1}, new int[] {0}, 0, 0.5, 2, 7), s -> { }));
    }

    @Test
    void requestBodiesHoldEveryValueExactly() throws Exception {
        Matrix x = Matrix.of(new double[][] {{0.1, -2.5e-300}, {1.0 / 3, 7}});
        String json = new String(ServeBenchmark.json(x), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"rows\":[[0.1,-2.5E-300],[0.3333333333333333,7.0]]}", json);
        // read back by another parser (CSV of the same cells) to the same doubles
        String csv = json.replace("{\"rows\":[[", "").replace("]]}", "").replace("],[", "\n");
        Matrix back = CsvReader.builder().target(null).build().read(new java.io.StringReader(csv), "x").features();
        assertEquals(0, back.maxAbsDifference(x));
    }
}
