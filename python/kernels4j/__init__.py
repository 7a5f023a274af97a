"""Read kernels4j model files from Python (NumPy only) and predict with them.

    >>> import kernels4j
    >>> model = kernels4j.load("model.zip")   # checksums, format version and shapes verified first
    >>> model.predict(X)                      # X: m x d float array

The returned object depends on the model kind (``model.kind``) and has the scikit-learn-style methods
that apply: ``predict``, ``predict_proba``, ``decision_function``, ``score_samples``, ``transform``.
Every problem with a file raises :class:`ModelFileError`; a kernel or model kind without a closed form
here raises :class:`UnsupportedError` naming it. Both derive from :class:`Kernels4jError`.
"""

from . import archive as _archive
from .errors import Kernels4jError, KernelSpecError, ModelFileError, UnsupportedError
from .models import KINDS, UNSUPPORTED_KINDS, build as _build
from .spec import parse as parse_kernel

__all__ = ["load", "parse_kernel", "Kernels4jError", "ModelFileError", "KernelSpecError", "UnsupportedError",
           "FORMAT_VERSION", "SUPPORTED_KINDS"]
__version__ = "0.1.0"

FORMAT_VERSION = _archive.VERSION
SUPPORTED_KINDS = tuple(KINDS)


def load(path):
    """Loads a kernels4j model file (zip of model.json + .npy arrays + SHA-256 checksums).

    The archive is verified before anything is used (see :mod:`kernels4j.archive`); then the model of
    the recorded kind is built. Raises :class:`ModelFileError` for a missing, damaged, altered or
    too-new file and :class:`UnsupportedError` for a model kind or kernel this reader refuses.
    """
    a = _archive.read(path)
    kind = a.root.get("kind")
    if not isinstance(kind, str):
        raise _archive.bad(a.name, "the kind field is missing")
    model = _build(a, kind)
    if len(model.feature_names) != model.n_features_in_:
        raise _archive.bad(a.name, "feature_names lists %d names for %d features" % (
            len(model.feature_names), model.n_features_in_))
    return model
