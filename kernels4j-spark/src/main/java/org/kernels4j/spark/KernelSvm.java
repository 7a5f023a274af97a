package org.kernels4j.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LinearSVC;

/**
 * A kernel SVM for data sets too large for one machine: random features φ (D of them, {@link RandomFeatures})
 * followed by Spark's distributed linear SVM ({@link LinearSVC}: hinge loss, L2 penalty, OWL-QN over
 * {@code treeAggregate}d gradients). A linear SVM on φ(x) is an SVM with the kernel φ(x)·φ(z) ≈ k(x, z)
 * (error O(1/√D)).
 *
 * <p>Why this and not a cascade of {@code SmoSolver}s on partitions whose support vectors are merged: the
 * cascade's last level solves a dual problem whose size is the number of support vectors, which on large
 * noisy data grows in proportion to n (every margin violator is one), so the final SMO runs on one machine
 * with O(n_sv²) kernel work and memory, and its answer is only a fixed point after repeated passes. Random
 * features cost O(n·D·d) once, every iteration is a data-parallel pass with D-dimensional messages, and
 * the model size is D, independent of n. The price is the feature approximation; raise D (1000 to 10000)
 * until the validation accuracy stops changing.
 */
public final class KernelSvm {
    private KernelSvm() {
    }

    /**
     * The pipeline features → φ(features) in "kernelFeatures" → LinearSVC on it (its label, prediction and
     * raw prediction columns at Spark's defaults). Set the SVM's regularisation on the returned stage 1.
     *
     * @param kernelSpec a kernels4j kernel that random Fourier features sample (rbf, laplacian, matern, …)
     * @param features D, the number of random features
     * @param seed the features' seed
     * @param regParam the SVM's L2 penalty (LinearSVC's regParam, ≥ 0)
     */
    public static Pipeline pipeline(String kernelSpec, int features, long seed, double regParam) {
        RandomFeatures map = new RandomFeatures().setKernel(kernelSpec).setNumFeatures(features).setSeed(seed);
        LinearSVC svm = new LinearSVC().setFeaturesCol(map.getOutputCol()).setRegParam(regParam);
        return new Pipeline().setStages(new PipelineStage[] {map, svm});
    }
}
