package org.kernels4j.regression;

import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code ntk}: the network's kernel spec, η, the regularizer (and whether it is
 * absolute) and the prediction time (absent for t = ∞) as fields; {@code train_x} (n×d),
 * {@code train_y} (n×k), the NNGP training kernel {@code nngp_train} (n×n) and the NTK's
 * eigendecomposition {@code ntk_eigenvalues} (1×n) and {@code ntk_eigenvectors} (n×n) as arrays,
 * so that loading needs no kernel matrix or eigendecomposition.
 */
public final class NtkPredictorCodec extends ModelCodec<NtkPredictorModel> {
    /** The kind written into files. */
    public static final String KIND = "ntk";

    /** The codec (registered with ServiceLoader). */
    public NtkPredictorCodec() {
        super(KIND, NtkPredictorModel.class);
    }

    @Override
    public ModelState encode(NtkPredictorModel m) {
        NtkPredictor o = m.options();
        ModelState.Builder s = ModelState.builder(KIND)
                .put("kernel", o.kernel().toSpec())
                .put("options.learning_rate", o.learningRate())
                .put("options.regularizer", o.regularizer())
                .put("options.absolute_regularizer", o.absoluteRegularizer());
        if (Double.isFinite(o.time())) {
            s.put("options.time", o.time());
        }
        SymmetricEigen eig = m.ntkEigen();
        return s.array("train_x", m.trainingInputs())
                .array("train_y", m.trainingTargets())
                .array("nngp_train", m.nngpTrainingKernel())
                .array("ntk_eigenvalues", Matrix.wrap(1, eig.size(), eig.values()))
                .array("ntk_eigenvectors", eig.vectors())
                .build();
    }

    @Override
    public NtkPredictorModel decode(ModelState s) {
        Kernel k = s.kernel("kernel");
        if (!(k instanceof NeuralKernel nk)) {
            throw new Kernels4jException("field 'kernel' must be an nngp or ntk kernel, got " + k.toSpec());
        }
        NtkPredictor options = NtkPredictor.builder(nk)
                .learningRate(s.positive("options.learning_rate", false))
                .regularizer(s.positive("options.regularizer", true), s.flag("options.absolute_regularizer"))
                .time(s.has("options.time") ? s.positive("options.time", true) : Double.POSITIVE_INFINITY)
                .build();
        Matrix x = s.matrix("train_x");
        int n = x.rows();
        Matrix y = s.matrix("train_y", n, -1);
        Matrix kTrain = s.matrix("nngp_train", n, n);
        double[] values = s.matrix("ntk_eigenvalues", 1, n).data();
        SymmetricEigen eig = SymmetricEigen.restore(values, s.matrix("ntk_eigenvectors", n, n));
        return new NtkPredictorModel(options, x, y, kTrain, eig);
    }
}
