package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelAlignment;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.quantum.FidelityKernel;
import org.kernels4j.kernel.quantum.PauliFeatureMap;
import org.kernels4j.kernel.quantum.ProjectedKernel;
import org.kernels4j.kernel.quantum.QuantumKernels;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "quantum-kernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Diagnose a quantum kernel (zz, pauli or projected) on a data set: qubits, memory, the "
                + "concentration of the kernel values, and their alignment with the labels.",
            "Prints the qubit count (one per feature), the memory of one state and of all states, the mean, variance, "
                + "minimum and maximum of the off-diagonal kernel values (fidelity kernels concentrate as qubits are "
                + "added), and with --labels-column the kernel-target alignment y'Ky/(|K|_F |y|^2) and its centred "
                + "version (two classes are mapped to -1/+1).",
            "--align-alpha LO,HI searches the feature-map scale alpha of a zz/pauli kernel that maximises the centred "
                + "alignment. --gram-out writes the Gram matrix as .npy, after --clip-psd clipped its negative "
                + "eigenvalues (for finite-shot kernels)."})
final class QuantumKernelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Rows (.csv or .libsvm); every "
            + "column but --labels-column is a feature (a qubit).")
    Path data;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC", description = "A quantum kernel, e.g. "
            + "'zz(reps=2, entanglement=full)', 'pauli(paulis=[Z, YY])' or 'projected(gamma=0.5)'.")
    String kernel;

    @Option(names = "--labels-column", paramLabel = "NAME|INDEX", description = "The label column (a header name or "
            + "0-based index, negative from the end): not a feature; gives the alignments.")
    String labels;

    @Option(names = "--align-alpha", split = ",", paramLabel = "LO,HI", description = "zz/pauli with --labels-column: "
            + "find alpha in [LO, HI] maximising the centred alignment (grid of --alpha-grid points in log alpha, then "
            + "golden section).")
    List<Double> alignAlpha;

    @Option(names = "--alpha-grid", defaultValue = "9", paramLabel = "N", description = "Grid points of --align-alpha "
            + "(default: ${DEFAULT-VALUE}).")
    int alphaGrid;

    @Option(names = "--clip-psd", description = "Clip the Gram matrix's negative eigenvalues (nearest PSD matrix) "
            + "before the diagnostics and --gram-out.")
    boolean clipPsd;

    @Option(names = "--gram-out", paramLabel = "K.npy", description = "Write the n x n Gram matrix (float64 .npy).")
    Path gramOut;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        Kernel k = KernelSpec.parse(kernel);
        PauliFeatureMap map;
        if (k instanceof FidelityKernel f) {
            map = f.featureMap();
        } else if (k instanceof ProjectedKernel p) {
            map = p.featureMap();
        } else {
            throw new UsageException("--kernel must be a quantum kernel (zz, pauli or projected), got " + k.toSpec());
        }
        if (alignAlpha != null) {
            if (alignAlpha.size() != 2) {
                throw new UsageException("--align-alpha takes LO,HI, got " + alignAlpha);
            }
            if (!(k instanceof FidelityKernel)) {
                throw new UsageException("--align-alpha applies to zz and pauli kernels, not " + k.toSpec());
            }
            if (labels == null) {
                throw new UsageException("--align-alpha needs --labels-column");
            }
            if (!(alignAlpha.get(0) > 0) || !(alignAlpha.get(1) > alignAlpha.get(0))
                    || Double.isInfinite(alignAlpha.get(1))) {
                throw new UsageException("--align-alpha needs 0 < LO < HI, got " + alignAlpha);
            }
            if (alphaGrid < 3) {
                throw new UsageException("--alpha-grid must be at least 3, got " + alphaGrid);
            }
        }
        if (gramOut != null) {
            AtomicFiles.checkWritable(gramOut, data);
        }
        // text labels (neg/pos) are two classes as much as numeric ones: read as classes, like ntk-depth does
        Dataset ds = labels != null ? options.options.readWithTarget(data, labels, true)
                : options.options.read(data, null, 0);
        Matrix x = ds.features();
        int n = x.rows();
        int q = x.cols();
        PauliFeatureMap.stateLength(q); // too many qubits: one line with the memory it would need
        if (n < 2) {
            throw new org.kernels4j.Kernels4jException(data + ": the diagnostics need at least 2 rows, got " + n);
        }
        double[] y = null;
        String yNote = "";
        if (labels != null) {
            if (!ds.hasTarget()) {
                throw new org.kernels4j.Kernels4jException(data + ": no label column selected");
            }
            y = ds.target().column(0);
            TreeSet<Double> classes = new TreeSet<>();
            for (double v : y) {
                classes.add(v);
            }
            if (classes.size() == 2) {
                double lo = classes.first();
                for (int i = 0; i < y.length; i++) {
                    y[i] = y[i] == lo ? -1 : 1;
                }
                // a label's text: its name for text labels, the number as LibSVM writes it otherwise
                yNote = " (classes " + ds.label(lo) + " -> -1, " + ds.label(classes.last()) + " -> +1)";
            } else if (ds.classLabels() != null) {
                throw new org.kernels4j.Kernels4jException(data + ": the label column '" + ds.targetName() + "' holds "
                        + classes.size() + " text classes; the alignment takes two classes or numeric labels");
            } else {
                yNote = " (" + classes.size() + " distinct values, used as numbers)";
            }
        }
        PrintWriter pw = spec.commandLine().getOut();
        long stateBytes = 16L << q;
        long tile = (long) GramEngine.tileSize() * GramEngine.tileSize() * 16 * Parallelism.threads();
        pw.printf(Locale.ROOT, "quantum-kernel: %s on %s: %d rows, %d qubits%n", k.toSpec(), data, n, q);
        if (k instanceof FidelityKernel) {
            pw.printf(Locale.ROOT, "memory: %s per state, %s for the %d states, plus %s of tiles (%d threads)%n",
                    bytes(stateBytes), bytes(stateBytes * n), n, bytes(tile), Parallelism.threads());
        } else {
            pw.printf(Locale.ROOT, "memory: %s per state (one at a time per thread), %d Bloch features per row%n",
                    bytes(stateBytes), 3 * q);
        }
        long t0 = System.nanoTime();
        Matrix g = GramEngine.gram(k, x);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (clipPsd) {
            g = QuantumKernels.clipNegativeEigenvalues(g);
        }
        pw.printf(Locale.ROOT, "gram: %d x %d in %.3f s%s%n", n, n, seconds, clipPsd ? ", negative eigenvalues clipped" : "");
        QuantumKernels.Concentration c = QuantumKernels.concentration(g);
        pw.printf(Locale.ROOT, "off-diagonal values: mean %.6g, variance %.6g, min %.6g, max %.6g (%d pairs)%n", c.mean(),
                c.variance(), c.min(), c.max(), c.pairs());
        if (y != null) {
            pw.printf(Locale.ROOT, "alignment: %.6f%n", KernelAlignment.of(g, y));
            pw.printf(Locale.ROOT, "centred alignment: %.6f%s%n", KernelAlignment.centered(g, y), yNote);
        }
        if (alignAlpha != null) {
            QuantumKernels.AlphaSearch a = QuantumKernels.alignAlpha((FidelityKernel) k, x, y, alignAlpha.get(0),
                    alignAlpha.get(1), alphaGrid);
            pw.printf(Locale.ROOT, "best alpha by centred alignment in [%s, %s]: %.6g (alignment %.6f, %d values tried)%n",
                    num(alignAlpha.get(0)), num(alignAlpha.get(1)), a.alpha(), a.alignment(), a.tried().length);
        }
        if (gramOut != null) {
            Npy.write(g, gramOut);
            pw.printf("wrote %s: %d x %d%n", gramOut, n, n);
        }
        return 0;
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
}
