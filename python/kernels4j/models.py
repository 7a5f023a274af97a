"""The model kinds of kernels4j model files, predicting as the Java models do (scikit-learn-style names).

Each class follows the Java model named in its docstring; shapes: ``X`` is m x d; single-output
predictions are 1-D (m,), several outputs (m, k), as scikit-learn returns them.
"""

import math

import numpy as np

from . import spec as _spec
from .archive import bad
from .errors import Kernels4jError, UnsupportedError
from .kernels import Neural, Sum, White

# kinds kernels4j writes that this reader refuses, by name and with what they are
UNSUPPORTED_KINDS = {
    "latent-gp": "GP with a non-Gaussian likelihood (Poisson, Student-t)",
    "tp": "Student-t process regression",
    "bayesian-gp": "GP with hyperparameters integrated by MCMC",
    "dkm": "deep kernel machine",
    "dkm-classifier": "deep kernel machine classifier (one-hot label regression)",
    "private-kernel-sum": "differentially private kernel sum",
    "private-distance-sum": "differentially private distance sum",
    "private-similarity": "differentially private similarity classifier",
    "singular-kernel": "singular-kernel (Hilbert) classifier",
    "kernel-kmeans": "kernel k-means clustering",
    "kernel-ward": "kernel Ward clustering",
    "kron-gp": "grid (Kronecker) Gaussian process",
    "ss-gp": "state-space Gaussian process",
    "string-svm": "SVM on texts with a string kernel",
    "lssvm": "least-squares SVM",
    "rvm": "relevance vector machine regression",
    "rvm-classifier": "relevance vector machine classifier",
    "kqr": "kernel quantile regression",
    "kcca": "kernel canonical correlation analysis",
}


def _solve_lower(lower, b):
    """L^-1 B for a lower-triangular L (n x n) and B (n x m), by blocked forward substitution
    (numpy has no triangular solver; a general solve would pivot and refactor)."""
    n = lower.shape[0]
    x = np.array(b, dtype=float, copy=True)
    block = 64
    for s in range(0, n, block):
        e = min(n, s + block)
        for i in range(s, e):
            if i > s:
                x[i] -= lower[i, s:i] @ x[s:i]
            x[i] /= lower[i, i]
        if e < n:
            x[e:] -= lower[e:, s:e] @ x[s:e]
    return x


def _erfc(x):
    """erfc by the Chebyshev fit of Java's SpecialFunctions.erfc (Numerical Recipes, 3rd ed.)."""
    cof = (-1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3,
           -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6,
           1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10,
           -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13,
           3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17)
    x = np.asarray(x, dtype=float)
    z = np.abs(x)
    t = 2 / (2 + z)
    ty = 4 * t - 2
    d = np.zeros_like(z)
    dd = np.zeros_like(z)
    for j in range(len(cof) - 1, 0, -1):
        tmp = d
        d = ty * d - dd + cof[j]
        dd = tmp
    v = t * np.exp(-z * z + 0.5 * (cof[0] + ty * d) - dd)
    return np.where(x < 0, 2 - v, v)


def normal_cdf(x):
    return 0.5 * _erfc(-np.asarray(x, dtype=float) / math.sqrt(2))


def _logistic(v):
    v = np.asarray(v, dtype=float)
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1 / (1 + e), e / (1 + e))


class Model(object):
    """What every model file holds: ``kind``, ``kernel`` (spec text), ``feature_names``, ``target_name``,
    ``n_features_in_``; ``predict(X)``."""

    def __init__(self, archive, features):
        self.kind = archive.root.get("kind")
        self.file = archive.name
        self.feature_names = list(archive.root.get("feature_names", []))
        self.target_name = archive.root.get("target_name")
        self.n_features_in_ = features
        self.kernel = archive.root.get("kernel")

    def _inputs(self, x):
        x = np.asarray(x, dtype=float)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != self.n_features_in_:
            raise Kernels4jError("the model was trained on %d features, got %s" % (
                self.n_features_in_, x.shape[1] if x.ndim == 2 else "an array of shape %s" % (x.shape,)))
        if not np.all(np.isfinite(x)):
            raise Kernels4jError("input data holds a non-finite value")
        return x

    def __repr__(self):
        return "kernels4j %s model (%s) from %s" % (self.kind, self.kernel, self.file)


def _squeeze(a):
    return a[:, 0] if a.shape[1] == 1 else a


def _kernel(archive, field="kernel"):
    text = archive.field(field)
    if not isinstance(text, str):
        raise bad(archive.name, "field '%s' must be text" % field)
    try:
        return _spec.parse(text)
    except UnsupportedError as e:
        raise UnsupportedError("model file %s: %s" % (archive.name, e))
    except Kernels4jError as e:
        raise bad(archive.name, "%s: %s" % (field, e))


class KernelRidge(Model):
    """``krr`` (KernelRidgeModel; also the mean of a Nystrom fit over its centres): K(X, X_train) alpha + b."""

    def __init__(self, a):
        self.kernel_ = _kernel(a)
        self.train_x = a.array("train_x")
        self.dual_coef = a.array("dual_coef", self.train_x.shape[0])
        self.intercept = a.array("intercept", 1, self.dual_coef.shape[1])[0]
        Model.__init__(self, a, self.train_x.shape[1])

    def predict(self, x):
        x = self._inputs(x)
        return _squeeze(self.kernel_.cross(x, self.train_x) @ self.dual_coef + self.intercept)


