package org.kernels4j.cluster;

import java.util.Arrays;
import java.util.Random;

/**
 * One k-means run on a {@link Geometry}: seeding, Lloyd batch passes, then single-node moves.
 *
 * <ol>
 *   <li>Seeding: k distinct points as centres, by greedy k-means++ ({@link #kMeansPlusPlus}) or
 *       uniformly at random; every point joins its nearest centre.</li>
 *   <li>Lloyd: every point moves to its nearest centroid (computed before the pass), then the sums are
 *       updated; until no point moves or {@code maxIterations} passes. A cluster left empty gets the
 *       point farthest from its own centroid among clusters of two or more (scikit-learn's
 *       relocation), which lowers J by n_l/(n_l − 1)·d(i, l) ≥ 0.</li>
 *   <li>Single-node moves (Hartigan &amp; Wong's criterion, the exact ΔJ of
 *       {@link Geometry#moveCost}): points are visited in order and moved to the cluster of least ΔJ
 *       when ΔJ &lt; 0, updating the sums at once; passes repeat until none moves or
 *       {@code maxIterations} passes. A point alone in its cluster never moves, so no cluster
 *       empties. A move-stable partition is also Lloyd-stable (ΔJ &lt; d(i,c) − d(i,l)).</li>
 * </ol>
 * J never increases: the objective after seeding and after every pass is kept in the history.
 *
 * <p>Cost on a kernel matrix: seeding O(n·k); each Lloyd pass O(n·k) plus O(n) per moved point (a
 * full O(n²) recount instead when more than a quarter of the points moved); each move pass O(n·k)
 * plus O(n) per move; one O(n²) recount after each phase drops the rounding of the updates.
 */
final class KMeansRun {
    /** Relative size of ΔJ below which a move is rounding noise, not an improvement. */
    private static final double MOVE_TOLERANCE = 1e-12;

    final int[] labels;
    final double objective;
    final int lloydPasses;
    final int movePasses;
    final long moves;
    final double[] history;

    private KMeansRun(int[] labels, double objective, int lloydPasses, int movePasses, long moves, double[] history) {
        this.labels = labels;
        this.objective = objective;
        this.lloydPasses = lloydPasses;
        this.movePasses = movePasses;
        this.moves = moves;
        this.history = history;
    }

    /** Runs from centres chosen by {@code init}; leaves {@code g} in the final state. */
    static KMeansRun run(Geometry g, int k, KernelKMeans.Init init, int maxIterations, boolean singleNodeMoves,
            Random random) {
        return runFrom(g, k, init == KernelKMeans.Init.RANDOM ? randomCentres(g.n, k, random)
                : kMeansPlusPlus(g, k, random), maxIterations, singleNodeMoves);
    }

    /** Runs from the given centre points (distinct indices). */
    static KMeansRun runFrom(Geometry g, int k, int[] centres, int maxIterations, boolean singleNodeMoves) {
        int n = g.n;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double d = centres[c] == i ? -1 : g.pointDistance(i, centres[c]); // a centre joins its own cluster
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            labels[i] = best;
        }
        g.reset(labels, k);
        double[] history = new double[2 * maxIterations + 1];
        int h = 0;
        history[h++] = g.objective();
        int lloyd = 0;
        double[] dist = new double[n];
        double[] all = new double[n * k];
        int[] next = new int[n];
        while (lloyd < maxIterations) {
            int changed = 0;
            g.allDistances(all);
            for (int i = 0; i < n; i++) {
                int best = labels[i];
                double bestD = all[i * k + best];
                for (int c = 0; c < k; c++) {
                    double d = all[i * k + c];
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                next[i] = best;
                dist[i] = bestD;
                changed += best == labels[i] ? 0 : 1;
            }
            if (changed == 0) {
                break;
            }
            lloyd++;
            fillEmptyClusters(next, dist, k);
            if (changed <= n / 4) { // O(n) per moved point (kernel) beats the O(n²) recount
                for (int i = 0; i < n; i++) {
                    g.move(i, next[i]);
                }
            } else {
                System.arraycopy(next, 0, labels, 0, n);
                g.reset(labels, k);
            }
            history[h++] = g.objective();
        }
        g.recomputeSums(); // drop the rounding that incremental updates accumulated
        int movePasses = 0;
        long moves = 0;
        while (singleNodeMoves && movePasses < maxIterations) {
            int moved = 0;
            for (int i = 0; i < n; i++) {
                int l = labels[i];
                int nl = g.counts[l];
                if (nl == 1) {
                    continue; // moving it would empty its cluster
                }
                double dl = g.distance(i, l);
                double removal = nl / (nl - 1.0) * dl; // the ΔJ of Geometry.moveCost, its removal term hoisted
                int best = l;
                double bestDelta = 0;
                double bestD = 0;
                for (int c = 0; c < k; c++) {
                    if (c != l) {
                        int nc = g.counts[c];
                        double dc = g.distance(i, c);
                        double delta = nc / (nc + 1.0) * dc - removal;
                        if (delta < bestDelta) {
                            bestDelta = delta;
                            best = c;
                            bestD = dc;
                        }
                    }
                }
                if (best != l && bestDelta < -MOVE_TOLERANCE * (Math.abs(dl) + Math.abs(bestD))) {
                    g.move(i, best);
                    moved++;
                }
            }
            if (moved == 0) {
                break;
            }
            movePasses++;
            moves += moved;
            history[h++] = g.objective();
        }
        if (moves > 0) {
            g.recomputeSums(); // once, to drop the rounding that the O(n)-per-move updates accumulated
        }
        return new KMeansRun(labels.clone(), g.objective(), lloyd, movePasses, moves, Arrays.copyOf(history, h));
    }

