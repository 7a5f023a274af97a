package org.kernels4j.gp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code tp}: everything a {@code gp} file holds for the Gaussian conditional
 * ({@link GaussianProcessCodec}: kernel, noise, {@code train_x}, {@code dual_coef}, {@code intercept},
 * {@code target_scale}, {@code cholesky}) plus {@code options.dof} ν, {@code options.shape_scale} c,
 * the inverse-gamma {@code options.prior_a}, {@code options.prior_b} when the model was built that
 * way, the Student-t {@code log_marginal_likelihood}, and the array {@code quadratic_form} (1×k,
 * β_o = y_oᵀA⁻¹y_o), so that the predictive t (location, scale, dof ν + n) follows from the file.
 */
public final class StudentTProcessCodec extends ModelCodec<StudentTProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "tp";

    /** The codec (registered with ServiceLoader). */
    public StudentTProcessCodec() {
        super(KIND, StudentTProcessModel.class);
    }

    @Override
    public ModelState encode(StudentTProcessModel m) {
        ModelState gp = new GaussianProcessCodec().encode(m.conditional());
        ModelState.Builder s = ModelState.builder(KIND);
        for (Map.Entry<String, Object> e : gp.fields().entrySet()) {
            if (e.getKey().equals("log_marginal_likelihood")) {
                continue; // the Gaussian one; the file carries the Student-t one below
            }
            if (e.getValue() instanceof String v) {
                s.put(e.getKey(), v);
            } else if (e.getValue() instanceof Double v) {
                s.put(e.getKey(), v);
            }
        }
        gp.arrays().forEach(s::array);
        s.put("options.dof", m.priorDegreesOfFreedom()).put("options.shape_scale", m.shapeScale());
        double[] prior = m.inverseGammaPrior();
        if (prior != null) {
            s.put("options.prior_a", prior[0]).put("options.prior_b", prior[1]);
        }
        if (Double.isFinite(m.logMarginalLikelihood())) {
            s.put("log_marginal_likelihood", m.logMarginalLikelihood());
        }
        return s.array("quadratic_form", Matrix.wrap(1, m.outputs(), m.quadraticForms())).build();
    }

    @Override
    public StudentTProcessModel decode(ModelState s) {
        Map<String, Object> fields = new LinkedHashMap<>(s.fields());
        fields.remove("log_marginal_likelihood");
        GaussianProcessModel gp = new GaussianProcessCodec().decode(ModelState.of(GaussianProcessCodec.KIND, fields,
                s.arrays()));
        double nu = s.positive("options.dof", false);
        double c = s.positive("options.shape_scale", false);
        double a = s.has("options.prior_a") ? s.positive("options.prior_a", false) : Double.NaN;
        double b = s.has("options.prior_b") ? s.positive("options.prior_b", false) : Double.NaN;
        double[] quad = s.matrix("quadratic_form", 1, gp.outputs()).data();
        double lml = s.has("log_marginal_likelihood") ? s.number("log_marginal_likelihood") : Double.NaN;
        FitReport report = FitReport.builder().add("log_marginal_likelihood", lml).add("degrees_of_freedom", nu)
                .add("shape_scale", c).add("noise", gp.noise()).add("jitter", gp.jitter()).build();
        return new StudentTProcessModel(gp, nu, c, quad, lml, report, null, a, b);
    }
}
