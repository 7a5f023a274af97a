package org.kernels4j.dkm;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code dkm}. Fields: {@code map} (the layer map spec), {@code layers} L,
 * {@code options.nu} (L numbers), {@code options.noise} σ², {@code jitter} (δ_1…δ_L, δ_out) and, for
 * reading, {@code objective}. Arrays: {@code train_x} (n×d), {@code train_y} (n×k) and the learned Gram
 * matrices {@code gram_1} … {@code gram_L} (n×n each). Loading refactors K_ℓ and the output matrix once
 * (O(L·n³)) rather than storing L + 1 more n×n factors.
 *
 * <p>A sparse model ({@link SparseDeepKernelMachine}) is the same kind with one more array,
 * {@code output_cov} (A, m×m); there {@code train_x} holds the m inducing inputs,
 * {@code train_y} the output mean μ and the Grams are m×m. Files without {@code output_cov} are exact models,
 * as before.
 */
public final class DeepKernelMachineCodec extends ModelCodec<DeepKernelMachineModel> {
    /** The kind written into files. */
    public static final String KIND = "dkm";

    /** The codec (registered with ServiceLoader). */
    public DeepKernelMachineCodec() {
        super(KIND, DeepKernelMachineModel.class);
    }

    @Override
    public ModelState encode(DeepKernelMachineModel m) {
        ModelState.Builder s = ModelState.builder(KIND)
                .put("map", m.map().toSpec())
                .put("layers", (long) m.layers())
                .put("options.nu", m.nu())
                .put("options.noise", m.noise())
                .put("jitter", m.jitter())
                .put("terms", m.terms())
                .put("objective", m.objective())
                .array("train_x", m.trainingInputs())
                .array("train_y", m.trainingTargets());
        if (m.isSparse()) {
            s.array("output_cov", m.outputCovariance());
        }
        List<Matrix> grams = m.grams();
        for (int l = 0; l < grams.size(); l++) {
            s.array("gram_" + (l + 1), grams.get(l));
        }
        return s.build();
    }

    @Override
    public DeepKernelMachineModel decode(ModelState s) {
        GramMap map;
        try {
            map = GramMap.parse(s.text("map"));
        } catch (Kernels4jException e) {
            throw new Kernels4jException("map: " + e.getMessage());
        }
        int layers = s.integer("layers", 1, 100);
        double[] nu = s.numbers("options.nu", layers);
        for (double v : nu) {
            if (!(v > 0)) {
                throw new Kernels4jException("options.nu must hold positive numbers, got " + v);
            }
        }
        double noise = s.positive("options.noise", false);
        double[] jitter = s.numbers("jitter", layers + 1);
        for (double v : jitter) {
            if (!(v >= 0)) {
                throw new Kernels4jException("jitter must hold numbers >= 0, got " + v);
            }
        }
        Matrix x = s.matrix("train_x");
        int n = x.rows();
        Matrix y = s.matrix("train_y", n, -1);
        List<Matrix> grams = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            grams.add(s.matrix("gram_" + l, n, n));
        }
        try {
            // the objective's terms as fitted: recomputing them would factor each G_ℓ itself, which a learned,
            // numerically semi-definite G_ℓ need not allow (files from before the terms were stored recompute)
            double[] terms = s.has("terms") ? s.numbers("terms", layers + 1) : null;
            if (s.hasArray("output_cov")) {
                if (terms == null) {
                    throw new Kernels4jException("a sparse DKM file needs its 'terms' field");
                }
                return DeepKernelMachineModel.sparse(map, nu, noise, x, y, s.matrix("output_cov", n, n), grams, jitter,
                        terms, null);
            }
            return new DeepKernelMachineModel(map, nu, noise, x, y, grams, jitter, terms, null, 0);
        } catch (org.kernels4j.linalg.NotPositiveDefiniteException e) {
            throw new Kernels4jException("the stored Gram matrices do not give positive definite kernel matrices: "
                    + e.getMessage());
        }
    }
}
