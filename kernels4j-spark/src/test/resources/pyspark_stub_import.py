"""Imports kernels4j_spark against stand-ins for the few PySpark names it uses (PySpark is not installed here).

This checks what can be checked without a JVM: the module imports, its classes are created (a method resolution
order conflict with PySpark's class hierarchy, mirrored below, would fail here), every class gets setX/getX for
its params, and _from_java maps Java class names to the wrappers. Reads the module's source from stdin.
"""
import sys
import types


def module(name, **names):
    m = types.ModuleType(name)
    m.__dict__.update(names)
    sys.modules[name] = m
    return m


class Params:
    @staticmethod
    def _dummy():
        return "dummy"


class Param:
    def __init__(self, parent, name, doc, typeConverter=None):
        self.name = name


class TypeConverters:
    toString = toInt = toFloat = toBoolean = staticmethod(lambda v: v)


class JavaWrapper:
    pass


class JavaParams(JavaWrapper, Params):
    pass


class Transformer(Params):
    pass


class Estimator(Params):
    pass


class Model(Transformer):
    pass


class JavaTransformer(JavaParams, Transformer):
    pass


class JavaEstimator(JavaParams, Estimator):
    pass


class JavaModel(JavaTransformer, Model):
    def __init__(self, java_model=None):
        self.java = java_model


class MLReadable:
    pass


class MLWritable:
    pass


class JavaMLReadable(MLReadable):
    pass


class JavaMLWritable(MLWritable):
    pass


class JavaMLReader:
    pass


module("pyspark", keyword_only=lambda f: f)
module("pyspark.ml")
module("pyspark.ml.param", Param=Param, Params=Params, TypeConverters=TypeConverters)
module("pyspark.ml.util", JavaMLReadable=JavaMLReadable, JavaMLReader=JavaMLReader, JavaMLWritable=JavaMLWritable)
module("pyspark.ml.wrapper", JavaEstimator=JavaEstimator, JavaModel=JavaModel, JavaTransformer=JavaTransformer,
       JavaParams=JavaParams)

k4j = types.ModuleType("kernels4j_spark")
exec(compile(sys.stdin.read(), "kernels4j_spark/__init__.py", "exec"), k4j.__dict__)

expected = {
    "RandomFeatures": ["inputCol", "outputCol", "kernel", "family", "numFeatures", "seed", "blockLength", "bits"],
    "NystromFeatures": ["inputCol", "outputCol", "kernel", "numLandmarks", "sampler", "seed", "Lambda"],
    "NystromKernelRidge": ["featuresCol", "labelCol", "predictionCol", "kernel", "numCenters", "sampler", "maxIter",
                           "tol", "centerTargets", "seed", "Lambda"],
    "SparseGaussianProcess": ["featuresCol", "labelCol", "predictionCol", "kernel", "numInducing", "seed", "maxIter",
                              "optimizeInducing", "jitter"],
    "KernelModel": ["featuresCol", "predictionCol"],
    "NystromFeaturesModel": ["inputCol", "outputCol"],
}
for cls_name, params in expected.items():
    cls = getattr(k4j, cls_name)
    for p in params:
        cap = p[0].upper() + p[1:]
        assert callable(getattr(cls, "set" + cap, None)), cls_name + ".set" + cap
        assert callable(getattr(cls, "get" + cap, None)), cls_name + ".get" + cap
    assert issubclass(cls, k4j._Stage), cls_name
    assert cls._from_java.__func__ is k4j._Stage._from_java.__func__, cls_name + " uses the kernels4j _from_java"
for java_name, cls in k4j._WRAPPERS.items():
    assert java_name == "org.kernels4j.spark." + cls.__name__
    assert k4j._Reader._java_loader_class(cls) == java_name


class FakeJavaModel:
    def getClass(self):
        return self

    def getName(self):
        return "org.kernels4j.spark.KernelModel"


m = k4j._Stage._from_java.__func__(k4j.NystromKernelRidge, FakeJavaModel())
assert type(m) is k4j.KernelModel, type(m)
print("ok")
