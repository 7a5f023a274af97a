package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files written before the estimator contract (see {@code legacy/README.md}) still load,
 * and today's code predicts what that version predicted from them.
 */
class LegacyModelFilesTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path f = dir.resolve(name);
        try (InputStream in = LegacyModelFilesTest.class.getResourceAsStream("legacy/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    @ParameterizedTest
    @CsvSource({
        "krr, predict, diabetes.csv, ''",
        "gp, predict, diabetes.csv, --std",
        "svc, predict, heart_scale.libsvm, --proba --decision",
        "kde, kde score, iris.csv, --ignore y",
        "private-kernel-sum, kde score, iris.csv, --ignore y",
        "private-distance-sum, kde score, iris.csv, --ignore y",
    })
    void oldFilesLoadAndPredictAsBefore(String kind, String command, String data, String extra) throws IOException {
        Path model = resource(kind + ".zip");
        Path out = dir.resolve(kind + ".csv");
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--model", model.toString(), "--data", Path.of("..", "data", data).toString(), "--out",
                out.toString()));
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split(" ")));
        }
        CliTest.Run r = CliTest.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), kind + ": " + r.err());
        List<String> want = Files.readAllLines(resource(kind + ".pred.csv"));
        List<String> got = Files.readAllLines(out);
        assertEquals(want.get(0), got.get(0), kind + ": same columns");
        assertEquals(want.size(), got.size());
        for (int i = 1; i < want.size(); i++) {
            String[] a = want.get(i).split(",");
            String[] b = got.get(i).split(",");
            for (int j = 0; j < a.length; j++) {
                double x = Double.parseDouble(a[j]);
                double y = Double.parseDouble(b[j]);
                assertEquals(x, y, 1e-9 * Math.max(1, Math.abs(x)), kind + " row " + i + " column " + j);
            }
        }
    }
}
