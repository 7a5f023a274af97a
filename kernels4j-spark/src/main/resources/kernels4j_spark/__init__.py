"""PySpark wrappers of the kernels4j-spark stages (the Java classes in org.kernels4j.spark do the work).

Shipped inside the kernels4j-spark jar, as XGBoost4J-Spark ships its Python package: pass the same jar to
``--jars`` and ``--py-files`` and ``import kernels4j_spark``::

    spark-submit --jars kernels4j-spark-all.jar --py-files kernels4j-spark-all.jar app.py

Each class mirrors the Java stage of the same name (same params, same defaults; see docs/spark.md and the
Java javadoc for the mathematics): ``RandomFeatures``, ``NystromFeatures`` -> ``NystromFeaturesModel``,
``NystromKernelRidge`` and ``SparseGaussianProcess`` -> ``KernelModel``, and ``KernelModel.fromFile(path)``
for any saved kernels4j model. Stages save and load with their own ``write()``/``load()``; a PipelineModel
saved from Java or Python is loaded from Python with ``load_pipeline_model(path)`` (PySpark's own
``PipelineModel.load`` only maps ``org.apache.spark`` classes to Python classes).
"""

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable
from pyspark.ml.wrapper import JavaEstimator, JavaModel, JavaTransformer

__all__ = ["RandomFeatures", "NystromFeatures", "NystromFeaturesModel", "NystromKernelRidge",
           "SparseGaussianProcess", "KernelModel", "load_pipeline_model"]

_PACKAGE = "org.kernels4j.spark."


def _param(name, doc, converter):
    return Param(Params._dummy(), name, doc, typeConverter=converter)


_S = TypeConverters.toString
_I = TypeConverters.toInt
_F = TypeConverters.toFloat
_B = TypeConverters.toBoolean


class _Reader(JavaMLReader):
    """Loads a stage through its Java class in org.kernels4j.spark (PySpark's reader assumes org.apache.spark)."""

    @classmethod
    def _java_loader_class(cls, clazz):
        return _PACKAGE + clazz.__name__


class _Stage(JavaMLReadable, JavaMLWritable):
    @classmethod
    def read(cls):
        return _Reader(cls)

    def _init_java(self, kwargs, defaults):
        self._java_obj = self._new_java_obj(_PACKAGE + type(self).__name__, self.uid)
        self._setDefault(**defaults)
        self._set(**kwargs)

    @classmethod
    def _from_java(cls, java_stage):
        # PySpark's JavaParams._from_java imports a Python class named after the Java one with org.apache.spark
        # replaced by pyspark, which does not exist for org.kernels4j.spark: map the class name here instead
        py_type = _WRAPPERS.get(java_stage.getClass().getName(), cls)
        if issubclass(py_type, JavaModel):
            return py_type(java_stage)
        stage = py_type()
        stage._java_obj = java_stage
        stage._resetUid(java_stage.uid())
        stage._transfer_params_from_java()
        return stage


class _HasJavaLambda:
    # "lambda" is a Python keyword, so it is no Python Param: it is set on the Java stage directly (where it is
    # kept, copied and saved with the others; fit only transfers the Python params, so it is never overwritten)
    def setLambda(self, value):
        self._java_obj.setLambda(float(value))
        return self

    def getLambda(self):
        return self._java_obj.getLambda()


def _accessors(cls):
    """Adds setX/getX for every Param attribute of the class (the Java stages' setters and getters)."""
    for name in dir(cls):
        p = getattr(cls, name)
        if isinstance(p, Param):
            cap = name[0].upper() + name[1:]
            if not hasattr(cls, "set" + cap):
                setattr(cls, "set" + cap, lambda self, value, _n=name: self._set(**{_n: value}))
            if not hasattr(cls, "get" + cap):
                setattr(cls, "get" + cap, lambda self, _n=name: self.getOrDefault(getattr(self, _n)))
    return cls


@_accessors
class RandomFeatures(_Stage, JavaTransformer):
    """Random-feature map of a kernel on a vector column (fourier, orthogonal, positive, quantized, network)."""
    inputCol = _param("inputCol", "input column of feature vectors", _S)
    outputCol = _param("outputCol", "output column of random features", _S)
    kernel = _param("kernel", "kernels4j kernel spec, e.g. rbf(gamma=0.5)", _S)
    family = _param("family", "random feature family", _S)
    numFeatures = _param("numFeatures", "D, the number of output features (> 0)", _I)
    seed = _param("seed", "seed of the random features", _I)
    blockLength = _param("blockLength", "quantized: features condensed per output (> 0)", _I)
    bits = _param("bits", "quantized: bits per feature (1 to 4)", _I)

    @keyword_only
    def __init__(self, *, inputCol="features", outputCol="kernelFeatures", kernel="rbf(gamma=1)", family="fourier",
                 numFeatures=1000, seed=1, blockLength=16, bits=1):
        super().__init__()
        self._init_java(self._input_kwargs, dict(inputCol="features", outputCol="kernelFeatures",
                                                 kernel="rbf(gamma=1)", family="fourier", numFeatures=1000, seed=1,
                                                 blockLength=16, bits=1))


@_accessors
class NystromFeaturesModel(_Stage, JavaModel):
    """Nystrom features over fitted landmarks (the output of NystromFeatures)."""
    inputCol = _param("inputCol", "input column of feature vectors", _S)
    outputCol = _param("outputCol", "output column of Nystrom features", _S)