class GaussianProcess(Model):
    """``gp`` (GaussianProcessModel): mean K(x, X) beta + shift; variance (k(x, x) - |L^-1 K(X, x)|^2) scale^2,
    L the stored Cholesky factor of K + noise I. The variance includes a white-noise term of the kernel."""

    def __init__(self, a):
        self.kernel_ = _kernel(a)
        self.train_x = a.array("train_x")
        n = self.train_x.shape[0]
        self.beta = a.array("dual_coef", n)
        k = self.beta.shape[1]
        self.shift = a.array("intercept", 1, k)[0]
        self.scale = a.array("target_scale", 1, k)[0]
        if not np.all(self.scale > 0):
            raise bad(a.name, "array 'target_scale' must hold positive numbers")
        if not a.has_array("cholesky"):
            raise UnsupportedError("model file %s: a gp file without its Cholesky factor (written by an old "
                                   "kernels4j) is not supported by the Python reader" % a.name)
        self.lower = a.array("cholesky", n, n)
        diagonal = np.diag(self.lower)
        if not np.all(np.isfinite(diagonal) & (diagonal > 0)):
            raise bad(a.name, "array 'cholesky' is not a Cholesky factor: its diagonal must be positive and finite")
        jitter = a.number("jitter", 0.0)
        if not (jitter >= 0 and math.isfinite(jitter)):
            raise bad(a.name, "field 'jitter' must be a non-negative finite number, got %r" % jitter)
        Model.__init__(self, a, self.train_x.shape[1])

    def predict(self, x, return_std=False):
        """The predictive mean; with ``return_std`` also the standard deviation (mean, std)."""
        x = self._inputs(x)
        mean = self.kernel_.cross(x, self.train_x) @ (self.beta / self.scale) * self.scale + self.shift
        if not return_std:
            return _squeeze(mean)
        return _squeeze(mean), _squeeze(np.sqrt(self.predict_variance(x)))

    def predict_variance(self, x):
        """Predictive variance per output, m x k (Java's predictiveVariance)."""
        x = self._inputs(x)
        v = _solve_lower(self.lower, self.kernel_.cross(self.train_x, x))
        f = np.maximum(self.kernel_.diag(x) - np.einsum("ij,ij->j", v, v), 0.0)
        return f[:, None] * (self.scale ** 2)[None, :]


class SparseGaussianProcess(Model):
    """``sgpr`` (SparseGaussianProcessModel): mean K_s(x, Z) beta scale + shift; variance
    (k_s(x, x) - K_s(x, Z) S K_s(Z, x)) scale^2 + noise scale^2, with the kernel split into its signal
    k_s and its top-level white noise."""

    def __init__(self, a):
        self.kernel_ = _kernel(a)
        terms = self.kernel_.terms if isinstance(self.kernel_, Sum) else [self.kernel_]
        signal = [t for t in terms if not isinstance(t, White)]
        self.noise = sum(t.noise for t in terms if isinstance(t, White))
        if not signal or not self.noise > 0:
            raise bad(a.name, "field 'kernel': a sparse GP needs a signal kernel and white noise, got " + self.kernel)
        self.signal = signal[0] if len(signal) == 1 else Sum(signal)
        self.inducing = a.array("inducing")
        m = self.inducing.shape[0]
        self.beta = a.array("beta", m)
        k = self.beta.shape[1]
        self.cov = a.array("variance_matrix", m, m)
        self.shift = a.array("intercept", 1, k)[0]
        self.scale = a.array("target_scale", 1, k)[0]
        Model.__init__(self, a, self.inducing.shape[1])

    def predict(self, x, return_std=False):
        x = self._inputs(x)
        mean = self.signal.cross(x, self.inducing) @ (self.beta * self.scale) + self.shift
        if not return_std:
            return _squeeze(mean)
        return _squeeze(mean), _squeeze(np.sqrt(self.predict_variance(x)))

    def predict_variance(self, x):
        x = self._inputs(x)
        kz = self.signal.cross(x, self.inducing)
        q = np.einsum("ij,ij->i", kz @ self.cov, kz)
        f = np.maximum(self.signal.diag(x) - q, 0.0)
        return f[:, None] * (self.scale ** 2)[None, :] + self.noise * (self.scale ** 2)[None, :]


class Classifier(Model):
    """Class labels: ``classes_`` (the class names when the file has them, else the numeric labels)."""

    def _labels(self, a, codes):
        self.class_codes_ = np.asarray(codes, dtype=float)
        names = a.root.get("class_names")
        if names is not None:
            self.classes_ = np.array([names[int(c)] for c in self.class_codes_], dtype=object)
        else:
            self.classes_ = self.class_codes_.copy()

    def predict(self, x):
        p = self.predict_proba(x)
        return self.classes_[np.argmax(p, axis=1)]  # the first largest: ties go to the smaller label


