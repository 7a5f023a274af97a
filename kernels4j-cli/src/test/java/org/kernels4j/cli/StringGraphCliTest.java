package org.kernels4j.cli;

import static org.kernels4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.graph.LabeledGraph;
import org.kernels4j.kernel.graph.WeisfeilerLehman;
import org.kernels4j.kernel.string.StringKernel;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/** fit/predict on a text column with a string kernel; wl-kernel on a TU-format data set; the bad-input messages. */
class StringGraphCliTest {
    @TempDir
    Path dir;


    /** CSV "id,seq,family": family "motif" when the DNA sequence carries GATTACA. */
    private Path dna(String name, int n, long seed, List<String> seqs, List<String> families) throws IOException {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("id,seq,family\n");
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int p = 0; p < 30; p++) {
                b.append("ACGT".charAt(r.nextInt(4)));
            }
            boolean motif = i % 3 == 0;
            if (motif) {
                int at = r.nextInt(23);
                b.replace(at, at + 7, "GATTACA");
            }
            seqs.add(b.toString());
            families.add(motif ? "motif" : "plain");
            csv.append(i).append(',').append(b).append(',').append(motif ? "motif" : "plain").append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, csv);
        return p;
    }

    @Test
    void svcOnATextColumnSavesAModelThatPredictsNewTextsAsTheLibraryDoes() throws IOException {
        List<String> trainSeqs = new ArrayList<>();
        List<String> trainFam = new ArrayList<>();
        Path train = dna("train.csv", 45, 1, trainSeqs, trainFam);
        List<String> testSeqs = new ArrayList<>();
        Path test = dna("test.csv", 15, 2, testSeqs, new ArrayList<>());
        Path model = dir.resolve("m.zip");
        Run fit = run("fit", "--model", "svc", "--train", train.toString(), "--text-column", "seq", "--target", "family",
                "--kernel", "spectrum(k=4)", "--c", "10", "--out", model.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("string kernel: spectrum(length=4)"), fit.out());
        assertTrue(fit.out().contains("trained on 45 texts from column 'seq'"), fit.out());
        Path pred = dir.resolve("p.csv");
        Run p = run("predict", "--model", model.toString(), "--data", test.toString(), "--out", pred.toString(),
                "--decision", "--no-progress");
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(pred);
        assertEquals("family,decision_motif_vs_plain", lines.get(0));
        // reference: the library's precomputed SVM on Gram and cross matrices, classes coded 0 = motif, 1 = plain
        StringKernel k = StringKernel.spectrum(4);
        Matrix y = new Matrix(trainFam.size(), 1);
        for (int i = 0; i < y.rows(); i++) {
            y.set(i, 0, trainFam.get(i).equals("motif") ? 0 : 1);
        }
        SvmModel ref = SupportVectorMachine.classifier().c(10).build().fitPrecomputed(k.gram(trainSeqs), y);
        Matrix f = ref.decisionValues(k.cross(testSeqs, trainSeqs));
        Matrix labels = ref.predict(k.cross(testSeqs, trainSeqs));
        for (int i = 0; i < testSeqs.size(); i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(labels.get(i, 0) == 0 ? "motif" : "plain", cells[0]);
            assertEquals(f.get(i, 0), Double.parseDouble(cells[1]), 1e-9);
        }
        // evaluate reads the text column too; its accuracy on the training texts is the reference model's, and the
        // target keeps its name when given by index (the default, the last column)
        Matrix onTrain = ref.predict(k.gram(trainSeqs));
        int right = 0;
        for (int i = 0; i < trainFam.size(); i++) {
            right += (onTrain.get(i, 0) == 0 ? "motif" : "plain").equals(trainFam.get(i)) ? 1 : 0;
        }
        Run eval = run("evaluate", "--model", model.toString(), "--data", train.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("accuracy: " + right / 45.0), eval.out());
        Path byIndex = dir.resolve("default-target.zip");
        Run fit2 = run("fit", "--model", "svc", "--train", train.toString(), "--text-column", "seq", "--kernel",
                "spectrum(k=4)", "--out", byIndex.toString(), "--no-progress");
        assertEquals(0, fit2.code(), fit2.err());
        assertTrue(fit2.out().contains("target 'family'"), fit2.out());
        assertEquals("family", ModelFiles.load(byIndex).targetName());
    }

    @Test
    void svrOnTextsAndBadTextInputExitWithOneLine() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "text,score,len\nabcab,1.5,5\nbbca,0.5,4\ncabbc,1.0,5\naacb,0.2,4\n");
        Path model = dir.resolve("r.zip");
        Run ok = run("fit", "--model", "svr", "--train", csv.toString(), "--text-column", "text", "--target", "score",
                "--kernel", "boundrange(length=2)", "--out", model.toString(), "--no-progress");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("training rmse"), ok.out());
        String[][] bad = {
            {"len", "spectrum(k=2)", "column 'len' holds only numbers, not text"},
            {"nope", "spectrum(k=2)", "no column 'nope' (--text-column) in the header; columns: text, score, len"},
            {"text", "spectrum(k=5)", "spectrum(length=5): text 1 has 4 characters, fewer than k = 5"},
            {"text", "mismatch(k=3, m=1)", "text 0 has 'a' at position 0, which is not in the alphabet ACGT"},
            {"text", "spectra(k=2)", "unknown string kernel 'spectra'"},
        };
        for (String[] b : bad) {
            Run r = run("fit", "--model", "svr", "--train", csv.toString(), "--text-column", b[0], "--target", "score",
                    "--kernel", b[1], "--out", dir.resolve("x.zip").toString(), "--no-progress");
            assertNotEquals(0, r.code(), String.join(" ", b));
            assertTrue(r.err().contains(b[2]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(dir.resolve("x.zip")));
        }
        Files.writeString(dir.resolve("e.csv"), "text,score\nab,1\n,2\n");
        Run empty = run("fit", "--model", "svr", "--train", dir.resolve("e.csv").toString(), "--text-column", "text",
                "--kernel", "constant()", "--out", dir.resolve("x.zip").toString(), "--no-progress");
        assertTrue(empty.err().contains("e.csv:3: the text in column 'text' is empty"), empty.err());
        Run krr = run("fit", "--model", "krr", "--train", csv.toString(), "--text-column", "text", "--kernel",
                "spectrum(k=2)", "--out", dir.resolve("x.zip").toString());
        assertEquals(2, krr.code());
        assertTrue(krr.err().contains("--text-column applies to --model svc|svr|oneclass, not --model krr"), krr.err());
        Run noColumn = run("fit", "--model", "svc", "--train", csv.toString(), "--kernel", "spectrum(k=2)", "--out",
                dir.resolve("x.zip").toString());
        assertEquals(2, noColumn.code());
        assertTrue(noColumn.err().contains("is a string kernel: name the text column with --text-column"), noColumn.err());
    }

    @Test
    void benchStringRunsWithoutThePeerAndRefusesBadSizes() {
        Run r = run("bench", "string", "--n", "30", "--length", "40", "--k", "3", "--reps", "1", "--python", "none");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("string n=30 length=40 k=3"), r.out());
        assertTrue(r.out().contains("kernels4j_seconds: "), r.out());
        assertFalse(r.out().contains("peer_seconds"), r.out());
        Run bad = run("bench", "string", "--n", "30", "--length", "4", "--k", "5", "--python", "none");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("need --n >= 2, 1 <= --k <= --length"), bad.err());
    }

    /** Writes a TU data set of MUTAG-like molecules and returns them. */
    private List<LabeledGraph> tuDataset(Path folder, boolean nodeLabels) throws IOException {
        Files.createDirectories(folder);
        Random r = new Random(5);
        String[] atoms = {"C", "C", "N", "O"};
        List<LabeledGraph> graphs = new ArrayList<>();
        StringBuilder a = new StringBuilder();
        StringBuilder ind = new StringBuilder();
        StringBuilder nl = new StringBuilder();
        StringBuilder gl = new StringBuilder();
        int offset = 0;
        for (int g = 0; g < 9; g++) {
            int n = 2 + r.nextInt(5);
            List<int[]> edges = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int v = 0; v < n; v++) {
                labels.add(atoms[r.nextInt(atoms.length)]);
                ind.append(g + 1).append('\n');
                nl.append(labels.get(v)).append('\n');
                if (v > 0) {
                    int u = r.nextInt(v);
                    edges.add(new int[] {u, v});
                    a.append(offset + u + 1).append(", ").append(offset + v + 1).append('\n');
                    a.append(offset + v + 1).append(", ").append(offset + u + 1).append('\n');
                }
            }
            gl.append(g % 2 == 0 ? 1 : -1).append('\n');
            graphs.add(LabeledGraph.of(n, edges.toArray(new int[0][]), nodeLabels ? labels : null));
            offset += n;
        }
        Files.writeString(folder.resolve("TOY_A.txt"), a);
        Files.writeString(folder.resolve("TOY_graph_indicator.txt"), ind);
        Files.writeString(folder.resolve("TOY_graph_labels.txt"), gl);
        if (nodeLabels) {
            Files.writeString(folder.resolve("TOY_node_labels.txt"), nl);
        }
        return graphs;
    }

    @Test
    void wlKernelReadsATuDatasetAndWritesTheGram() throws IOException {
        for (boolean labelled : new boolean[] {true, false}) {
            Path folder = dir.resolve(labelled ? "TOY" : "PLAIN");
            List<LabeledGraph> graphs = tuDataset(folder, labelled);
            Path out = dir.resolve(labelled ? "k.npy" : "k.csv");
            Run r = run("wl-kernel", "--dataset", folder.toString(), "--iterations", "2", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("over 9 graphs"), r.out());
            Matrix want = WeisfeilerLehman.of(2).gram(graphs);
            Matrix got;
            if (labelled) {
                got = Npy.read(out);
            } else {
                List<String> lines = Files.readAllLines(out);
                assertTrue(lines.get(0).startsWith("g1,g2,"), lines.get(0));
                got = new Matrix(9, 9);
                for (int i = 0; i < 9; i++) {
                    String[] c = lines.get(i + 1).split(",");
                    for (int j = 0; j < 9; j++) {
                        got.set(i, j, Double.parseDouble(c[j]));
                    }
                }
            }
            assertEquals(0.0, got.maxAbsDifference(want), 0);
        }
        // as its help says: the Gram file alone has no target; with the classes added as a last column it trains
        Path gram = dir.resolve("k.csv");
        Run alone = run("fit", "--model", "svc", "--train", gram.toString(), "--kernel", "precomputed", "--out",
                dir.resolve("wl.zip").toString());
        assertEquals(1, alone.code(), alone.err());
        assertTrue(alone.err().contains("9 rows and 8 kernel columns") && alone.err().contains("add the labels as a "
                + "last column"), alone.err());
        List<String> gramLines = Files.readAllLines(gram);
        List<String> withLabels = new java.util.ArrayList<>(List.of(gramLines.get(0) + ",class"));
        for (int i = 1; i < gramLines.size(); i++) {
            withLabels.add(gramLines.get(i) + "," + (i % 2));
        }
        Files.write(dir.resolve("labelled.csv"), withLabels);
        Run trained = run("fit", "--model", "svc", "--train", dir.resolve("labelled.csv").toString(), "--kernel",
                "precomputed", "--out", dir.resolve("wl.zip").toString());
        assertEquals(0, trained.code(), trained.err());
        Run viaFile = run("wl-kernel", "--dataset", dir.resolve("TOY/TOY_A.txt").toString(), "--iterations", "1",
                "--normalized", "--out", dir.resolve("n.npy").toString());
        assertEquals(0, viaFile.code(), viaFile.err());
        assertEquals(1.0, Npy.read(dir.resolve("n.npy")).get(4, 4), 1e-15);
        // the data set's own files are never an output, whichever way the data set is named
        String edges = Files.readString(dir.resolve("TOY/TOY_A.txt"));
        for (String dataset : new String[] {dir.resolve("TOY").toString(), dir.resolve("TOY/TOY_A.txt").toString()}) {
            Run over = run("wl-kernel", "--dataset", dataset, "--out", dir.resolve("TOY/TOY_graph_indicator.txt").toString());
            assertEquals(1, over.code(), over.err());
            assertTrue(over.err().contains("it is the input file"), over.err());
        }
        assertEquals(edges, Files.readString(dir.resolve("TOY/TOY_A.txt")));
    }

    @Test
    void wlKernelBadInputExitsWithOneLineNamingFileAndLine() throws IOException {
        Path folder = dir.resolve("BAD");
        tuDataset(folder, true);
        Files.writeString(folder.resolve("TOY_A.txt"), "1, 2\n2, x\n");
        Run r = run("wl-kernel", "--dataset", folder.toString(), "--out", dir.resolve("k.csv").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("TOY_A.txt:2: 'x' is not a node or graph number"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Files.writeString(folder.resolve("TOY_A.txt"), "1, 2\n1, 99\n");
        r = run("wl-kernel", "--dataset", folder.toString(), "--out", dir.resolve("k.csv").toString());
        assertTrue(r.err().contains("TOY_A.txt:2: node 99 is not in 1.."), r.err());
        Files.delete(folder.resolve("TOY_graph_indicator.txt"));
        r = run("wl-kernel", "--dataset", folder.toString(), "--out", dir.resolve("k.csv").toString());
        assertTrue(r.err().contains("TOY_graph_indicator.txt: not found"), r.err());
        r = run("wl-kernel", "--dataset", dir.resolve("none").toString(), "--out", dir.resolve("k.csv").toString());
        assertTrue(r.err().contains("no such file or directory"), r.err());
        r = run("wl-kernel", "--dataset", folder.toString(), "--iterations", "-1", "--out", dir.resolve("k.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("iterations must be >= 0, got -1"), r.err());
        assertFalse(Files.exists(dir.resolve("k.csv")));
    }
}