@_accessors
class NystromFeatures(_Stage, JavaEstimator, _HasJavaLambda):
    """Samples landmarks on the cluster (uniform or leverage) and fits the Nystrom feature map."""
    inputCol = _param("inputCol", "input column of feature vectors", _S)
    outputCol = _param("outputCol", "output column of Nystrom features", _S)
    kernel = _param("kernel", "kernels4j kernel spec, e.g. rbf(gamma=0.5)", _S)
    numLandmarks = _param("numLandmarks", "m, the number of landmarks (> 0, capped at n)", _I)
    sampler = _param("sampler", "landmark sampler: uniform or leverage", _S)
    seed = _param("seed", "seed of the landmark sampling", _I)

    @keyword_only
    def __init__(self, *, inputCol="features", outputCol="kernelFeatures", kernel="rbf(gamma=1)", numLandmarks=100,
                 sampler="uniform", seed=1):
        super().__init__()
        self._init_java(self._input_kwargs, dict(inputCol="features", outputCol="kernelFeatures",
                                                 kernel="rbf(gamma=1)", numLandmarks=100, sampler="uniform", seed=1))

    def _create_model(self, java_model):
        return NystromFeaturesModel(java_model)


@_accessors
class KernelModel(_Stage, JavaModel):
    """Any kernels4j model applied to a vector column (the output of NystromKernelRidge and SparseGaussianProcess)."""
    featuresCol = _param("featuresCol", "input column of feature vectors", _S)
    predictionCol = _param("predictionCol", "output column of predictions", _S)

    @classmethod
    def fromFile(cls, path):
        """The stage of a kernels4j model file (local path, hdfs://, s3a://...)."""
        from pyspark import SparkContext
        jvm = SparkContext._active_spark_context._jvm
        return cls(jvm.org.kernels4j.spark.KernelModel.fromFile(path))


@_accessors
class NystromKernelRidge(_Stage, JavaEstimator, _HasJavaLambda):
    """Falkon-style Nystrom kernel ridge regression; each CG iteration one distributed pass."""
    featuresCol = _param("featuresCol", "input column of feature vectors", _S)
    labelCol = _param("labelCol", "numeric label column", _S)
    predictionCol = _param("predictionCol", "output column of predictions", _S)
    kernel = _param("kernel", "kernels4j kernel spec, e.g. rbf(gamma=0.5)", _S)
    numCenters = _param("numCenters", "m, the number of Nystrom centres (> 0, capped at n)", _I)
    sampler = _param("sampler", "centre sampler: uniform or leverage", _S)
    maxIter = _param("maxIter", "CG iteration limit (> 0)", _I)
    tol = _param("tol", "relative residual at which CG stops (>= 0)", _F)
    centerTargets = _param("centerTargets", "centre the labels and add their mean back", _B)
    seed = _param("seed", "seed of the centre sampling", _I)

    @keyword_only
    def __init__(self, *, featuresCol="features", labelCol="label", predictionCol="prediction",
                 kernel="rbf(gamma=1)", numCenters=1000, sampler="uniform", maxIter=100, tol=1e-7,
                 centerTargets=False, seed=1):
        super().__init__()
        self._init_java(self._input_kwargs, dict(featuresCol="features", labelCol="label",
                                                 predictionCol="prediction", kernel="rbf(gamma=1)", numCenters=1000,
                                                 sampler="uniform", maxIter=100, tol=1e-7, centerTargets=False,
                                                 seed=1))

    def _create_model(self, java_model):
        return KernelModel(java_model)


@_accessors
class SparseGaussianProcess(_Stage, JavaEstimator):
    """Sparse GP regression (Titsias' bound); each bound evaluation aggregates per-partition statistics."""
    featuresCol = _param("featuresCol", "input column of feature vectors", _S)
    labelCol = _param("labelCol", "numeric label column", _S)
    predictionCol = _param("predictionCol", "output column of the predictive mean", _S)
    kernel = _param("kernel", "kernels4j kernel spec: signal + white(noise=...)", _S)
    numInducing = _param("numInducing", "m, the number of inducing points (> 0, at most n)", _I)
    seed = _param("seed", "seed of the uniform choice of the initial inducing points", _I)
    maxIter = _param("maxIter", "L-BFGS iterations of the hyperparameter search (0: no search)", _I)
    optimizeInducing = _param("optimizeInducing", "whether the search moves the inducing points too", _B)
    jitter = _param("jitter", "relative jitter added to K(Z, Z)'s diagonal (>= 0)", _F)

    @keyword_only
    def __init__(self, *, featuresCol="features", labelCol="label", predictionCol="prediction",
                 kernel="rbf(length=1) + white(noise=0.1)", numInducing=100, seed=0, maxIter=0,
                 optimizeInducing=True, jitter=1e-6):
        super().__init__()
        self._init_java(self._input_kwargs, dict(featuresCol="features", labelCol="label",
                                                 predictionCol="prediction",
                                                 kernel="rbf(length=1) + white(noise=0.1)", numInducing=100, seed=0,
                                                 maxIter=0, optimizeInducing=True, jitter=1e-6))

    def _create_model(self, java_model):
        return KernelModel(java_model)


_WRAPPERS = {_PACKAGE + c.__name__: c for c in (RandomFeatures, NystromFeatures, NystromFeaturesModel,
                                                 NystromKernelRidge, SparseGaussianProcess, KernelModel)}


def load_pipeline_model(path):
    """A saved PipelineModel whose stages may be kernels4j stages (wrapped here) or Spark's own."""
    from pyspark import SparkContext
    from pyspark.ml import PipelineModel
    from pyspark.ml.wrapper import JavaParams
    jvm = SparkContext._active_spark_context._jvm
    java_model = jvm.org.apache.spark.ml.PipelineModel.load(path)
    stages = []
    for s in java_model.stages():
        wrapper = _WRAPPERS.get(s.getClass().getName())
        if wrapper is None:
            stages.append(JavaParams._from_java(s))
        else:
            stages.append(wrapper._from_java(s))
    return PipelineModel(stages)