class GaussianProcessClassifier(Classifier):
    """``gpc`` (GaussianProcessClassifierModel): per binary problem the latent mean K(x, X) grad and variance
    k(x, x) - |L^-1 W^1/2 K(X, x)|^2, then p = E[sigmoid(f)] (quadrature), its probit approximation, or
    Phi(mu/sqrt(1 + v)) for the probit likelihood; more than two classes: one-vs-rest, normalized."""

    FORMAT = 2  # GaussianProcessClassifierCodec's layout version (field gpc_format; absent: 1)

    def __init__(self, a):
        fmt = a.number("gpc_format", 1)
        if fmt < 1 or fmt != int(fmt):
            raise bad(a.name, "field 'gpc_format' must be a whole number >= 1, got %r" % fmt)
        if fmt > self.FORMAT:
            raise bad(a.name, "field 'gpc_format' is %d, newer than this reader reads (up to %d)" % (fmt, self.FORMAT))
        if a.field("multi_class", "ovr") != "ovr":
            raise UnsupportedError("model file %s: a gpc with multi_class '%s' is not supported by the Python reader "
                                   "(softmax: C coupled latent GPs, Monte-Carlo class probabilities); one-vs-rest "
                                   "gpc files are" % (a.name, a.field("multi_class")))
        self.kernel_ = _kernel(a)
        classes = a.require("classes")
        if len(classes) < 2:
            raise bad(a.name, "field 'classes' must list at least two classes")
        p = 1 if len(classes) == 2 else len(classes)
        self.train_x = a.array("train_x")
        n = self.train_x.shape[0]
        self.gradient = a.array("gradient", n, p)
        self.sqrt_w = a.array("sqrt_w", n, p)
        self.lower = a.array("lower", p * n, n)
        self.likelihood = a.field("likelihood", "logit")
        if self.likelihood not in ("logit", "probit"):
            raise bad(a.name, "field 'likelihood' must be logit or probit, got %s" % self.likelihood)
        self.approximate = bool(a.field("approximate_probabilities", False))
        self._labels(a, classes)
        Model.__init__(self, a, self.train_x.shape[1])

    def latent(self, x, problem=0):
        """Latent mean (column 0) and variance (column 1) of binary problem ``problem``, m x 2."""
        x = self._inputs(x)
        n = self.train_x.shape[0]
        ks = self.kernel_.cross(self.train_x, x)
        v = _solve_lower(self.lower[problem * n:(problem + 1) * n], self.sqrt_w[:, problem:problem + 1] * ks)
        mean = ks.T @ self.gradient[:, problem]
        var = np.maximum(self.kernel_.diag(x) - np.einsum("ij,ij->j", v, v), 0.0)
        return np.column_stack([mean, var])

    def _binary(self, mean, var):
        if self.likelihood == "probit":
            return normal_cdf(mean / np.sqrt(1 + var))
        if self.approximate:
            return _logistic(mean / np.sqrt(1 + math.pi * var / 8))
        return expected_sigmoid(mean, var)

    def predict_proba(self, x):
        c = len(self.class_codes_)
        if c == 2:
            lat = self.latent(x, 0)
            p1 = self._binary(lat[:, 0], lat[:, 1])
            return np.column_stack([1 - p1, p1])
        p = np.column_stack([self._binary(*self.latent(x, k).T) for k in range(c)])
        return p / p.sum(axis=1, keepdims=True)