    /**
     * Gives each empty cluster the point farthest from its centroid among clusters that keep two or
     * more points, so every cluster has at least one point (k ≤ n).
     */
    static void fillEmptyClusters(int[] labels, double[] distance, int k) {
        int[] counts = new int[k];
        for (int l : labels) {
            counts[l]++;
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                continue;
            }
            int far = -1;
            for (int i = 0; i < labels.length; i++) {
                if (counts[labels[i]] > 1 && (far < 0 || distance[i] > distance[far])) {
                    far = i;
                }
            }
            counts[labels[far]]--;
            labels[far] = c;
            counts[c] = 1;
            distance[far] = 0;
        }
    }

    static int[] randomCentres(int n, int k, Random random) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, k);
    }

    /**
     * Greedy k-means++ seeding on squared feature-space distances, as scikit-learn's {@code kmeans_plusplus}:
     * the first centre uniformly; for each next one, 2 + ⌊ln k⌋ candidates drawn with probability ∝ the
     * squared distance to the nearest centre so far, keeping the candidate that leaves the least total
     * squared distance (Arthur &amp; Vassilvitskii's greedy variant; a single draw often seeds two centres
     * in one cluster, a local minimum that Lloyd and single-node moves cannot leave). O(n·k·log k)
     * distance evaluations.
     */
    static int[] kMeansPlusPlus(Geometry g, int k, Random random) {
        int n = g.n;
        int trials = 2 + (int) Math.log(k);
        int[] centres = new int[k];
        boolean[] chosen = new boolean[n];
        centres[0] = random.nextInt(n);
        chosen[centres[0]] = true;
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = g.pointDistance(i, centres[0]);
        }
        double[] candidateNearest = new double[n];
        double[] bestNearest = new double[n];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += chosen[i] ? 0 : nearest[i];
            }
            int pick = -1;
            if (total > 0) {
                double bestPotential = Double.POSITIVE_INFINITY;
                for (int t = 0; t < trials; t++) {
                    int candidate = draw(nearest, chosen, total, random);
                    double potential = 0;
                    for (int i = 0; i < n; i++) {
                        candidateNearest[i] = Math.min(nearest[i], g.pointDistance(i, candidate));
                        potential += candidateNearest[i];
                    }
                    if (potential < bestPotential) {
                        bestPotential = potential;
                        pick = candidate;
                        System.arraycopy(candidateNearest, 0, bestNearest, 0, n);
                    }
                }
                System.arraycopy(bestNearest, 0, nearest, 0, n);
            } else { // every remaining point coincides with a centre: any unchosen one
                int skip = random.nextInt(n - c);
                for (int i = 0; i < n; i++) {
                    if (!chosen[i] && skip-- == 0) {
                        pick = i;
                        break;
                    }
                }
                for (int i = 0; i < n; i++) {
                    nearest[i] = Math.min(nearest[i], g.pointDistance(i, pick));
                }
            }
            centres[c] = pick;
            chosen[pick] = true;
        }
        return centres;
    }

    /** An unchosen point of positive weight, with probability ∝ its weight (weights sum to total &gt; 0). */
    private static int draw(double[] weight, boolean[] chosen, double total, Random random) {
        double u = random.nextDouble() * total;
        int pick = -1;
        for (int i = 0; i < weight.length; i++) {
            if (!chosen[i] && weight[i] > 0) {
                pick = i;
                u -= weight[i];
                if (u < 0) {
                    break;
                }
            }
        }
        return pick; // the last positive one when rounding leaves u ≥ 0
    }
}
