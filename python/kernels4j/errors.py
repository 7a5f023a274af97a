"""The exceptions of the kernels4j reader: one base type, so ``except kernels4j.Kernels4jError`` catches all."""


class Kernels4jError(ValueError):
    """A problem with a model file, a kernel spec or the data given to a model (one clear message)."""


class ModelFileError(Kernels4jError):
    """A model file that is missing, damaged, altered, or of a format version this reader does not know."""


class KernelSpecError(Kernels4jError):
    """A kernel spec that does not parse; the message names the 1-based column, as the Java parser does."""

    def __init__(self, spec, column, problem):
        super().__init__("invalid kernel spec '%s' at column %d: %s" % (spec, column, problem))
        self.spec = spec
        self.column = column


class UnsupportedError(Kernels4jError):
    """A valid model or kernel that this reader refuses, by name (no closed form here, or not ported)."""