def _gauss_hermite(n):
    """Nodes and weights for the integral of exp(-x^2) g(x), by Newton's method on the orthonormal Hermite
    recurrence from Numerical Recipes' first guesses, as GaussianProcessClassifierIntegral.gaussHermite."""
    x = np.zeros(n)
    w = np.zeros(n)
    pim4 = math.pi ** -0.25
    z = 0.0
    for i in range((n + 1) // 2):
        if i == 0:
            z = math.sqrt(2.0 * n + 1) - 1.85575 * (2.0 * n + 1) ** -0.16667
        elif i == 1:
            z -= 1.14 * n ** 0.426 / z
        elif i == 2:
            z = 1.86 * z - 0.86 * x[0]
        elif i == 3:
            z = 1.91 * z - 0.91 * x[1]
        else:
            z = 2.0 * z - x[i - 2]
        pp = 0.0
        for it in range(100):
            p1, p2 = pim4, 0.0
            for j in range(n):
                p3 = p2
                p2 = p1
                p1 = z * math.sqrt(2.0 / (j + 1)) * p2 - math.sqrt(j / (j + 1.0)) * p3
            pp = math.sqrt(2.0 * n) * p2
            z1 = z
            z = z1 - p1 / pp
            if abs(z - z1) <= 1e-15 * max(1, abs(z)) and it > 0:
                break
        x[i] = z
        x[n - 1 - i] = -z
        w[i] = 2.0 / (pp * pp)
        w[n - 1 - i] = w[i]
    return x, w


def _gauss_legendre(n):
    x = np.zeros(n)
    w = np.zeros(n)
    for i in range((n + 1) // 2):
        z = math.cos(math.pi * (i + 0.75) / (n + 0.5))
        pp = 0.0
        for it in range(100):
            p1, p2 = 1.0, 0.0
            for j in range(n):
                p3 = p2
                p2 = p1
                p1 = ((2.0 * j + 1) * z * p2 - j * p3) / (j + 1)
            pp = n * (z * p1 - p2) / (z * z - 1)
            z1 = z
            z = z1 - p1 / pp
            if abs(z - z1) <= 1e-16 and it > 0:
                break
        x[i] = -z
        x[n - 1 - i] = z
        w[i] = 2 / ((1 - z * z) * pp * pp)
        w[n - 1 - i] = w[i]
    return x, w


_RULES = {}


def _rules():
    if not _RULES:
        t, w = _gauss_hermite(64)
        _RULES["ht"] = t * math.sqrt(2)
        _RULES["hw"] = w / math.sqrt(math.pi)
        lx, lw = _gauss_legendre(20)
        _RULES["lx"], _RULES["lw"] = lx, lw
        u = np.concatenate([2.0 * (p + 0.5 * (1 + lx)) for p in range(20)])
        _RULES["bu"] = u
        _RULES["bw"] = np.concatenate([0.5 * 2.0 * lw for _ in range(20)]) * (np.exp(-u) / (1 + np.exp(-u)))
    return _RULES


def expected_sigmoid(mean, var):
    """E[sigmoid(f)], f ~ N(mean, var), as Java's GaussianProcessClassifierIntegral.expectedSigmoid: 64-point
    Gauss-Hermite for sd <= 1.5, else Phi(m/s) plus the remainder by 20-point Gauss-Legendre panels."""
    r = _rules()
    mean = np.asarray(mean, dtype=float)
    var = np.asarray(var, dtype=float)
    out = np.empty_like(mean)
    for i in range(mean.size):
        mu, v = float(mean.flat[i]), float(var.flat[i])
        if not v > 0:
            out.flat[i] = float(_logistic(mu))
            continue
        m = -abs(mu)
        s = math.sqrt(v)
        if s <= 1.5:
            q = float(np.sum(r["hw"] * _logistic(m + s * r["ht"])))
        else:
            a = -m
            c = 1 / (s * math.sqrt(2 * math.pi))
            u = r["bu"]
            total = float(np.sum(r["bw"] * (np.exp(-(u - a) ** 2 / (2 * v)) * -np.expm1(-2 * u * a / v))))
            end = min(760.0, a - v + 12 * s)
            lo = 40.0
            while lo < end:
                for k in range(20):
                    uu = lo + 0.5 * 2.0 * (1 + r["lx"][k])
                    e = math.exp(-uu)
                    total += 0.5 * 2.0 * r["lw"][k] * (e / (1 + e)) * (
                        math.exp(-(uu - a) ** 2 / (2 * v)) * -math.expm1(-2 * uu * a / v))
                lo += 2.0
            q = float(normal_cdf(m / s)) + c * total
        out.flat[i] = 1 - q if mu > 0 else q
    return out


class SparseVariationalGP(Classifier):
    """``svgp`` (SparseVariationalGaussianProcessModel): whitened q(v) = N(mu, S) with S^-1 = R R^T over inducing
    inputs Z; L L^T = K(Z, Z) + eps I, eps = jitter * mean diag K(Z, Z); with a = L^-1 K(Z, x) the latent mean is
    a^T mu and the variance k(x, x) - |a|^2 + |R^-1 a|^2 (clipped at 0). Probit: p(y=1) = Phi(mean/sqrt(1 + var));
    logit: the expected sigmoid (y = 1 is the second of field 'classes', 0 and 1 when absent); Poisson predicts the rate exp(mean + var/2); Gaussian and Student-t the mean."""

    def __init__(self, a):
        self.kernel_ = _kernel(a)
        spec = a.require("likelihood")
        if not isinstance(spec, str):
            raise bad(a.name, "field 'likelihood' must be text")
        self.likelihood = spec.split("(")[0].strip()
        if self.likelihood not in ("probit", "logit", "poisson", "gaussian", "student-t"):
            raise bad(a.name, "field 'likelihood' '%s' is not one of probit, logit, poisson, gaussian(...), "
                      "student-t(...)" % spec)
        self.z = a.array("inducing")
        m = self.z.shape[0]
        self.mean = a.array("q_mean", m, 1)[:, 0]
        self.r = a.array("precision_factor", m, m)
        if np.any(np.triu(self.r, 1) != 0) or not np.all(np.diag(self.r) > 0):
            raise bad(a.name, "array 'precision_factor' is not lower triangular with a positive diagonal")
        jitter = a.number("jitter")
        if not jitter >= 0:
            raise bad(a.name, "field 'jitter' must be >= 0")
        kzz = self.kernel_.cross(self.z, self.z)
        eps = jitter * float(np.mean(self.kernel_.diag(self.z)))
        try:
            self.lower = np.linalg.cholesky(kzz + eps * np.eye(m))
        except np.linalg.LinAlgError:
            raise bad(a.name, "the inducing kernel matrix K(Z, Z) + jitter is not positive definite")
        if self.likelihood in ("probit", "logit"):
            classes = a.field("classes", [0.0, 1.0])  # absent in files written before the field: 0 and 1
            if (not isinstance(classes, list) or len(classes) != 2
                    or not all(isinstance(c, (int, float)) and math.isfinite(c) for c in classes)
                    or not classes[1] > classes[0]):
                raise bad(a.name, "field 'classes' must list two finite numbers, ascending")
            self._labels(a, classes)
        elif a.field("classes", None) is not None:
            raise bad(a.name, "field 'classes' is only valid for the probit and logit likelihoods")
        Model.__init__(self, a, self.z.shape[1])

    def latent(self, x):
        """Latent mean and variance of f(x) under q, each (m,)."""
        x = self._inputs(x)
        a = _solve_lower(self.lower, self.kernel_.cross(self.z, x))
        c = _solve_lower(self.r, a)
        var = self.kernel_.diag(x) + np.einsum("ij,ij->j", c, c) - np.einsum("ij,ij->j", a, a)
        return a.T @ self.mean, np.maximum(var, 0.0)

    def predict_proba(self, x):
        if self.likelihood not in ("probit", "logit"):
            raise UnsupportedError("class probabilities need a probit or logit likelihood; this model has " +
                                   self.likelihood)
        mean, var = self.latent(x)
        p1 = normal_cdf(mean / np.sqrt(1 + var)) if self.likelihood == "probit" else expected_sigmoid(mean, var)
        return np.column_stack([1 - p1, p1])

    def predict(self, x):
        if self.likelihood in ("probit", "logit"):
            return Classifier.predict(self, x)
        mean, var = self.latent(x)
        return np.exp(mean + 0.5 * var) if self.likelihood == "poisson" else mean


class SupportVectorMachine(Classifier):
    """``svm`` (SvmModel): decision values f_p(x) = K(x, SV) coef_p - rho_p; labels by sign (two classes),
    one-vs-one voting or one-vs-rest argmax; probabilities by Platt's sigmoids, then pairwise coupling
    (Wu, Lin & Weng, method 2) or normalization. ``epsilon_svr`` predicts f; ``one_class`` +-1."""

    def __init__(self, a):
        self.type = a.require("type")
        if self.type not in ("c_svc", "epsilon_svr", "one_class", "nu_svc", "nu_svr"):
            raise bad(a.name, "field 'type' '%s' is not one of c_svc, epsilon_svr, one_class, nu_svc, nu_svr"
                      % self.type)
        # nu-SVC and nu-SVR files predict exactly as C-SVC and epsilon-SVR ones: nu only shaped the training
        self.type = {"nu_svc": "c_svc", "nu_svr": "epsilon_svr"}.get(self.type, self.type)
        self.precomputed = a.field("kernel") == "precomputed"
        self.kernel_ = None if self.precomputed else _kernel(a)
        self.training_rows = int(a.number("training_rows"))
        idx = a.array("support_indices", -1, 1)[:, 0]
        if np.any(idx != np.rint(idx)) or np.any(idx < 0) or np.any(idx >= self.training_rows):
            raise bad(a.name, "a support index is not a row number below %d" % self.training_rows)
        self.support_indices = idx.astype(int)
        self.coef = a.array("coefficients", len(idx))
        self.rho = a.array("rho", 1, self.coef.shape[1])[0]
        self.sv = None if self.precomputed else a.array("support_vectors", len(idx))
        self.sigmoid = a.array("sigmoid", self.coef.shape[1], 2) if a.has_array("sigmoid") else None
        self.multiclass = a.field("multiclass")
        if self.type == "c_svc":
            self._labels(a, a.require("classes"))
        features = self.training_rows if self.precomputed else self.sv.shape[1]
        Model.__init__(self, a, features)

    def decision_function(self, x):
        """Decision values, (m,) for one function, else m x P (pairs (i, j), i < j, in LIBSVM's order)."""
        return _squeeze(self._decisions(x))

    def _decisions(self, x):
        x = self._inputs(x)
        if len(self.support_indices) == 0:
            f = np.zeros((x.shape[0], len(self.rho)))
        elif self.precomputed:
            f = x[:, self.support_indices] @ self.coef
        else:
            f = self.kernel_.cross(x, self.sv) @ self.coef
        return f - self.rho

    def predict(self, x):
        f = self._decisions(x)
        if self.type == "epsilon_svr":
            return f[:, 0]
        if self.type == "one_class":
            return np.where(f[:, 0] > 0, 1.0, -1.0)
        k = len(self.class_codes_)
        if k == 2:
            return self.classes_[np.where(f[:, 0] > 0, 0, 1)]
        if self.multiclass == "one_vs_rest":
            return self.classes_[np.argmax(f, axis=1)]
        votes = np.zeros((f.shape[0], k), dtype=int)
        p = 0
        rows = np.arange(f.shape[0])
        for i in range(k):
            for j in range(i + 1, k):
                np.add.at(votes, (rows, np.where(f[:, p] > 0, i, j)), 1)
                p += 1
        return self.classes_[np.argmax(votes, axis=1)]

    def predict_proba(self, x):
        if self.type != "c_svc":
            raise Kernels4jError("probabilities need a classifier; this is a %s model" % self.type.upper())
        if self.sigmoid is None:
            raise Kernels4jError("this SVM was trained without probability estimates (train with probability on)")
        f = self._decisions(x)
        k = len(self.class_codes_)
        a, b = self.sigmoid[:, 0], self.sigmoid[:, 1]
        r = _platt(f, a[None, :], b[None, :])
        if k == 2:
            return np.column_stack([r[:, 0], 1 - r[:, 0]])
        if self.multiclass == "one_vs_rest":
            return r / r.sum(axis=1, keepdims=True)
        out = np.empty((f.shape[0], k))
        for row in range(f.shape[0]):
            pair = np.zeros((k, k))
            p = 0
            for i in range(k):
                for j in range(i + 1, k):
                    pair[i, j] = r[row, p]
                    pair[j, i] = 1 - pair[i, j]
                    p += 1
            out[row] = _couple(pair)
        return out


class OnlineKernel(Classifier):
    """``online-kernel`` (OnlineKernelModel: NORMA, the kernel perceptron): f(x) = K(x, buffer) alpha + b, or
    K(x, buffer) alpha - rho for novelty detection; classifiers predict the first class where f > 0, else the second;
    regression predicts f; novelty detection +-1."""

    TYPES = ("classification", "regression", "novelty", "perceptron")

    def __init__(self, a):
        self.type = a.require("type")
        if self.type not in self.TYPES:
            raise bad(a.name, "field 'type' '%s' is not one of %s" % (self.type, ", ".join(self.TYPES)))
        self.kernel_ = _kernel(a)
        features = int(a.number("features"))
        self.buffer = a.array("buffer", -1, features)
        self.coef = a.array("coefficients", self.buffer.shape[0], 1)[:, 0]
        self.shift = -a.number("margin") if self.type == "novelty" else a.number("offset")
        self.classifier = self.type in ("classification", "perceptron")
        if self.classifier and a.field("classes") is not None:
            self._labels(a, a.require("classes"))
        Model.__init__(self, a, features)

    def decision_function(self, x):
        x = self._inputs(x)
        if self.buffer.shape[0] == 0:
            return np.full(x.shape[0], self.shift)
        return self.kernel_.cross(x, self.buffer) @ self.coef + self.shift

    def predict(self, x):
        f = self.decision_function(x)
        if self.type == "regression":
            return f
        if self.classifier and hasattr(self, "classes_"):
            return np.where(f > 0, self.classes_[0], self.classes_[1])
        return np.where(f > 0, 1.0, -1.0)


def _platt(f, a, b):
    """Probabilities.sigmoid: 1/(1 + exp(f A + B)), clipped to [1e-7, 1 - 1e-7]."""
    z = f * a + b
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, e / (1 + e), 1 / (1 + e))
    return np.clip(p, 1e-7, 1 - 1e-7)


def _couple(r):
    """Pairwise coupling (Probabilities.couple): the (k+1)x(k+1) KKT system by the same Gaussian elimination."""
    k = r.shape[0]
    a = np.zeros((k + 1, k + 2))
    for t in range(k):
        for j in range(k):
            if j == t:
                continue
            a[t, t] += r[j, t] * r[j, t]
            a[t, j] = -r[j, t] * r[t, j]
        a[t, k] = 1
        a[k, t] = 1
    a[k, k + 1] = 1
    n = k + 1
    for c in range(n):
        piv = c + int(np.argmax(np.abs(a[c:n, c])))
        if piv != c:
            a[[c, piv]] = a[[piv, c]]
        for row in range(c + 1, n):
            m = a[row, c] / a[c, c]
            a[row, c:] -= m * a[c, c:]
    x = np.zeros(n)
    for row in range(n - 1, -1, -1):
        x[row] = (a[row, n] - a[row, row + 1:n] @ x[row + 1:n]) / a[row, row]
    p = np.maximum(x[:k], 0)
    return p / p.sum()


class KernelDensity(Model):
    """``kde`` (KernelDensity): log f(q) = log sum_i w_i k(|L^-1 (q - x_i)|) - log c_d - log|H|/2 - log W,
    H = L L^T the bandwidth matrix; profiles gaussian, tophat, epanechnikov, exponential, linear, cosine."""

    PROFILES = ("gaussian", "tophat", "epanechnikov", "exponential", "linear", "cosine")

    def __init__(self, a):
        self.profile = str(a.require("kernel")).strip().lower()
        if self.profile not in self.PROFILES:
            raise bad(a.name, "field 'kernel': unknown density kernel '%s'" % self.profile)
        self.points = a.array("points")
        n, d = self.points.shape
        self.weights = a.array("weights", n, 1)[:, 0]
        h = a.array("bandwidth", d, d)
        try:
            self.lower = np.linalg.cholesky(h)
        except np.linalg.LinAlgError:
            raise bad(a.name, "the bandwidth matrix H is not positive definite")
        self.whitened = _solve_lower(self.lower, self.points.T).T
        self.log_norm = self._log_normalizer(d) + np.sum(np.log(np.diag(self.lower))) + math.log(self.weights.sum())
        Model.__init__(self, a, d)

    def _log_normalizer(self, d):
        log_s = math.log(2) + 0.5 * d * math.log(math.pi) - math.lgamma(d / 2.0)
        log_v = log_s - math.log(d)
        p = self.profile
        if p == "gaussian":
            return 0.5 * d * math.log(2 * math.pi)
        if p == "tophat":
            return log_v
        if p == "epanechnikov":
            return log_v + math.log(2.0 / (d + 2))
        if p == "exponential":
            return log_s + math.lgamma(d)
        if p == "linear":
            return log_v - math.log(d + 1)
        nodes, w = np.polynomial.legendre.leggauss(64)
        r = 0.5 * (nodes + 1)
        return log_s + math.log(float(np.sum(0.5 * w * np.cos(0.5 * math.pi * r) * r ** (d - 1))))

    def _log_profile(self, r2):
        p = self.profile
        with np.errstate(divide="ignore"):
            if p == "gaussian":
                return -0.5 * r2
            if p == "exponential":
                return -np.sqrt(r2)
            inside = r2 < 1
            if p == "tophat":
                v = np.zeros_like(r2)
            elif p == "epanechnikov":
                v = np.log1p(-np.where(inside, r2, 0))
            elif p == "linear":
                v = np.log1p(-np.sqrt(np.where(inside, r2, 0)))
            else:
                v = np.log(np.cos(0.5 * math.pi * np.sqrt(np.where(inside, r2, 0))))
            return np.where(inside, v, -np.inf)

    def score_samples(self, x):
        """log f(q) for each row (-inf where the density is zero), as scikit-learn's score_samples."""
        x = self._inputs(x)
        q = _solve_lower(self.lower, x.T).T
        with np.errstate(divide="ignore"):
            log_w = np.log(self.weights)
        out = np.empty(x.shape[0])
        step = max(1, (1 << 22) // max(1, self.whitened.size))
        for s in range(0, x.shape[0], step):
            diff = q[s:s + step, None, :] - self.whitened[None, :, :]
            v = self._log_profile(np.einsum("ijk,ijk->ij", diff, diff)) + log_w[None, :]
            mx = np.max(v, axis=1)
            safe = np.where(np.isfinite(mx), mx, 0.0)
            with np.errstate(divide="ignore"):
                out[s:s + step] = np.where(np.isfinite(mx), safe + np.log(np.sum(np.exp(v - safe[:, None]), axis=1)),
                                           -np.inf)
        return out - self.log_norm

    def predict(self, x):
        return self.score_samples(x)


class Calibrated(Classifier):
    """``calibrated`` (CalibratedClassifierModel): the embedded base classifier's scores (decision values,
    one-vs-one votes with squashed margins, or probabilities), then a sigmoid or isotonic calibrator each."""

    def __init__(self, a):
        from .archive import Archive
        base_root = a.field("base")
        if not isinstance(base_root, dict) or "kind" not in base_root:
            raise bad(a.name, "field 'base.kind' is missing")
        base_root = dict(base_root)
        for key in ("feature_names", "class_names", "target_name"):
            if key in a.root:
                base_root[key] = a.root[key]
        arrays = {k[5:]: v for k, v in a.arrays.items() if k.startswith("base.")}
        base_kind = base_root["kind"]
        self.base = build(Archive(a.name, base_root, arrays), base_kind, "base model of kind '%s'" % base_kind)
        if not isinstance(self.base, (SupportVectorMachine, GaussianProcessClassifier, Calibrated)) or \
                getattr(self.base, "type", "c_svc") != "c_svc":
            raise UnsupportedError("model file %s: a calibrated model whose base is of kind '%s' is not supported by "
                                   "the Python reader" % (a.name, base_kind))
        classes = a.require("classes")
        self.scores = a.require("scores")
        self.orientation = a.number("orientation")
        self.method = a.require("method")
        k = 1 if len(classes) == 2 else len(classes)
        if self.method == "sigmoid":
            sa, sb = a.require("sigmoid_a"), a.require("sigmoid_b")
            if len(sa) != k or len(sb) != k:
                raise bad(a.name, "fields 'sigmoid_a' and 'sigmoid_b' must list %d numbers" % k)
            self.calibrators = [("sigmoid", float(sa[i]), float(sb[i])) for i in range(k)]
        elif self.method == "isotonic":
            self.calibrators = [("isotonic",) + tuple(a.array("isotonic_%d" % i, 2)) for i in range(k)]
        else:
            raise bad(a.name, "field 'method' must be sigmoid or isotonic, got %s" % self.method)
        self._labels(a, classes)
        Model.__init__(self, a, self.base.n_features_in_)

    def _scores(self, x):
        c = len(self.class_codes_)
        if self.scores == "decision":
            f = self.base._decisions(x)
            if c == 2 and f.shape[1] == 1:
                return f
            s = f
        elif self.scores == "decision_one_vs_one":
            f = self.base._decisions(x)
            votes = np.zeros((f.shape[0], c))
            margin = np.zeros((f.shape[0], c))
            p = 0
            for i in range(c):
                for j in range(i + 1, c):
                    v = f[:, p]
                    votes[:, i] += v > 0
                    votes[:, j] += ~(v > 0)
                    margin[:, i] += v
                    margin[:, j] -= v
                    p += 1
            s = votes + margin / (3 * (np.abs(margin) + 1))
        elif self.scores == "probability":
            s = self.base.predict_proba(x)
        else:
            raise UnsupportedError("calibrated scores '%s' are not supported by the Python reader" % self.scores)
        if c > 2:
            return s
        return (s[:, 1] if self.scores == "probability" else s[:, 1] - s[:, 0])[:, None]

    @staticmethod
    def _calibrate(cal, s):
        if cal[0] == "sigmoid":
            z = cal[1] * s + cal[2]
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
        return np.interp(s, cal[1], cal[2])

    def predict_proba(self, x):
        s = self._scores(x)
        c = len(self.class_codes_)
        if c == 2:
            p1 = self._calibrate(self.calibrators[0], self.orientation * s[:, 0])
            return np.column_stack([1 - p1, p1])
        p = np.column_stack([self._calibrate(self.calibrators[k], s[:, k]) for k in range(c)])
        total = p.sum(axis=1, keepdims=True)
        return np.where(total > 0, p / np.where(total > 0, total, 1), 1.0 / c)

    def _decisions(self, x):
        raise UnsupportedError("a calibrated model has no decision values")


class KernelPca(Model):
    """``kpca`` (KernelPcaModel): t(x) = k~(x) A - o with k~(x)_i = k(x, b_i) - mean_l k(x, b_l) - rbar_i + gbar
    for kernel-centred models (k(x, b_i) for Nystrom); ``inverse_transform`` by the learned pre-image map."""

    def __init__(self, a):
        self.precomputed = bool(a.field("options.precomputed", False))
        self.coef = a.array("coefficients")
        p, k = self.coef.shape
        self.kernel_ = None if self.precomputed else _kernel(a)
        self.basis = None if self.precomputed else a.array("basis", p)
        self.offset = a.array("offset", 1, k)[0]
        self.eigenvalues = a.array("eigenvalues", 1, k)[0]
        self.row_means = a.array("kernel_row_means", 1, p)[0] if a.has_array("kernel_row_means") else None
        self.grand_mean = a.number("options.grand_mean")
        self.projections = a.array("training_projections", -1, k)
        self.inverse_kernel = _kernel(a, "inverse_kernel") if a.field("inverse_kernel") is not None else None
        if self.inverse_kernel is not None:
            self.inverse_dual = a.array("inverse_dual_coef", self.projections.shape[0])
        Model.__init__(self, a, p if self.precomputed else self.basis.shape[1])

    def transform(self, x):
        """The projections onto the k components, m x k (for a precomputed model x holds kernel rows)."""
        x = self._inputs(x)
        kx = x if self.precomputed else self.kernel_.cross(x, self.basis)
        t = kx @ self.coef
        if self.row_means is not None:
            # mean_l k(x, b_l) as Java computes it: one more product column of 1/p
            row_mean = kx @ np.full(self.coef.shape[0], 1.0 / self.coef.shape[0])
            t = t + (self.grand_mean - row_mean)[:, None] * self.coef.sum(axis=0)[None, :] - self.row_means @ self.coef
        return t - self.offset

    def predict(self, x):
        return self.transform(x)

    def inverse_transform(self, z):
        """Pre-images x^(z) = K_z(z, Z) B of projections z (m x k); only for a model fitted with an inverse map."""
        if self.inverse_kernel is None:
            raise Kernels4jError("this kernel PCA model has no inverse map: fit it with fitInverseTransform")
        z = np.asarray(z, dtype=float)
        if z.ndim != 2 or z.shape[1] != len(self.eigenvalues):
            raise Kernels4jError("the model has %d components but the projections have shape %s" % (
                len(self.eigenvalues), z.shape))
        return self.inverse_kernel.cross(z, self.projections) @ self.inverse_dual


class NtkPredictor(Model):
    """``ntk`` (NtkPredictorModel): the mean of an infinite ensemble of wide networks trained by gradient flow
    for time t (t = inf included): Theta(x, X) V diag(g) V^T Y with Theta = V diag(lambda) V^T the stored NTK
    eigendecomposition and g_i = (1 - exp(-lambda_i eta t/(n k)))/lambda_i; the variance from the NNGP."""

    def __init__(self, a):
        kernel = _kernel(a)
        if not isinstance(kernel, Neural):
            raise bad(a.name, "field 'kernel' must be an nngp or ntk kernel, got %s" % self.kernel)
        self.ntk = Neural(True, kernel.depth, kernel.act, kernel.w_var, kernel.b_var, kernel.standard, kernel.width)
        self.nngp = Neural(False, kernel.depth, kernel.act, kernel.w_var, kernel.b_var, False, 0)
        self.learning_rate = a.number("options.learning_rate")
        self.time = a.number("options.time") if a.field("options.time") is not None else math.inf
        self.train_x = a.array("train_x")
        n = self.train_x.shape[0]
        self.train_y = a.array("train_y", n)
        self.k_train = a.array("nngp_train", n, n)
        self.eigenvalues = a.array("ntk_eigenvalues", 1, n)[0]
        self.eigenvectors = a.array("ntk_eigenvectors", n, n)
        Model.__init__(self, a, self.train_x.shape[1])

    def _weights(self, x, t):
        n = self.train_x.shape[0]
        lam = np.maximum(self.eigenvalues, 0)
        if math.isinf(t):
            big = lam > 1e-12 * abs(self.eigenvalues[n - 1])
            g = np.where(big, 1 / np.where(big, lam, 1), 0.0)
        else:
            rate = self.learning_rate * t / (n * self.train_y.shape[1])
            small = lam * rate < 1e-8
            g = np.where(small, rate * (1 - lam * rate / 2), -np.expm1(-lam * rate) / np.where(lam > 0, lam, 1))
        b = self.ntk.cross(x, self.train_x) @ self.eigenvectors
        return (b * g[None, :]) @ self.eigenvectors.T

    def predict(self, x, time=None, return_std=False):
        """The ensemble mean at the file's time (or ``time``); with ``return_std`` also its standard deviation."""
        x = self._inputs(x)
        t = self.time if time is None else float(time)
        a = self._weights(x, t)
        mean = _squeeze(a @ self.train_y)
        if not return_std:
            return mean
        return mean, _squeeze(np.sqrt(self._variance(x, a)))

    def predict_variance(self, x, time=None):
        """The variance of each output (the same for every output), m x k."""
        x = self._inputs(x)
        return self._variance(x, self._weights(x, self.time if time is None else float(time)))

    def _variance(self, x, a):
        k_test = self.nngp.cross(x, self.train_x)
        ak = np.einsum("ij,ij->i", a, k_test)
        akxa = np.einsum("ij,ij->i", a @ self.k_train, a)
        v = np.maximum(self.nngp.diag(x) - 2 * ak + akxa, 0.0)
        return np.repeat(v[:, None], self.train_y.shape[1], axis=1)


KINDS = {
    "krr": KernelRidge,
    "gp": GaussianProcess,
    "sgpr": SparseGaussianProcess,
    "gpc": GaussianProcessClassifier,
    "svm": SupportVectorMachine,
    "online-kernel": OnlineKernel,
    "svgp": SparseVariationalGP,
    "kde": KernelDensity,
    "calibrated": Calibrated,
    "kpca": KernelPca,
    "ntk": NtkPredictor,
}


def build(archive, kind, what="model"):
    """The model object for a verified archive of ``kind``."""
    if kind in UNSUPPORTED_KINDS:
        raise UnsupportedError("model file %s: %s of kind '%s' (%s) is not supported by the Python reader; supported "
                               "kinds: %s" % (archive.name, what, kind, UNSUPPORTED_KINDS[kind], ", ".join(KINDS)))
    if kind not in KINDS:
        raise bad(archive.name, "unknown model kind '%s'; known: %s" % (
            kind, ", ".join(sorted(list(KINDS) + list(UNSUPPORTED_KINDS)))))
    return KINDS[kind](archive)
