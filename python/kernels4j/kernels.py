"""Kernels with a closed form, as kernels4j defines them (``org.kernels4j.kernel`` and ``kernel.neural``).

Every kernel has ``cross(X, Z)`` (the m x n matrix k(x_i, z_j) between DISTINCT samples, as Java's
``GramEngine.cross``; white noise is 0 there) and ``diag(X)`` (k(x, x) of each row with itself, as
Java's ``selfValue``; white noise adds its variance there). The formulas are those of the Java
classes named in each docstring; distance kernels use one matrix product on centred inputs for the
squared distances, as Java's ``GramBlock.squaredDistances`` does.
"""

import math

import numpy as np

from .errors import UnsupportedError

# kernels of kernels4j that have no closed form here: refused by name
REFUSED = {
    "cnngp": "convolutional NNGP (a patch-by-patch recursion not ported to the Python reader)",
    "cntk": "convolutional NTK (a patch-by-patch recursion not ported to the Python reader)",
    "zz": "quantum ZZ feature-map kernel (needs a state-vector simulation)",
    "pauli": "quantum Pauli feature-map kernel (needs a state-vector simulation)",
    "projected": "projected quantum kernel (needs a state-vector simulation)",
    "sm": "spectral mixture kernel (not ported to the Python reader yet)",
    "stm": "Student-t mixture kernel (needs a Bessel K of any order)",
}
# activations whose duals Java integrates numerically (Gauss-Hermite): refused by name
NUMERICAL_ACTIVATIONS = ("tanh", "softplus", "swish", "sigmoid", "elu")
SNAP = 2.0 ** -50  # org.kernels4j.linalg.ArcCosine.SNAP


CANCELLATION = 2.0 ** -16  # org.kernels4j.linalg.ElementOps.CANCELLATION


