package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.linalg.Matrix;

class IoTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void csvWithHeaderTargetByNameAndIndex() throws IOException {
        Path f = write("a.csv", "a,b,y\n1,2,3\n4,5e-1,-6\n");
        Dataset d = CsvReader.builder().build().read(f);
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals("y", d.targetName());
        assertArrayEquals(new double[] {1, 2, 4, 0.5}, d.features().data());
        assertArrayEquals(new double[] {3, -6}, d.target().data());
        Dataset byName = CsvReader.builder().target("a").build().read(f);
        assertArrayEquals(new double[] {1, 4}, byName.target().data());
        assertEquals(List.of("b", "y"), byName.featureNames());
        Dataset byIndex = CsvReader.builder().target("1").build().read(f);
        assertArrayEquals(new double[] {2, 0.5}, byIndex.target().data());
        Dataset none = CsvReader.builder().target(null).build().read(f);
        assertNull(none.target());
        assertEquals(3, none.features().cols());
    }

    @Test
    void recordLinesAreTheLinesReadItselfWouldName() throws IOException {
        // line 1 header, 2 comment, 3 record, 4 empty, 5 record, 6 comment, 7 record
        Path f = write("lines.csv", "a,b\n# note\n1,2\n\n3,4\n# again\n5,x\n");
        assertArrayEquals(new long[] {1, 3, 5, 7}, CsvReader.builder().build().recordLines(f));
        // read's own message names the bad cell's line, the same number
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().target(null).build()
                .read(f));
        assertTrue(e.getMessage().contains("lines.csv:7:"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().recordLines(dir.resolve("none.csv")));
    }

    /** A file split by another character reads as one cell per row: the message names the delimiter to use. */
    @Test
    void aRowInOneCellSuggestsItsDelimiter() throws IOException {
        Path semi = write("semi.csv", "a;b;y\n1;2;3\n");
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().read(semi));
        assertTrue(e.getMessage().contains("separated by ';', not by ',' (use --delimiter ';')"), e.getMessage());
        Path tab = write("tab.tsv", "a\tb\ty\n1\t2\t3\n");
        e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().read(tab));
        assertTrue(e.getMessage().contains("separated by tabs"), e.getMessage());
        Path text = write("text.csv", "a,y\n1,x;y\n"); // a text cell that merely contains ';' gets the usual message
        e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().read(text));
        assertFalse(e.getMessage().contains("--delimiter"), e.getMessage());
    }

    /** Columns are matched by header name (--target, predict): a name given twice is refused with both columns. */
    @Test
    void aHeaderNamingAColumnTwiceIsRefused() throws IOException {
        Path f = write("dup.csv", "a,b,a,y\n1,2,3,4\n");
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> CsvReader.builder().target("y").build().read(f));
        assertEquals(f + ":1: the header names column 'a' twice (columns 1 and 3); give each column its own name",
                e.getMessage());
    }

    @Test
    void csvWithoutHeaderIsDetected() throws IOException {
        Dataset d = CsvReader.builder().build().read(write("b.csv", "1,2\n3,4\n"));
        assertEquals(2, d.rows());
        assertEquals(List.of("x0"), d.featureNames());
        Dataset forced = CsvReader.builder().header(CsvReader.Header.YES).build().read(write("c.csv", "1,2\n3,4\n"));
        assertEquals(1, forced.rows());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a,b\\n1,2\\n3,x\\n|bad.csv:3:2: cannot read 'x' as a number (column 'b')",
        "a,b\\n1,2\\n3,\\n|bad.csv:3:2: empty cell in column 'b'",
        "a,b\\n1,NaN\\n|bad.csv:2:2: NaN value in column 'b'",
        "a,b\\n1,inf\\n|bad.csv:2:2: infinite value in column 'b'",
        "a,b\\n1,2\\n3\\n|bad.csv:3: expected 2 cells but found 1",
        "|bad.csv: no data rows (the file is empty)",
        "a,b\\n|bad.csv: no data rows (only a header)",
        "a,b\\n1,2d\\n|bad.csv:2:2: cannot read '2d' as a number"})
    void malformedCsvNamesFileLineAndColumn(String content, String message) throws IOException {
        Path f = write("bad.csv", content == null ? "" : content.replace("\\n", "\n"));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().read(f));
        assertTrue(e.getMessage().startsWith(dir.resolve(message).toString()), e.getMessage());
    }

    @Test
    void unknownTargetColumnAndNonFiniteOptIn() throws IOException {
        Path f = write("t.csv", "a,b\n1,nan\n");
        var e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().target("zz").build().read(f));
        assertTrue(e.getMessage().contains("no column named 'zz'; columns are a, b"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().target("5").build().read(f));
        assertTrue(e.getMessage().contains("index 5 is outside the 2 columns"), e.getMessage());
        Dataset d = CsvReader.builder().allowNonFinite(true).build().read(f);
        assertTrue(Double.isNaN(d.target().get(0, 0)));
    }

    @Test
    void libsvmReadsSparseRowsAndRejectsMalformedOnes() throws IOException {
        Path f = write("a.libsvm", "+1 1:0.5 3:-1 # comment\n-1 qid:3 2:2\n\n");
        Dataset d = LibSvmReader.read(f, 0);
        assertEquals(3, d.features().cols());
        assertArrayEquals(new double[] {0.5, 0, -1, 0, 2, 0}, d.features().data());
        assertArrayEquals(new double[] {1, -1}, d.target().data());
        assertEquals(5, LibSvmReader.read(f, 5).features().cols());
        var e = assertThrows(Kernels4jException.class, () -> LibSvmReader.read(write("b.libsvm", "1 1:2 1:3\n"), 0));
        assertTrue(e.getMessage().endsWith("b.libsvm:1:7: feature indices must increase, 1 follows 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> LibSvmReader.read(write("c.libsvm", "1 1:2\nx 2:1\n"), 0));
        assertTrue(e.getMessage().endsWith("c.libsvm:2:1: cannot read label 'x' as a number"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> LibSvmReader.read(write("d.libsvm", "1 0:2\n"), 0));
        assertTrue(e.getMessage().contains("feature indices start at 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> LibSvmReader.read(write("e.libsvm", "1 2:abc\n"), 0));
        assertTrue(e.getMessage().contains("d.libsvm".replace("d.", "e.") + ":1:3: cannot read value 'abc'"), e.getMessage());
    }

    @Test
    void libsvmIsRecognisedByContentWhateverTheName() throws IOException {
        String rows = "# LIBSVM's heart_scale, first rows\n+1 1:0.708333 2:1 3:1 13:-1 \n-1 1:0.583333 2:-1 qid:2 13:1\n";
        for (String name : List.of("heart_scale", "a9a.t", "train.svm.txt", "data.csv")) {
            Path f = write(name, rows);
            assertTrue(LibSvmReader.looksLikeLibSvm(f), name);
            assertEquals(DataFormat.LIBSVM, DataFormat.AUTO.resolve(f), name);
            assertEquals(DataFormat.CSV, DataFormat.CSV.resolve(f), "a forced format is kept");
        }
        // Rows with only a label do not decide; the first row with features does.
        assertTrue(LibSvmReader.looksLikeLibSvm(write("labels-first", "1\n\n-1\n1 3:0.5\n")));
        // A file named .libsvm whose rows never decide stays LibSVM (its reader reports what is wrong).
        assertTrue(LibSvmReader.looksLikeLibSvm(write("labels.libsvm", "1\n-1\n")));
    }

    @Test
    void csvStaysCsvUnderContentDetection() throws IOException {
        assertEquals(DataFormat.CSV, DataFormat.AUTO.resolve(write("h.csv", "a,b,y\n1,2,3\n4,5,6\n")));
        assertEquals(DataFormat.CSV, DataFormat.AUTO.resolve(write("noheader", "1,2,3\n4,5,6\n")));
        // One column of numbers: every row is "a label alone", which never decides for LibSVM.
        Path one = write("one", "1.5\n-2\n3e4\n");
        assertEquals(DataFormat.CSV, DataFormat.AUTO.resolve(one));
        assertEquals(3, CsvReader.builder().target(null).build().read(one).rows());
        assertEquals(DataFormat.CSV, DataFormat.AUTO.resolve(write("one-header", "y\n1\n2\n")));
        // Whitespace-separated numbers are not index:value pairs.
        assertEquals(DataFormat.CSV, DataFormat.AUTO.resolve(write("spaces.txt", "1 2 3\n")));
        assertEquals(DataFormat.CSV, DataFormat.AUTO.resolve(write("times.csv", "12:30,5\n")));
    }

    @Test
    void formatDetectionErrorsAreOneClearLine() throws IOException {
        Path empty = write("empty", "");
        assertEquals(DataFormat.CSV, DataFormat.AUTO.resolve(empty));
        var e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().read(empty));
        assertTrue(e.getMessage().endsWith("empty: no data rows (the file is empty)"), e.getMessage());
        Path emptyLibsvm = write("empty.libsvm", "\n# nothing\n");
        assertEquals(DataFormat.LIBSVM, DataFormat.AUTO.resolve(emptyLibsvm));
        e = assertThrows(Kernels4jException.class, () -> LibSvmReader.read(emptyLibsvm, 0));
        assertTrue(e.getMessage().endsWith("empty.libsvm: no data rows (the file is empty)"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> DataFormat.AUTO.resolve(dir.resolve("missing")));
        assertTrue(e.getMessage().endsWith("missing: no such file"), e.getMessage());
        Path binary = dir.resolve("binary");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        e = assertThrows(Kernels4jException.class, () -> DataFormat.AUTO.resolve(binary));
        assertTrue(e.getMessage().endsWith("binary: not a UTF-8 text file"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> DataFormat.parse("tsv"));
        assertEquals("--format must be auto, csv or libsvm, got 'tsv'", e.getMessage());
        assertEquals(DataFormat.LIBSVM, DataFormat.parse("LibSVM"));
        // LibSVM content forced through the CSV reader: the message says so, on one line.
        Path libsvm = write("heart_scale", "+1 1:0.708333 2:1 3:1\n-1 1:0.583333 2:-1 3:0.333333\n");
        e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().read(libsvm));
        assertTrue(e.getMessage().contains("heart_scale:2:1: cannot read '-1 1:0.583333 2:-1 3:0.333333' as a number: "
                + "the line looks like LibSVM"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(--format libsvm)") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void npyRoundTripsAndReadsOtherDtypesAndOrders() throws IOException {
        Matrix m = Matrix.of(new double[][] {{1, 2.5, -3}, {4, 5, 6e-300}});
        Path f = dir.resolve("m.npy");
        Npy.write(m, f);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(0, (bytes.length - 2 * 3 * 8) % 64, "header padded to 64 bytes");
        assertEquals(0.0, Npy.read(f).maxAbsDifference(m));
        // hand-built big-endian int32 Fortran-order 2x2 array [[1, 2], [3, 4]] stored as 1, 3, 2, 4
        String h = "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 2), }";
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), 0});
        b.write(h.getBytes());
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.BIG_ENDIAN);
        data.putInt(1).putInt(3).putInt(2).putInt(4);
        b.write(data.array());
        assertArrayEquals(new double[] {1, 2, 3, 4}, Npy.read(b.toByteArray(), "x").data());
        var e = assertThrows(Kernels4jException.class,
                () -> Npy.read(java.util.Arrays.copyOf(bytes, bytes.length - 5), "cut.npy"));
        assertTrue(e.getMessage().contains("cut.npy: .npy data is truncated"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Npy.read("hello world".getBytes(), "t.npy"));
        assertTrue(e.getMessage().contains("bad magic"));
    }

    private SavedModel model() {
        Matrix x = Matrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}, {3, 1}});
        Matrix y = Matrix.of(new double[][] {{1}, {2}, {3}, {5}});
        KernelRidgeModel m = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5) + 0.1*linear()")).lambda(0.1)
                .fitIntercept(true).build().fit(x, y);
        return new SavedModel(m, List.of("a", "b"), "y");
    }

    @Test
    void modelFileRoundTripsExactly() throws IOException {
        SavedModel s = model();
        Path f = dir.resolve("m.zip");
        ModelFiles.save(s, f);
        SavedModel back = ModelFiles.load(f);
        Matrix q = Matrix.of(new double[][] {{0.5, 0.5}, {2, 1}});
        assertEquals(0.0, back.model().predict(q).maxAbsDifference(s.model().predict(q)));
        assertEquals(((KernelRidgeModel) s.model()).kernel(), back.as(KernelRidgeModel.class, "krr").kernel());
        assertEquals(List.of("a", "b"), back.featureNames());
        assertEquals("y", back.targetName());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void gaussianProcessModelFilesRestoreMeanAndVariance() throws IOException {
        Matrix x = Matrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}, {3, 1}, {1, 1}});
        Matrix y = Matrix.of(new double[][] {{10}, {20}, {30}, {50}, {15}});
        Matrix q = Matrix.of(new double[][] {{0.5, 0.5}, {2, 1}, {9, 9}});
        Path f = dir.resolve("gp.zip");
        GaussianProcessModel gp = GaussianProcess.builder(KernelSpec.parse("2*rbf(length=1.5)")).noise(0.01)
                .normalizeTargets(true).build().fit(x, y);
        ModelFiles.save(new SavedModel(gp, List.of("a", "b"), "y"), f);
        double[] var = gp.variance(q, 0);
        Matrix mean = gp.predict(q);
        GaussianProcessModel back = ModelFiles.load(f, GaussianProcessModel.class, "a Gaussian process");
        assertEquals(0.01, back.noise());
        assertEquals(gp.logMarginalLikelihood(), back.logMarginalLikelihood());
        assertEquals(0.0, back.predict(q).maxAbsDifference(mean), 1e-12);
        double[] again = back.variance(q, 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(var[i], again[i], 1e-12 * var[i]);
        }
        String json = new String(readEntry(f, "model.json"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"target_scale\"") && json.contains("\"cholesky\""), json);
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(f, KernelRidgeModel.class, "a krr model"));
        assertTrue(e.getMessage().contains("holds a 'gp' model, not a krr model"), e.getMessage());
    }

    @Test
    void densityFilesRoundTripAndRejectTampering() throws IOException {
        Matrix x = Matrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}, {3, 1}});
        org.kernels4j.density.KernelDensity f = org.kernels4j.density.KernelDensity.fit(
                org.kernels4j.density.KernelDensity.Profile.COSINE, x, new double[] {1, 2, 0.5, 1},
                Matrix.of(new double[][] {{1.5, 0.2}, {0.2, 0.9}}));
        Path file = dir.resolve("kde.zip");
        ModelFiles.save(f, List.of("a", "b"), file);
        SavedModel back = ModelFiles.load(file);
        Matrix q = Matrix.of(new double[][] {{0.5, 0.5}, {2, 1}, {9, 9}});
        double[] want = f.logDensity(q);
        double[] got = back.as(org.kernels4j.density.KernelDensity.class, "a density").logDensity(q);
        for (int i = 0; i < 3; i++) {
            assertEquals(want[i], got[i], 1e-12 * Math.max(1, Math.abs(want[i])));
        }
        assertEquals(List.of("a", "b"), back.featureNames());
        Path altered = dir.resolve("altered.zip");
        rewrite(file, altered, "weights.npy", bytes -> bytes[bytes.length - 1] ^= 0x01);
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(altered));
        assertTrue(e.getMessage().contains("checksum mismatch for 'weights.npy'"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(file, KernelRidgeModel.class, "a krr model"));
        assertTrue(e.getMessage().contains("holds a 'kde' model, not a krr model"), e.getMessage());
    }

    private static byte[] readEntry(Path zip, String entry) throws IOException {
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(entry)).readAllBytes();
        }
    }

    @Test
    void truncatedOrAlteredModelFilesAreRejected() throws IOException {
        Path f = dir.resolve("m.zip");
        ModelFiles.save(model(), f);
        byte[] good = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(cut));
        assertTrue(e.getMessage().contains("cut.zip: truncated or not a zip archive"), e.getMessage());
        // alter one stored value inside dual_coef.npy, rewriting the zip so its own CRC is valid
        Path altered = dir.resolve("altered.zip");
        rewrite(f, altered, "dual_coef.npy", bytes -> bytes[bytes.length - 1] ^= 0x01);
        e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(altered));
        assertTrue(e.getMessage().contains("checksum mismatch for 'dual_coef.npy'"), e.getMessage());
        Path json = dir.resolve("json.zip");
        rewrite(f, json, "model.json", bytes -> bytes[20] = (byte) ' ');
        e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(json));
        assertTrue(e.getMessage().contains("checksum mismatch for 'model.json'"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(dir.resolve("missing.zip")));
        assertTrue(e.getMessage().contains("no such model file"));
    }

    private static void rewrite(Path from, Path to, String entry, java.util.function.Consumer<byte[]> change)
            throws IOException {
        try (var zin = new java.util.zip.ZipFile(from.toFile());
                var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            var en = zin.entries();
            while (en.hasMoreElements()) {
                var e = en.nextElement();
                byte[] b = zin.getInputStream(e).readAllBytes();
                if (e.getName().equals(entry)) {
                    change.accept(b);
                }
                zout.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                zout.write(b);
                zout.closeEntry();
            }
        }
    }

    /** An SVM of each kind: saved, loaded, and predicting exactly what it predicted before. */
    @Test
    void svmFilesRoundTripEveryKind() throws IOException {
        java.util.Random r = new java.util.Random(3);
        Matrix x = new Matrix(90, 2);
        double[] labels = new double[90];
        double[] values = new double[90];
        for (int i = 0; i < 90; i++) {
            labels[i] = i % 3;
            x.set(i, 0, labels[i] + 0.7 * r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
            values[i] = Math.sin(x.get(i, 0));
        }
        var k = KernelSpec.parse("rbf(gamma=0.5)");
        List<org.kernels4j.svm.SvmModel> models = List.of(
                org.kernels4j.svm.SupportVectorMachine.classifier(k).probability(true).build().fit(x, Matrix.column(labels)),
                org.kernels4j.svm.SupportVectorMachine.classifier(k)
                        .multiclass(org.kernels4j.svm.SvmModel.Multiclass.ONE_VS_REST).build().fit(x, Matrix.column(labels)),
                org.kernels4j.svm.SupportVectorMachine.regression(k).build().fit(x, Matrix.column(values)),
                org.kernels4j.svm.SupportVectorMachine.oneClass(k).nu(0.2).build().fit(x, null));
        Matrix q = Matrix.of(new double[][] {{0, 0}, {1.5, -1}, {3, 2}});
        int n = 0;
        for (org.kernels4j.svm.SvmModel m : models) {
            Path file = dir.resolve("svm" + n++ + ".zip");
            ModelFiles.save(new SavedModel(m, List.of("a", "b"), "y"), file);
            assertEquals("svm", ModelFiles.kind(file));
            SavedModel saved = ModelFiles.load(file);
            org.kernels4j.svm.SvmModel back = saved.as(org.kernels4j.svm.SvmModel.class, "an SVM");
            assertEquals(List.of("a", "b"), saved.featureNames());
            assertEquals("y", saved.targetName());
            assertEquals(0, back.decisionValues(q).maxAbsDifference(m.decisionValues(q)));
            assertArrayEquals(m.predict(q).data(), back.predict(q).data());
            if (m.hasProbabilities()) {
                assertEquals(0, back.probabilities(q).maxAbsDifference(m.probabilities(q)));
            }
        }
        // a precomputed-kernel model keeps indices, not features
        Matrix gram = org.kernels4j.gram.GramEngine.gram(k, x);
        var pre = org.kernels4j.svm.SupportVectorMachine.classifier().build().fitPrecomputed(gram, Matrix.column(labels));
        Path file = dir.resolve("pre.zip");
        List<String> cols = java.util.stream.IntStream.range(0, 90).mapToObj(i -> "k" + i).toList();
        ModelFiles.save(new SavedModel(pre, cols, null), file);
        org.kernels4j.svm.SvmModel back = ModelFiles.load(file, org.kernels4j.svm.SvmModel.class, "an SVM");
        assertTrue(back.isPrecomputed());
        assertArrayEquals(pre.predict(gram).data(), back.predict(gram).data());
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.save(new SavedModel(pre, List.of("a"), null),
                dir.resolve("wrong.zip")));
        assertTrue(e.getMessage().contains("1 feature names for a model of 90 features"), e.getMessage());
    }

    @Test
    void svmFilesWithTamperedOrInconsistentContentAreRejected() throws IOException {
        Matrix x = Matrix.of(new double[][] {{0, 0}, {1, 1}, {0, 1}, {1, 0}, {2, 2}, {-1, 0}});
        double[] y = {1, 1, -1, -1, 1, -1};
        var m = org.kernels4j.svm.SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=1)")).build()
                .fit(x, Matrix.column(y));
        Path file = dir.resolve("svm.zip");
        ModelFiles.save(new SavedModel(m, List.of("a", "b"), "y"), file);
        Path altered = dir.resolve("altered.zip");
        rewrite(file, altered, "coefficients.npy", bytes -> bytes[bytes.length - 1] ^= 0x01);
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(altered));
        assertTrue(e.getMessage().contains("checksum mismatch for 'coefficients.npy'"), e.getMessage());
        // consistent checksums but a model.json that contradicts the arrays: each is named
        String json = new String(readEntry(file, "model.json"), java.nio.charset.StandardCharsets.UTF_8);
        for (String[] edit : new String[][] {
            {"\"training_rows\" : 6", "\"training_rows\" : 2", "is not a row number below 2"},
            {"\"type\" : \"c_svc\"", "\"type\" : \"cs_svc\"", "type 'cs_svc' is not one of"},
            {"\"kernel\" : \"rbf(gamma=1)\"", "\"kernel\" : \"rbf(gama=1)\"", "kernel: "},
            {"\"multiclass\" : \"one_vs_one\"", "\"multiclass\" : \"both\"", "multiclass 'both'"},
        }) {
            assertTrue(json.contains(edit[0]), edit[0] + " in " + json);
            Path bad = dir.resolve("bad.zip");
            String changed = json.replace(edit[0], edit[1]);
            rewriteConsistently(file, bad, "model.json", changed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(bad));
            assertTrue(e.getMessage().contains(edit[2]) && e.getMessage().contains("bad.zip"), e.getMessage());
        }
    }

    /** Replaces one entry and rewrites checksums.sha256 to match, as a careless or hostile editor would. */
    private static void rewriteConsistently(Path from, Path to, String entry, byte[] content) throws IOException {
        String sums = new String(readEntry(from, "checksums.sha256"), java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder fixed = new StringBuilder();
        for (String line : sums.split("\n")) {
            fixed.append(line.endsWith("  " + entry) ? ModelFiles.sha256(content) + "  " + entry : line).append('\n');
        }
        Path mid = to.resolveSibling("mid-" + to.getFileName());
        rewrite(from, mid, entry, bytes -> { });
        try (var zin = new java.util.zip.ZipFile(mid.toFile());
                var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            var en = zin.entries();
            while (en.hasMoreElements()) {
                var e = en.nextElement();
                byte[] b = e.getName().equals(entry) ? content
                        : e.getName().equals("checksums.sha256")
                                ? fixed.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                                : zin.getInputStream(e).readAllBytes();
                zout.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                zout.write(b);
                zout.closeEntry();
            }
        }
    }

    @Test
    void libsvmWriterRoundTripsThroughTheReader() throws IOException {
        Matrix x = Matrix.of(new double[][] {{0.1, 0, -3e-12}, {0, 0, 0}, {1.0 / 3, 2, 0}});
        Path f = dir.resolve("w.libsvm");
        LibSvmWriter.write(f, x, new double[] {1, -1, 2.5});
        Dataset back = LibSvmReader.read(f, 3);
        assertEquals(0, back.features().maxAbsDifference(x));
        assertArrayEquals(new double[] {1, -1, 2.5}, back.target().data());
        assertTrue(Files.readString(f).startsWith("1 1:0.1 3:-3.0E-12\n-1\n2.5 "));
    }

    @Test
    void atomicWriteGoesThroughAHiddenTemporaryFileBesideTheTarget() throws IOException {
        // the rename is atomic only within one directory: while the writer runs, its file is ".name.<hex>.tmp" there
        Path f = dir.resolve("beside.bin");
        java.util.List<String> during = new java.util.ArrayList<>();
        AtomicFiles.write(f, out -> {
            try (var files = Files.list(dir)) {
                files.forEach(p -> during.add(p.getFileName().toString()));
            }
            out.write(7);
        });
        assertEquals(1, during.size(), during.toString());
        assertTrue(during.get(0).matches("\\.beside\\.bin\\.[0-9a-f]+\\.tmp"), during.get(0));
        assertEquals(1, Files.size(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is gone after the rename");
        }
    }

    /**
     * An output path that is a symbolic link is written through (the file it leads to gets the content, the link stays
     * a link), also when that file does not exist yet; a link to a device or a terminal ({@code /dev/stdout} once was
     * replaced by a regular file) is refused like the device itself, and the link is left alone.
     */
    @Test
    void atomicWriteFollowsSymbolicLinksAndRefusesLinksToDevices() throws IOException {
        Path real = write("real.csv", "old");
        Path link = dir.resolve("link.csv");
        Files.createSymbolicLink(link, real.getFileName()); // relative, as `ln -s real.csv link.csv` makes it
        AtomicFiles.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new", Files.readString(real));
        Path chain = dir.resolve("chain.csv");
        Files.createSymbolicLink(chain, link);
        AtomicFiles.writeString(chain, "newer");
        assertEquals("newer", Files.readString(real));
        Path dangling = dir.resolve("dangling.csv");
        Files.createSymbolicLink(dangling, dir.resolve("sub-less.csv"));
        AtomicFiles.writeString(dangling, "created");
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals("created", Files.readString(dir.resolve("sub-less.csv")));
        Path device = dir.resolve("null-link");
        Files.createSymbolicLink(device, Path.of("/dev/null"));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> AtomicFiles.writeString(device, "x"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertTrue(Files.isSymbolicLink(device), "the link is left alone");
        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, dir.resolve("loop"));
        e = assertThrows(Kernels4jException.class, () -> AtomicFiles.writeString(loop, "x"));
        assertTrue(e.getMessage().startsWith("cannot write " + loop + ": it is a symbolic link"), e.getMessage());
    }

    @Test
    void failedAtomicWriteLeavesTheOldFile() throws IOException {
        Path f = write("keep.csv", "old");
        assertThrows(Kernels4jException.class, () -> AtomicFiles.write(f, out -> {
            out.write("new partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        // the message gives the reason, not the path of the hidden temporary file
        assertEquals("permission denied", AtomicFiles.reason(new java.nio.file.AccessDeniedException("/d/.x.tmp")));
        assertEquals("No space left on device", AtomicFiles.reason(
                new java.nio.file.FileSystemException("/d/.x.tmp", null, "No space left on device")));
        assertEquals("no such file or directory", AtomicFiles.reason(new java.nio.file.NoSuchFileException("/d/.x")));
        assertEquals("disk full", AtomicFiles.reason(new IOException("disk full")));
        // without a reason or a message: the documented words, then the exception's kind
        assertEquals("the file system refused it", AtomicFiles.reason(new java.nio.file.FileSystemException("/d/.x")));
        assertEquals("IOException", AtomicFiles.reason(new IOException()));
        if (Files.isDirectory(Path.of("/proc/self"))) {
            Kernels4jException e = assertThrows(Kernels4jException.class,
                    () -> AtomicFiles.write(Path.of("/proc/k4j-unwritable.bin"), out -> out.write(1)));
            assertTrue(e.getMessage().startsWith("cannot write /proc/k4j-unwritable.bin: ")
                    && !e.getMessage().contains(".tmp"), e.getMessage());
        }
    }

    @Test
    void textClassLabelsAreEncodedBySortedName() throws IOException {
        Path f = write("labels.csv", "a,b,type\n1,2,spam\n3,4,nonspam\n5,6,\"spam\"\n7,8,\"odd, one\"\n");
        Dataset d = CsvReader.builder().classLabels(true).build().read(f);
        assertEquals(List.of("nonspam", "odd, one", "spam"), d.classLabels().names());
        assertArrayEquals(new double[] {2, 0, 2, 1}, d.target().data());
        assertEquals("odd, one", d.label(1));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, d.features().data());
        // numbers stay numbers (no names) even in label mode
        Dataset numeric = CsvReader.builder().classLabels(true).build().read(write("n.csv", "a,y\n1,-1\n2,1\n"));
        assertNull(numeric.classLabels());
        assertArrayEquals(new double[] {-1, 1}, numeric.target().data());
        assertEquals("-1", numeric.label(-1));
        // without label mode, text in the target is an error at its line and column, saying why
        var e = assertThrows(Kernels4jException.class, () -> CsvReader.builder().build().read(f));
        assertTrue(e.getMessage().contains("labels.csv:2:3:") && e.getMessage().contains("classifiers"), e.getMessage());
        // an empty label is refused with its place
        var empty = assertThrows(Kernels4jException.class, () -> CsvReader.builder().classLabels(true).build()
                .read(write("e.csv", "a,y\n1,x\n2,\"\"\n")));
        assertTrue(empty.getMessage().contains("e.csv:3:2: empty class label"), empty.getMessage());
    }

    @Test
    void knownLabelsKeepTheModelsCodesAndAppendUnknownOnes() throws IOException {
        var known = org.kernels4j.model.ClassLabels.inOrder(List.of("nonspam", "spam"));
        // numbers are labels too once the model's classes are text
        Path f = write("k.csv", "a,type\n1,spam\n2,ham\n3,nonspam\n4,1\n");
        Dataset d = CsvReader.builder().knownLabels(known).build().read(f);
        assertEquals(List.of("nonspam", "spam", "1", "ham"), d.classLabels().names());
        assertArrayEquals(new double[] {1, 3, 0, 2}, d.target().data());
    }

    @Test
    void aHeaderlessFileWithTextLabelsIsNotTakenForAHeader() throws IOException {
        Path f = write("h.csv", "1,2,spam\n3,4,nonspam\n");
        Dataset d = CsvReader.builder().classLabels(true).build().read(f);
        assertEquals(2, d.rows());
        assertEquals(List.of("x0", "x1"), d.featureNames());
        assertArrayEquals(new double[] {1, 0}, d.target().data());
        // a header row that names the target, or has text outside it, is still a header
        assertEquals(1, CsvReader.builder().classLabels(true).target("y").build()
                .read(write("h2.csv", "1,2,y\n3,4,nonspam\n")).rows());
        assertEquals(1, CsvReader.builder().classLabels(true).build().read(write("h3.csv", "a,2,y\n3,4,nonspam\n")).rows());
        assertEquals(List.of("1", "2"), CsvReader.builder().build().firstRow(write("h4.csv", "# c\n\n1,2\n3,4\n")));
        assertEquals(List.of(), CsvReader.builder().build().firstRow(write("h5.csv", "")));
    }
}
