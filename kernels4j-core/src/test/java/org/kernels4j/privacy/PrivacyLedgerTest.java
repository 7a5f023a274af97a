package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.Kernels4jException;

class PrivacyLedgerTest {
    @TempDir
    Path dir;

    @Test
    void sequentialCompositionSumsEpsilonPerDataAndRefusesBeyondTheBudget() throws IOException {
        Path data = dir.resolve("x.csv");
        Files.writeString(data, "a,b\n1,2\n");
        Path other = dir.resolve("y.csv");
        Files.writeString(other, "a,b\n1,3\n");
        String sha = PrivacyLedger.sha256(data);
        assertEquals(64, sha.length());
        Files.copy(data, dir.resolve("copy.csv"));
        assertEquals(sha, PrivacyLedger.sha256(dir.resolve("copy.csv")), "the content identifies the data");
        PrivacyLedger l = PrivacyLedger.read(dir.resolve("missing.tsv"));
        l = l.charge(sha, 0.5, 1.0, "m", "first").charge(sha, 0.25, null, "m", "second");
        l = l.charge(PrivacyLedger.sha256(other), 3, null, "m", "other data, no budget");
        assertEquals(0.75, l.spent(sha), 1e-15);
        assertEquals(1.0, l.budget(sha).getAsDouble());
        PrivacyLedger before = l;
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> before.charge(sha, 0.5, null, "m", "third"));
        assertTrue(e.getMessage().contains("budget exceeded"), e.getMessage());
        // the message states the spend the release would reach: 0.75 + 0.5
        assertTrue(e.getMessage().contains("would bring it to 1.25 "), e.getMessage());
        assertThrows(Kernels4jException.class, () -> before.charge(sha, 0.1, 2.0, "m", "raise"), "no raising");
        l = l.charge(sha, 0.25, null, "m\tx", "exactly at the budget");
        PrivacyLedger back = PrivacyLedger.parse(l.toText());
        assertEquals(1.0, back.spent(sha), 1e-15);
        assertEquals(4, back.entries().size());
        assertEquals(l.toText(), back.toText());
        assertThrows(Kernels4jException.class, () -> PrivacyLedger.parse("release\tnot-a-hash\t1\tm\tw\n"));
        assertThrows(Kernels4jException.class, () -> before.charge(sha, -1, null, "m", "negative"));
    }

    @Test
    void theClassifierIsChargedOnceByParallelComposition() {
        var c = PrivateKernelSum.builder(org.kernels4j.kernel.KernelSpec.parse("rbf(gamma=1)")).features(8).epsilon(0.7)
                .buildClassifier().fit(org.kernels4j.TestData.gaussian(20, 2, 1, 1), labels());
        assertEquals(0.7, c.epsilon(), 0.0);
        assertEquals(0.7, c.report().number("epsilon"), 0.0);
        assertEquals(3, c.report().parts("per_class").size());
    }

    private static org.kernels4j.linalg.Matrix labels() {
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            y[i] = i % 3;
        }
        return org.kernels4j.linalg.Matrix.column(y);
    }
}