def _squared_distances(x, z, lengths=None):
    """||(x_i - z_j)/l||^2 by one product on inputs centred at the mean of z, clipped at 0; entries whose expansion
    |x|^2 + |z|^2 - 2<x, z> cancelled (below 2^-16 of the norms) or overflowed are summed from the differences, as
    Java's GramBlock.recomputeCancelled does (one row with a value of 1e10 makes every norm huge and the expansion
    loses the distances between the other rows)."""
    if lengths is not None:
        x = x / lengths
        z = z / lengths
    c = z.mean(axis=0) if z.shape[0] else 0.0
    xc = x - c
    zc = z - c
    with np.errstate(over="ignore", invalid="ignore"):
        nx = np.einsum("ij,ij->i", xc, xc)
        nz = np.einsum("ij,ij->i", zc, zc)
        d = nx[:, None] + nz[None, :] - 2.0 * (xc @ zc.T)
        redo = ~(d >= CANCELLATION * (nx[:, None] + nz[None, :]))  # NaN (inf - inf) included
    rows, cols = np.nonzero(redo)
    step = max(1, (1 << 22) // max(1, x.shape[1]))
    for s in range(0, rows.size, step):
        i = rows[s:s + step]
        j = cols[s:s + step]
        diff = x[i] - z[j]  # the rows as given, not centred: a centre of 1e198 would cancel the difference itself
        with np.errstate(over="ignore"):
            d[i, j] = np.einsum("ij,ij->i", diff, diff)
    return np.maximum(d, 0.0)


def _pairwise(x, z, f):
    """f(x[:, None, :], z[None, :, :]) -> m x n, in row chunks of at most ~4M elements (memory bound)."""
    rows = max(1, (1 << 22) // max(1, z.shape[0] * max(1, x.shape[1])))
    out = np.empty((x.shape[0], z.shape[0]))
    for s in range(0, x.shape[0], rows):
        out[s:s + rows] = f(x[s:s + rows, None, :], z[None, :, :])
    return out


def _check_lengths(name, lengths, d):
    if lengths is not None and len(lengths) != d:
        raise ValueError("%s has %d length scales but the data has %d features" % (name, len(lengths), d))


class Kernel(object):
    """Base class: ``cross(X, Z)`` and ``diag(X)``; ``spec`` is the text it was parsed from."""

    name = "kernel"

    def cross(self, x, z):
        raise NotImplementedError

    def diag(self, x):
        # a sample with itself: the defining formula at zero distance, one row at a time
        return np.array([self.cross(x[i:i + 1], x[i:i + 1])[0, 0] for i in range(x.shape[0])])


class Linear(Kernel):
    """``linear()``: <x, z>."""

    def cross(self, x, z):
        return x @ z.T

    def diag(self, x):
        return np.einsum("ij,ij->i", x, x)


class Polynomial(Kernel):
    """``poly(degree=3, gamma=1, coef0=1)``: (gamma <x, z> + coef0)^degree."""

    def __init__(self, degree, gamma, coef0):
        self.degree, self.gamma, self.coef0 = degree, gamma, coef0

    def cross(self, x, z):
        return (self.gamma * (x @ z.T) + self.coef0) ** self.degree

    def diag(self, x):
        return (self.gamma * np.einsum("ij,ij->i", x, x) + self.coef0) ** self.degree


class Cosine(Kernel):
    """``cosine()``: <x, z>/(|x||z|), 0 for a zero vector."""

    def cross(self, x, z):
        nx = np.sqrt(np.einsum("ij,ij->i", x, x))
        nz = np.sqrt(np.einsum("ij,ij->i", z, z))
        ix = np.where(nx == 0, 0.0, 1.0 / np.where(nx == 0, 1.0, nx))
        iz = np.where(nz == 0, 0.0, 1.0 / np.where(nz == 0, 1.0, nz))
        return (x @ z.T) * ix[:, None] * iz[None, :]

    def diag(self, x):
        return (np.einsum("ij,ij->i", x, x) > 0).astype(float)


class VonMisesFisher(Cosine):
    """``vmf(kappa=1)``: exp(kappa (<x, z>/(|x||z|) - 1)) on rows normalised to the sphere (cosine 0 for a zero row)."""

    def __init__(self, kappa):
        self.kappa = kappa

    def cross(self, x, z):
        return np.exp(self.kappa * (Cosine.cross(self, x, z) - 1.0))

    def diag(self, x):
        return np.exp(self.kappa * (Cosine.diag(self, x) - 1.0))


class Rbf(Kernel):
    """``rbf(gamma=1)`` / ``rbf(length=l)`` / ``rbf(length=[l1, ..., ld])``: exp(-gamma |x - z|^2)."""

    def __init__(self, gamma, lengths=None):
        self.gamma, self.lengths = gamma, lengths

    def cross(self, x, z):
        _check_lengths("rbf", self.lengths, x.shape[1])
        return np.exp(-self.gamma * _squared_distances(x, z, self.lengths))

    def diag(self, x):
        return np.ones(x.shape[0])


class Laplacian(Kernel):
    """``laplacian(gamma=1, norm=l2|l1)``: exp(-gamma |x - z|)."""

    def __init__(self, gamma, l1):
        self.gamma, self.l1 = gamma, l1

    def cross(self, x, z):
        if self.l1:
            dist = _pairwise(x, z, lambda a, b: np.abs(a - b).sum(axis=2))
        else:
            dist = np.sqrt(_squared_distances(x, z))
        return np.exp(-self.gamma * dist)

    def diag(self, x):
        return np.ones(x.shape[0])


class Matern(Kernel):
    """``matern(nu=1.5, length=1)``, nu in {0.5, 1.5, 2.5}, r = |x - z|/length (or per-feature lengths)."""

    def __init__(self, nu, length, lengths=None):
        self.nu, self.length, self.lengths = nu, length, lengths

    def cross(self, x, z):
        _check_lengths("matern", self.lengths, x.shape[1])
        r = np.sqrt(_squared_distances(x, z, self.lengths)) / self.length
        if self.nu == 0.5:
            return np.exp(-r)
        t = math.sqrt(3 if self.nu == 1.5 else 5) * r
        e = np.exp(-t)
        with np.errstate(over="ignore", invalid="ignore"):
            k = (1 + t) * e if self.nu == 1.5 else (1 + t + t * t / 3) * e
        return np.where(e > 0, k, 0.0)  # an overflowed distance: inf * 0 there, 0 in Java

    def diag(self, x):
        return np.ones(x.shape[0])


class RationalQuadratic(Kernel):
    """``rq(alpha=1, length=1)``: (1 + |x - z|^2/(2 alpha length^2))^(-alpha)."""

    def __init__(self, alpha, length):
        self.alpha, self.length = alpha, length

    def cross(self, x, z):
        return (1 + _squared_distances(x, z) / (2 * self.alpha * self.length ** 2)) ** (-self.alpha)

    def diag(self, x):
        return np.ones(x.shape[0])


class Periodic(Kernel):
    """``periodic(length=1, period=1)``: exp(-2 sum_f sin^2(pi (x_f - z_f)/period)/length^2)."""

    def __init__(self, length, period):
        self.length, self.period = length, period

    def cross(self, x, z):
        # sum_f sin^2(pi (x_f - z_f)/p) = (d - sum_f cos(w (x_f - z_f)))/2, w = 2 pi/p: one product
        # of (cos, sin) features, as Java's PeriodicKernel.computeBlock
        w = 2 * math.pi / self.period
        ip = np.cos(w * x) @ np.cos(w * z).T + np.sin(w * x) @ np.sin(w * z).T
        return np.exp((ip - x.shape[1]) / self.length ** 2)

    def diag(self, x):
        return np.ones(x.shape[0])


class White(Kernel):
    """``white(noise=1)``: noise for a sample with itself, 0 between distinct samples."""

    def __init__(self, noise):
        self.noise = noise

    def cross(self, x, z):
        return np.zeros((x.shape[0], z.shape[0]))

    def diag(self, x):
        return np.full(x.shape[0], self.noise)


class Constant(Kernel):
    """``constant(value=1)``: c."""

    def __init__(self, value):
        self.value = value

    def cross(self, x, z):
        return np.full((x.shape[0], z.shape[0]), float(self.value))

    def diag(self, x):
        return np.full(x.shape[0], float(self.value))


class Sigmoid(Kernel):
    """``sigmoid(gamma=1, coef0=1)``: tanh(gamma <x, z> + coef0) (not PSD)."""

    def __init__(self, gamma, coef0):
        self.gamma, self.coef0 = gamma, coef0

    def cross(self, x, z):
        return np.tanh(self.gamma * (x @ z.T) + self.coef0)

    def diag(self, x):
        return np.tanh(self.gamma * np.einsum("ij,ij->i", x, x) + self.coef0)


class Anova(Kernel):
    """``anova(sigma=1, degree=1)``: (sum_f exp(-sigma (x_f - z_f)^2))^degree."""

    def __init__(self, sigma, degree):
        self.sigma, self.degree = sigma, degree

    def cross(self, x, z):
        s = _pairwise(x, z, lambda a, b: np.exp(-self.sigma * (a - b) ** 2).sum(axis=2))
        return s if self.degree == 1 else s ** self.degree

    def diag(self, x):
        return np.full(x.shape[0], float(x.shape[1]) ** self.degree)


class Bessel(Kernel):
    """``bessel(sigma=1, order=1, degree=1)``: (Gamma(nu+1) (2/t)^nu J_nu(t))^degree, t = sigma |x - z|."""

    def __init__(self, sigma, order, degree):
        self.sigma, self.order, self.degree = sigma, order, degree

    def base(self, t):
        nu = self.order
        out = np.empty_like(t)
        small = t <= 2
        # below t = 2 the series sum_k nu!/(k!(nu+k)!) (-t^2/4)^k (no cancellation), as Java
        q = -0.25 * t[small] ** 2
        term = np.ones_like(q)
        total = np.ones_like(q)
        for k in range(1, 60):
            term = term * q / (k * (nu + k))
            total = total + term
            if term.size == 0 or np.max(np.abs(term)) < 1e-18:
                break
        out[small] = total
        tb = t[~small]
        out[~small] = float(math.factorial(nu)) * (2.0 / tb) ** nu * bessel_j(nu, tb)
        return out

    def cross(self, x, z):
        f = self.base(self.sigma * np.sqrt(_squared_distances(x, z)))
        return f if self.degree == 1 else f ** self.degree

    def diag(self, x):
        return np.ones(x.shape[0])


def bessel_j(n, x):
    """J_n(x) for integer 0 <= n <= 50 and x > 2, as Java's SpecialFunctions.besselJ: Miller's backward
    recurrence for x <= max(40, n^2), Hankel's asymptotic expansion beyond (A&S 9.2.5)."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    flat = out.reshape(-1)
    for i, xi in enumerate(x.reshape(-1)):
        flat[i] = _bessel_miller(n, xi) if xi <= max(40.0, float(n * n)) else _bessel_hankel(n, xi)
    return out


def _bessel_miller(n, x):
    top = max(n, x)
    start = 2 * (int(top + 20 + 4 * (top * top) ** (1.0 / 3.0)) // 2 + 1)
    nxt, cur, total, wanted = 0.0, 1e-300, 0.0, 0.0
    two_over_x = 2 / x
    for k in range(start, 0, -1):
        prev = k * two_over_x * cur - nxt
        nxt, cur = cur, prev
        if k - 1 == n:
            wanted = cur
        if (k - 1) % 2 == 0 and k - 1 > 0:
            total += 2 * cur
        if abs(cur) > 1e250:
            cur *= 1e-250
            nxt *= 1e-250
            total *= 1e-250
            wanted *= 1e-250
    return wanted / (total + cur)


def _bessel_hankel(n, x):
    mu = 4.0 * n * n
    p = q = 0.0
    term = 1.0
    last = float("inf")
    for k in range(200):
        if k > 0:
            odd = 2.0 * k - 1
            term *= (mu - odd * odd) / (k * 8.0 * x)
        size = abs(term)
        if size > last or size == 0:
            break
        last = size
        # P = a0 - a2/x^2 + a4/x^4 - ...,  Q = a1/x - a3/x^3 + ...
        signed = term if (k // 2) % 2 == 0 else -term
        if k % 2 == 0:
            p += signed
        else:
            q += signed
        if size < 1e-17 * abs(p):
            break
    phase = (0.5 * n + 0.25) * math.pi
    chi_cos = math.cos(x) * math.cos(phase) + math.sin(x) * math.sin(phase)
    chi_sin = math.sin(x) * math.cos(phase) - math.cos(x) * math.sin(phase)
    return math.sqrt(2 / (math.pi * x)) * (p * chi_cos - q * chi_sin)


class Spline(Kernel):
    """``spline()``: prod_f [1 + x z + x z m - (x + z) m^2/2 + m^3/3], m = min(x_f, z_f)."""

    @staticmethod
    def _factor(a, b):
        m = np.minimum(a, b)
        return 1 + a * b + a * b * m - 0.5 * (a + b) * m * m + m * m * m / 3

    def cross(self, x, z):
        return _pairwise(x, z, lambda a, b: np.prod(self._factor(a, b), axis=2))

    def diag(self, x):
        return np.prod(self._factor(x, x), axis=1)


class ChiSquared(Kernel):
    """``chi2(gamma=1)``: exp(-gamma D); ``additive_chi2()``: -D; D = sum_f (x_f - z_f)^2/(x_f + z_f)."""

    def __init__(self, gamma, additive):
        self.gamma, self.additive = gamma, additive

    def cross(self, x, z):
        _require_nonnegative("additive_chi2" if self.additive else "chi2", x, z)
        dist = _pairwise(x, z, _chi2_distance)
        return -dist if self.additive else np.exp(-self.gamma * dist)

    def diag(self, x):
        return np.zeros(x.shape[0]) if self.additive else np.ones(x.shape[0])


class HomogeneousChi2(Kernel):
    """``homogeneous_chi2()``: sum_f 2 x_f z_f/(x_f + z_f), a term with x_f + z_f = 0 counting as 0 (PSD)."""

    def cross(self, x, z):
        _require_nonnegative("homogeneous_chi2", x, z)
        return _pairwise(x, z, _homogeneous_chi2_sum)

    def diag(self, x):
        _require_nonnegative("homogeneous_chi2", x)
        return x.sum(axis=1)


def _homogeneous_chi2_sum(a, b):
    s = a + b
    return np.where(s > 0, 2.0 * a * b / np.where(s > 0, s, 1.0), 0.0).sum(axis=2)


def _require_nonnegative(name, *arrays):
    for a in arrays:
        if a.size and not np.all(a >= 0):
            raise ValueError("%s needs non-negative features (histograms, counts), got %r" % (name, a[~(a >= 0)][0]))


class SkewedChi2(Kernel):
    """``skewed_chi2(c=1)``: prod_f 2 sqrt(x_f + c) sqrt(z_f + c)/(x_f + z_f + 2c), features above -c."""

    def __init__(self, c):
        self.c = c

    def cross(self, x, z):
        for a in (x, z):
            if a.size and not np.all(a > -self.c):
                raise ValueError("skewed_chi2(c=%r) needs features > -c, got %r" % (self.c, a[~(a > -self.c)][0]))
        return _pairwise(x, z, self._product)

    def _product(self, a, b):
        a = a + self.c
        b = b + self.c
        return np.prod(2.0 * np.sqrt(a * b) / (a + b), axis=2)

    def diag(self, x):
        return np.ones(x.shape[0])


def _chi2_distance(a, b):
    s = a + b
    t = a - b
    return np.where(s > 0, t * t / np.where(s > 0, s, 1.0), 0.0).sum(axis=2)


class Scaled(Kernel):
    """``c*k``: c k(x, z), c > 0."""

    def __init__(self, scale, kernel):
        if isinstance(kernel, Scaled):
            scale, kernel = scale * kernel.scale, kernel.kernel
        self.scale, self.kernel = scale, kernel

    def cross(self, x, z):
        return self.scale * self.kernel.cross(x, z)

    def diag(self, x):
        return self.scale * self.kernel.diag(x)


class Sum(Kernel):
    """``k1 + k2 + ...``."""

    def __init__(self, terms):
        self.terms = list(terms)

    def cross(self, x, z):
        out = self.terms[0].cross(x, z)
        for t in self.terms[1:]:
            out = out + t.cross(x, z)
        return out

    def diag(self, x):
        out = self.terms[0].diag(x)
        for t in self.terms[1:]:
            out = out + t.diag(x)
        return out


class Product(Kernel):
    """``k1 * k2 * ...`` (element-wise)."""

    def __init__(self, factors):
        self.factors = list(factors)

    def cross(self, x, z):
        out = self.factors[0].cross(x, z)
        for f in self.factors[1:]:
            out = out * f.cross(x, z)
        return out

    def diag(self, x):
        out = self.factors[0].diag(x)
        for f in self.factors[1:]:
            out = out * f.diag(x)
        return out


# ------------------------------------------------------------------------------ neural kernels

def _clip_correlation(c):
    """org.kernels4j.linalg.ArcCosine.clipCorrelation: snap within 2^-50 of +-1 to +-1."""
    return np.where(c > 1 - SNAP, 1.0, np.where(c < SNAP - 1, -1.0, c))


def _correlation(q11, q12, q22):
    """q12/sqrt(q11 q22) clipped and snapped; 0 where a variance is 0 (Activation.correlation)."""
    p = np.sqrt(q11 * q22)
    ok = p > 0
    return np.where(ok, _clip_correlation(q12 / np.where(ok, p, 1.0)), 0.0)


class AbRelu(object):
    """relu (a=0, b=1), leaky_relu (a=alpha, b=1), abrelu(a, b): Activation.AbRelu."""

    def __init__(self, a, b):
        self.a, self.b = a, b

    def pair(self, q11, q12, q22):
        a, b = self.a, self.b
        c = _correlation(q11, q12, q22)
        theta = np.arccos(c)
        s = np.sqrt((1 - c) * (1 + c))
        p = np.sqrt(q11 * q22)
        return p / (2 * math.pi) * ((a * a + b * b) * (s + (math.pi - theta) * c) - 2 * a * b * (s - theta * c))

    def dpair(self, q11, q12, q22):
        a, b = self.a, self.b
        theta = np.arccos(_correlation(q11, q12, q22))
        return ((a * a + b * b) * (math.pi - theta) + 2 * a * b * theta) / (2 * math.pi)

    def self_(self, q):
        return (self.a ** 2 + self.b ** 2) * q / 2

    def dself(self, q):
        return (self.a ** 2 + self.b ** 2) / 2 + 0 * q


class Identity(object):
    # "+ 0 * (...)" broadcasts a constant dual to the tile's shape, as the other activations return
    def pair(self, q11, q12, q22):
        return q12 + 0 * (q11 + q22)

    def dpair(self, q11, q12, q22):
        return np.ones_like(q12 + 0 * (q11 + q22))

    def self_(self, q):
        return q

    def dself(self, q):
        return np.ones_like(q)


class Erf(object):
    def pair(self, q11, q12, q22):
        s = 2 * q12 / np.sqrt((1 + 2 * q11) * (1 + 2 * q22))
        return 2 / math.pi * np.arcsin(np.clip(s, -1, 1))

    def dpair(self, q11, q12, q22):
        return 4 / math.pi / np.sqrt((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12 * q12)

    def self_(self, q):
        return 2 / math.pi * np.arcsin(2 * q / (1 + 2 * q))

    def dself(self, q):
        return 4 / math.pi / np.sqrt(1 + 4 * q)


class Sign(object):
    def pair(self, q11, q12, q22):
        ok = (q11 > 0) & (q22 > 0)
        return np.where(ok, 2 / math.pi * np.arcsin(_correlation(q11, q12, q22)), 0.0)

    def dpair(self, q11, q12, q22):
        return np.zeros(np.broadcast(q11, q12, q22).shape)

    def self_(self, q):
        return np.where(q > 0, 1.0, 0.0)

    def dself(self, q):
        return np.zeros_like(q)


class Step(object):
    def pair(self, q11, q12, q22):
        ok = (q11 > 0) & (q22 > 0)
        return np.where(ok, (math.pi - np.arccos(_correlation(q11, q12, q22))) / (2 * math.pi), 0.0)

    def dpair(self, q11, q12, q22):
        return np.zeros(np.broadcast(q11, q12, q22).shape)

    def self_(self, q):
        return np.where(q > 0, 0.5, 0.0)

    def dself(self, q):
        return np.zeros_like(q)


class Sin(object):
    def pair(self, q11, q12, q22):
        return np.exp(-(q11 + q22) / 2) * np.sinh(q12)

    def dpair(self, q11, q12, q22):
        return np.exp(-(q11 + q22) / 2) * np.cosh(q12)

    def self_(self, q):
        return self.pair(q, q, q)

    def dself(self, q):
        return self.dpair(q, q, q)


class Gelu(object):
    """x Phi(x): the NNGP dual in closed form (Activation.Gelu.pair); its derivative's dual is numerical."""

    def pair(self, q11, q12, q22):
        m11 = q11 + 1
        m22 = q22 + 1
        m12 = q12
        det = m11 * m22 - m12 * m12
        a1 = (m22 * q11 - m12 * q12) / det
        a2 = (m11 * q12 - m12 * q11) / det
        b1 = (m22 * q12 - m12 * q22) / det
        b2 = (m11 * q22 - m12 * q12) / det
        cov_e = q12 - (q11 * b1 + q12 * b2)
        s1 = np.sqrt(m11)
        s2 = np.sqrt(m22)
        rho = np.clip(m12 / (s1 * s2), -1, 1)
        root = np.sqrt((1 - rho) * (1 + rho))
        p = 0.25 + np.arcsin(rho) / (2 * math.pi)
        zz = p + rho * root / (2 * math.pi)
        z12 = rho * p + root / (2 * math.pi)
        w11 = m11 * zz
        w22 = m22 * zz
        w12 = s1 * s2 * z12
        return a1 * (w11 * b1 + w12 * b2) + a2 * (w12 * b1 + w22 * b2) + cov_e * p

    def self_(self, q):
        return self.pair(q, q, q)

    def dpair(self, q11, q12, q22):
        raise UnsupportedError("ntk with activation=gelu is not supported by the Python reader: the derivative's "
                               "dual of gelu is computed by Gauss-Hermite quadrature in kernels4j (use nngp, or a "
                               "closed-form activation)")

    dself = dpair


class Neural(Kernel):
    """``nngp(...)`` / ``ntk(...)`` of a fully connected network (org.kernels4j.kernel.neural.NeuralKernel)::

        K0 = w_var <x, z>/d + b_var,  Kl = w_var T(K(l-1)) + b_var,  Theta_l = Kl + w_var Tdot(K(l-1)) Theta(l-1)

    and, for ``param=standard`` (NTK only), Theta0 = <x, z> + 1, Theta_l = width T + 1 + w_var Tdot Theta(l-1).
    """

    def __init__(self, ntk, depth, activation, w_var, b_var, standard, width):
        self.ntk, self.depth, self.act = ntk, depth, activation
        self.w_var, self.b_var, self.standard, self.width = w_var, b_var, standard, width

    def _recurse(self, ip, nx, nz, d, same):
        w, b, act = self.w_var, self.b_var, self.act
        q12 = w * ip + b
        q11 = w * nx + b
        q22 = w * nz + b
        theta = d * ip + 1 if self.standard else q12
        for _ in range(self.depth):
            t = act.self_(q11) if same else act.pair(q11, q12, q22)
            nxt = w * t + b
            if self.ntk:
                td = act.dself(q11) if same else act.dpair(q11, q12, q22)
                theta = (self.width * t + 1 if self.standard else nxt) + w * td * theta
            q12 = nxt
            if same:
                q11 = q22 = nxt
            else:
                q11 = w * act.self_(q11) + b
                q22 = w * act.self_(q22) + b
        return theta if self.ntk else q12

    def cross(self, x, z):
        d = x.shape[1]
        inv = 0.0 if d == 0 else 1.0 / d
        ip = (x @ z.T) * inv
        nx = np.einsum("ij,ij->i", x, x)[:, None] * inv
        nz = np.einsum("ij,ij->i", z, z)[None, :] * inv
        return self._recurse(ip, nx, nz, d, False)

    def diag(self, x):
        d = x.shape[1]
        ms = np.einsum("ij,ij->i", x, x) * (0.0 if d == 0 else 1.0 / d)
        return self._recurse(ms, ms, ms, d, True)


class ArcCosine(Kernel):
    """``arccos(order=1, depth=1)`` (Cho & Saul): (1/pi) |x|^n |z|^n J_n(theta), applied depth times."""

    def __init__(self, order, depth):
        self.order, self.depth = order, depth

    def _step(self, kxx, kxz, kzz):
        ok = (kxx > 0) & (kzz > 0)
        c = _correlation(kxx, kxz, kzz)
        theta = np.arccos(c)
        s = np.sqrt((1 - c) * (1 + c))
        if self.order == 0:
            v = (math.pi - theta) / math.pi
        elif self.order == 1:
            v = np.sqrt(kxx * kzz) * (s + (math.pi - theta) * c) / math.pi
        else:
            v = kxx * kzz * (3 * s * c + (math.pi - theta) * (1 + 2 * c * c)) / math.pi
        return np.where(ok, v, 0.0)

    def _self_step(self, k):
        v = 1.0 if self.order == 0 else (k if self.order == 1 else 3 * k * k)
        return np.where(k > 0, v, 0.0)

    def cross(self, x, z):
        kxx = np.einsum("ij,ij->i", x, x)[:, None]
        kzz = np.einsum("ij,ij->i", z, z)[None, :]
        kxz = x @ z.T
        for _ in range(self.depth):
            kxz = self._step(kxx, kxz, kzz)
            kxx = self._self_step(kxx)
            kzz = self._self_step(kzz)
        return kxz

    def diag(self, x):
        k = np.einsum("ij,ij->i", x, x)
        for _ in range(self.depth):
            k = self._self_step(k)
        return k


# ------------------------------------------------------------------------------ the catalog

def _number(call, name, default, check=None):
    v = call.get(name)
    if v is None:
        return default
    if not isinstance(v, float):
        raise call.error(name, "%s: '%s' must be a number" % (call.name, name))
    # a value out of range is reported at the kernel's name, as Java's constructors report it
    if check == "positive" and not v > 0:
        raise call.parser.error(call.start, "%s: %s must be a positive finite number, got %s" % (call.name, name, v))
    if check == "nonnegative" and not v >= 0:
        raise call.parser.error(call.start, "%s: %s must be a non-negative finite number, got %s" % (
            call.name, name, v))
    return v


def _integer(call, name, default, lo, hi):
    v = call.get(name)
    if v is None:
        return default
    if not isinstance(v, float) or v != int(v):
        raise call.error(name, "%s: '%s' must be an integer" % (call.name, name))
    if not lo <= v <= hi:
        raise call.parser.error(call.start, "%s: %s must be between %d and %d, got %d" % (call.name, name, lo, hi, v))
    return int(v)


def _numbers(call, name, default):
    v = call.get(name)
    if v is None:
        return None if default is None else [default]
    if isinstance(v, float):
        v = [v]
    if not isinstance(v, list):
        raise call.error(name, "%s: '%s' must be a number or a list of numbers" % (call.name, name))
    if not all(x > 0 for x in v):
        raise call.parser.error(call.start, "%s: %s must be positive finite numbers" % (call.name, name))
    return v


def _word(call, name, default, allowed):
    v = call.get(name)
    if v is None:
        return default
    w = v.lower() if isinstance(v, str) else None
    if w is None or w not in allowed:
        raise call.error(name, "%s: '%s' must be one of %s" % (call.name, name, ", ".join(allowed)))
    return w


def _rbf(c):
    if c.has("gamma") and c.has("length"):
        raise c.error("length", "rbf: give either gamma or length, not both")
    lengths = _numbers(c, "length", None)
    if lengths is None:
        return Rbf(_number(c, "gamma", 1.0, "positive"))
    if len(lengths) == 1:
        return Rbf(1.0 / (2 * lengths[0] ** 2))
    return Rbf(0.5, np.array(lengths))


def _matern(c):
    nu = _number(c, "nu", 1.5, "positive")
    if nu not in (0.5, 1.5, 2.5):
        raise UnsupportedError("matern with nu=%s is not supported by the Python reader: it has the closed forms for "
                               "nu = 0.5, 1.5 and 2.5 only (kernels4j evaluates other orders with a log-space "
                               "Bessel K)" % nu)
    lengths = _numbers(c, "length", 1.0)
    if len(lengths) == 1:
        return Matern(nu, lengths[0])
    return Matern(nu, 1.0, np.array(lengths))


def _neural(c, ntk):
    from .spec import Quoted
    depth = _integer(c, "depth", 1, 0, 10000)
    raw = c.get("activation")
    if isinstance(raw, Quoted):
        raise UnsupportedError("activation=\"%s\" is not supported by the Python reader: kernels4j integrates the "
                               "duals of expression activations numerically (Gauss-Hermite)" % raw)
    act = _word(c, "activation", "relu", ("relu", "leaky_relu", "abrelu", "identity", "erf", "sign", "step", "sin",
                                         "gelu") + NUMERICAL_ACTIVATIONS)
    if act in NUMERICAL_ACTIVATIONS:
        raise UnsupportedError("activation=%s is not supported by the Python reader: kernels4j computes its duals by "
                               "Gauss-Hermite quadrature, not in closed form (closed forms: relu, leaky_relu, abrelu, "
                               "identity, erf, sign, step, sin, gelu for nngp)" % act)
    if act == "leaky_relu":
        activation = AbRelu(_number(c, "alpha", 0.01), 1.0)
    elif act == "relu":
        activation = AbRelu(0.0, 1.0)
    elif act == "abrelu":
        activation = AbRelu(_number(c, "a", 0.0), _number(c, "b", 1.0))
    else:
        activation = {"identity": Identity, "erf": Erf, "sign": Sign, "step": Step, "sin": Sin, "gelu": Gelu}[act]()
    for p in ("alpha", "a", "b"):
        c.get(p)  # read where they apply; a stray one is reported below as unknown only if not declared
    w = _number(c, "w_var", 1.0, "positive")
    b = _number(c, "b_var", 0.0, "nonnegative")
    standard = _word(c, "param", "ntk", ("ntk", "standard")) == "standard"
    width = _integer(c, "width", 0, 1, 2 ** 31 - 1)
    if ntk and standard and width < 1:
        raise c.error("param", "param=standard needs the hidden layer width, e.g. width=512")
    if ntk and act == "gelu":
        activation.dpair(None, None, None)  # raises the refusal
    return Neural(ntk, depth, activation, w, b, standard and ntk, width if standard and ntk else 0)


_TYPES = {
    "linear": ((), lambda c: Linear()),
    "poly": (("degree", "gamma", "coef0"), lambda c: Polynomial(
        _integer(c, "degree", 3, 1, 2 ** 31 - 1), _number(c, "gamma", 1.0, "positive"),
        _number(c, "coef0", 1.0, "nonnegative"))),
    "cosine": ((), lambda c: Cosine()),
    "vmf": (("kappa",), lambda c: VonMisesFisher(_number(c, "kappa", 1.0, "positive"))),
    "rbf": (("gamma", "length"), _rbf),
    "laplacian": (("gamma", "norm"), lambda c: Laplacian(
        _number(c, "gamma", 1.0, "positive"), _word(c, "norm", "l2", ("l2", "l1")) == "l1")),
    "matern": (("nu", "length"), _matern),
    "rq": (("alpha", "length"), lambda c: RationalQuadratic(
        _number(c, "alpha", 1.0, "positive"), _number(c, "length", 1.0, "positive"))),
    "periodic": (("length", "period"), lambda c: Periodic(
        _number(c, "length", 1.0, "positive"), _number(c, "period", 1.0, "positive"))),
    "white": (("noise",), lambda c: White(_number(c, "noise", 1.0, "nonnegative"))),
    "constant": (("value",), lambda c: Constant(_number(c, "value", 1.0, "nonnegative"))),
    "sigmoid": (("gamma", "coef0"), lambda c: Sigmoid(_number(c, "gamma", 1.0, "positive"), _number(c, "coef0", 1.0))),
    "anova": (("sigma", "degree"), lambda c: Anova(
        _number(c, "sigma", 1.0, "positive"), _integer(c, "degree", 1, 1, 64))),
    "bessel": (("sigma", "order", "degree"), lambda c: Bessel(
        _number(c, "sigma", 1.0, "positive"), _integer(c, "order", 1, 0, 20), _integer(c, "degree", 1, 1, 64))),
    "spline": ((), lambda c: Spline()),
    "chi2": (("gamma",), lambda c: ChiSquared(_number(c, "gamma", 1.0, "positive"), False)),
    "additive_chi2": ((), lambda c: ChiSquared(0.0, True)),
    "homogeneous_chi2": ((), lambda c: HomogeneousChi2()),
    "skewed_chi2": (("c",), lambda c: SkewedChi2(_number(c, "c", 1.0, "positive"))),
    "arccos": (("order", "depth"), lambda c: ArcCosine(
        _integer(c, "order", 1, 0, 2), _integer(c, "depth", 1, 1, 10000))),
    "nngp": (("depth", "activation", "alpha", "a", "b", "w_var", "b_var", "param", "width"),
             lambda c: _neural(c, False)),
    "ntk": (("depth", "activation", "alpha", "a", "b", "w_var", "b_var", "param", "width"),
            lambda c: _neural(c, True)),
}
_ALIASES = {"von_mises_fisher": "vmf", "polynomial": "poly", "gaussian": "rbf", "exponential": "laplacian", "rational_quadratic": "rq",
            "exp_sine_squared": "periodic", "white_noise": "white", "tanh": "sigmoid", "chi_squared": "chi2", "chi2_homogeneous": "homogeneous_chi2",
            "arc_cosine": "arccos"}


def create(call):
    """The kernel for one parsed ``name(...)`` call (the spec parser calls this)."""
    name = _ALIASES.get(call.name, call.name)
    if name in REFUSED:
        raise UnsupportedError("kernel '%s' is not supported by the Python reader: %s" % (name, REFUSED[name]))
    if name not in _TYPES:
        raise call.parser.error(call.start, "unknown kernel '%s'; known kernels: %s" % (
            call.name, ", ".join(list(_TYPES) + list(_ALIASES) + list(REFUSED))))
    params, factory = _TYPES[name]
    for p in call.values:
        if p not in params:
            raise call.parser.error(call.columns[p], "%s has no parameter '%s'%s" % (
                name, p, "; its parameters are " + ", ".join(params) if params else "; it takes none"))
    kernel = factory(call)
    kernel.name = name
    return kernel
