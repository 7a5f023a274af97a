package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.Kernels4jException;
import org.kernels4j.decomposition.KernelPca;
import org.kernels4j.decomposition.KernelPcaModel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** A kernel PCA model file round-trips through the archive and a truncated or altered file is refused. */
class KernelPcaModelFileTest {
    @TempDir
    Path dir;

    @Test
    void kernelPcaFilesRoundTripAndRejectDamage() throws IOException {
        Matrix x = Matrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}, {3, 1}, {0.5, 2.5}, {1.5, 1.5}});
        KernelPcaModel m = KernelPca.builder(KernelSpec.parse("rbf(gamma=0.4)")).components(2)
                .fitInverseTransform(0.1).build().fit(x);
        Path file = dir.resolve("kpca.zip");
        ModelFiles.save(m, List.of("a", "b"), file);
        KernelPcaModel back = ModelFiles.load(file, KernelPcaModel.class, "a kernel PCA model");
        Matrix q = Matrix.of(new double[][] {{0.2, 0.3}, {2, 1}});
        assertEquals(0.0, back.transform(q).maxAbsDifference(m.transform(q)), 1e-12);
        assertEquals(0.0, back.inverseTransform(m.transform(q)).maxAbsDifference(m.inverseTransform(m.transform(q))),
                1e-12);
        byte[] good = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(cut));
        assertTrue(e.getMessage().contains("cut.zip: truncated or not a zip archive"), e.getMessage());
        Path altered = dir.resolve("altered.zip");
        try (var zin = new java.util.zip.ZipFile(file.toFile());
                var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(altered))) {
            var en = zin.entries();
            while (en.hasMoreElements()) {
                var entry = en.nextElement();
                byte[] b = zin.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("coefficients.npy")) {
                    b[b.length - 1] ^= 0x01;
                }
                zout.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                zout.write(b);
                zout.closeEntry();
            }
        }
        e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(altered));
        assertTrue(e.getMessage().contains("checksum mismatch for 'coefficients.npy'"), e.getMessage());
    }
}
