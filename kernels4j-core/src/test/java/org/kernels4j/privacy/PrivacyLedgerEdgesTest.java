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

/** The ledger's edges: a zero budget or ε is refused, declaring the recorded budget again is not a raise. */
class PrivacyLedgerEdgesTest {
    @TempDir
    Path dir;

    @Test
    void zeroIsRefusedAndTheSameBudgetMayBeDeclaredAgain() throws IOException {
        Path data = dir.resolve("x.csv");
        Files.writeString(data, "a\n1\n");
        String sha = PrivacyLedger.sha256(data);
        PrivacyLedger l = PrivacyLedger.empty();
        var e = assertThrows(Kernels4jException.class, () -> l.charge(sha, 0.5, 0.0, "m", "zero budget"));
        assertTrue(e.getMessage().contains("positive finite"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> l.charge(sha, 0.0, null, "m", "zero epsilon"));
        assertTrue(e.getMessage().contains("positive and finite"), e.getMessage());
        PrivacyLedger once = l.charge(sha, 0.25, 1.0, "m", "first");
        PrivacyLedger twice = once.charge(sha, 0.25, 1.0, "m", "same budget declared again");
        assertEquals(0.5, twice.spent(sha), 1e-15);
        assertEquals(1.0, twice.budget(sha).getAsDouble());
        PrivacyLedger lowered = twice.charge(sha, 0.25, 0.75, "m", "lowered to exactly what is spent then");
        assertEquals(0.75, lowered.budget(sha).getAsDouble());
        assertThrows(Kernels4jException.class, () -> lowered.charge(sha, 0.01, null, "m", "over"));
    }
}
