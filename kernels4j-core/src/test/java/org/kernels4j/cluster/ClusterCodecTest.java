package org.kernels4j.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * Model files of the clustering models: precomputed fits survive (labels, J, the rule from kernel rows), the
 * Nyström projection is kept as fitted, and a state whose labels or merge tree are inconsistent is refused.
 */
class ClusterCodecTest {
    private static final RbfKernel RBF = RbfKernel.withGamma(0.5);
    private static final Matrix X = ClusterData.blobs(3, 10, 2, 5);
    private static final Matrix Q = ClusterData.blobs(3, 4, 2, 6);

    private static ModelState roundTrip(ModelState s) {
        return ModelState.of(s.kind(), s.fields(), s.arrays());
    }

    private static ModelState with(ModelState s, String array, Matrix value) {
        Map<String, Matrix> arrays = new LinkedHashMap<>(s.arrays());
        arrays.put(array, value);
        return ModelState.of(s.kind(), s.fields(), arrays);
    }

    @Test
    void precomputedKMeansKeepsLabelsInertiaAndTheKernelRowRule() {
        KernelKMeansModel m = KernelKMeans.builder().clusters(3).seed(1).build().fitKernelMatrix(GramEngine.gram(RBF, X));
        KernelKMeansModel back = (KernelKMeansModel) ModelCodecs.decode(roundTrip(ModelCodecs.encode(m)));
        assertArrayEquals(m.labels(), back.labels());
        assertEquals(m.inertia(), back.inertia());
        assertEquals(0, back.features());
        Matrix cross = GramEngine.cross(RBF, Q, X);
        assertArrayEquals(m.predictFromKernelRows(cross), back.predictFromKernelRows(cross));
        // training points go to their own cluster (blobs far apart): the rule is not trivially constant
        assertArrayEquals(m.labels(), back.predictFromKernelRows(GramEngine.gram(RBF, X)));
    }

    @Test
    void nystromProjectionIsKeptAsFitted() {
        KernelKMeansModel m = KernelKMeans.builder(RBF).clusters(3).nystrom(8).seed(2).build().fit(X);
        ModelState s = ModelCodecs.encode(m);
        Matrix p = s.arrays().get("projection");
        KernelKMeansModel back = (KernelKMeansModel) ModelCodecs.decode(roundTrip(s));
        assertEquals(0.0, back.map().projection().maxAbsDifference(p));
        // a flipped feature sign must reach predict: the file's projection is used, not a recomputed one
        Matrix flipped = p.copy();
        for (int i = 0; i < flipped.rows(); i++) {
            flipped.set(i, 0, -flipped.get(i, 0));
        }
        KernelKMeansModel bad = (KernelKMeansModel) ModelCodecs.decode(with(s, "projection", flipped));
        assertEquals(0.0, bad.map().projection().maxAbsDifference(flipped));
    }

    @Test
    void wardLabelsAndObjectiveAreRebuiltFromTheMerges() {
        KernelWardModel m = KernelWard.builder().clusters(3).build().fitKernelMatrix(GramEngine.gram(RBF, X));
        KernelWardModel back = (KernelWardModel) ModelCodecs.decode(roundTrip(ModelCodecs.encode(m)));
        assertArrayEquals(m.labels(), back.labels());
        assertEquals(m.objective(), back.objective(), 1e-15 * Math.abs(m.objective()));
        assertEquals(m.merges(), back.merges());
        double sum = 0;
        for (int s = 0; s < X.rows() - 3; s++) {
            sum += m.merges().get(s).cost();
        }
        assertEquals(sum, back.objective(), 1e-12 * sum);
    }

    @Test
    void inconsistentStatesAreRefusedNamingTheArray() {
        ModelState km = ModelCodecs.encode(KernelKMeans.builder(RBF).clusters(3).seed(1).build().fit(X));
        Matrix labels = km.arrays().get("labels").copy();
        labels.set(0, 4, 3);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(with(km, "labels", labels)));
        assertTrue(e.getMessage().contains("'labels'"), e.getMessage());
        Matrix oneCluster = new Matrix(1, X.rows()); // clusters 1 and 2 empty
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(with(km, "labels", oneCluster)));
        assertTrue(e.getMessage().contains("no point in cluster 1"), e.getMessage());

        ModelState w = ModelCodecs.encode(KernelWard.builder(RBF).clusters(3).build().fit(X));
        Matrix merges = w.arrays().get("merges").copy();
        merges.set(1, 0, merges.get(0, 0)); // reuses a cluster merged at row 0
        merges.set(1, 1, merges.get(0, 0) == 0 ? 1 : 0);
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(with(w, "merges", merges)));
        assertTrue(e.getMessage().contains("'merges' row 1"), e.getMessage());
        Matrix sizes = w.arrays().get("merges").copy();
        sizes.set(0, 3, 3); // the first merge joins two points
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(with(w, "merges", sizes)));
        assertTrue(e.getMessage().contains("size must be 2"), e.getMessage());
    }
}
