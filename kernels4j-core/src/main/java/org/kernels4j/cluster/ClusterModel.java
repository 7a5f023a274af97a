package org.kernels4j.cluster;

import org.kernels4j.model.Model;

/**
 * A fitted clustering: the cluster of every training point, and {@link #predict} giving the cluster
 * (as a double 0..k−1 in an m×1 matrix) of new points, whose rule each model states.
 */
public interface ClusterModel extends Model {

    /** The cluster of each training point, 0..k−1 (a copy); every cluster has at least one point. */
    int[] labels();

    /** The number of clusters k. */
    int clusters();
}
