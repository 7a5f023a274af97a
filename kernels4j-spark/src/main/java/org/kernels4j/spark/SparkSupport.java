package org.kernels4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * What every stage of the module shares: schema checks with Spark's error type
 * ({@link IllegalArgumentException}), partitions turned into {@link Matrix} blocks, the per-task thread
 * budget, and executor failures turned back into the one clear message that caused them.
 */
final class SparkSupport {
    /** Rows per block when a partition is predicted or transformed (bounds the n×D scratch of a task). */
    static final int BLOCK_ROWS = 4096;

    private SparkSupport() {
    }

    /** One partition's rows as a dense row-major block (x: rows×cols, y: rows or null); serializable for caching. */
    static final class Block implements Serializable {
        private static final long serialVersionUID = 1L;
        final int rows;
        final int cols;
        final double[] x;
        final double[] y;

        Block(int rows, int cols, double[] x, double[] y) {
            this.rows = rows;
            this.cols = cols;
            this.x = x;
            this.y = y;
        }

        Matrix features() {
            return Matrix.wrap(rows, cols, x);
        }

        Matrix targets() {
            return Matrix.wrap(rows, 1, y);
        }
    }

    /** The column's field, or an IllegalArgumentException naming the column and what it is for. */
    static StructField field(StructType schema, String column, String role) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("the " + role + " column '" + column + "' does not exist; available: "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.apply(column);
    }

    /** Checks that the column exists and holds ml.linalg vectors. */
    static void requireVector(StructType schema, String column, String role) {
        DataType t = field(schema, column, role).dataType();
        if (!(t instanceof VectorUDT)) {
            throw new IllegalArgumentException("the " + role + " column '" + column
                    + "' must be of type Vector (org.apache.spark.ml.linalg), but is " + t.simpleString()
                    + "; assemble numeric columns with VectorAssembler first");
        }
    }

    /** Checks that the column exists and is numeric. */
    static void requireNumeric(StructType schema, String column, String role) {
        DataType t = field(schema, column, role).dataType();
        if (!(t instanceof NumericType)) {
            throw new IllegalArgumentException("the " + role + " column '" + column + "' must be numeric, but is "
                    + t.simpleString());
        }
    }

    /** Checks that an output column does not exist yet. */
    static void requireNew(StructType schema, String column) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("the output column '" + column + "' already exists");
        }
    }

    /** The kernel of a spec, a bad spec reported as Spark reports bad parameters. */
    static Kernel kernel(String spec) {
        try {
            return KernelSpec.parse(spec);
        } catch (Kernels4jException e) {
            throw new IllegalArgumentException("kernel '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** A vector's values, checked finite (the message names the column and the feature). */
    static double[] values(Row row, int index, String column, int expected) {
        Object o = row.get(index);
        if (o == null) {
            throw new IllegalArgumentException("the features column '" + column + "' has a null value");
        }
        double[] v = ((Vector) o).toArray();
        if (expected >= 0 && v.length != expected) {
            throw new IllegalArgumentException("the features column '" + column + "' has vectors of size "
                    + expected + " and " + v.length + "; all rows need the same size");
        }
        for (int j = 0; j < v.length; j++) {
            if (!Double.isFinite(v[j])) {
                throw new IllegalArgumentException("the features column '" + column + "' has a "
                        + (Double.isNaN(v[j]) ? "NaN" : "infinite") + " value at feature " + j
                        + "; drop or impute such rows first");
            }
        }
        return v;
    }

    /** A label, checked finite. */
    static double label(Row row, int index, String column) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("the label column '" + column + "' has a null value");
        }
        double y = ((Number) row.get(index)).doubleValue();
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("the label column '" + column + "' has a " + (Double.isNaN(y) ? "NaN"
                    : "infinite") + " value");
        }
        return y;
    }

    /** Up to {@code limit} rows of a partition as one block (none left: rows = 0, cols = −1 unless known). */
    static Block nextBlock(Iterator<Row> rows, int featureIndex, String featuresCol, int labelIndex, String labelCol,
            int limit) {
        List<double[]> xs = new ArrayList<>();
        double[] ys = labelIndex >= 0 ? new double[Math.min(limit, 1024)] : null;
        int d = -1;
        while (xs.size() < limit && rows.hasNext()) {
            Row r = rows.next();
            double[] v = values(r, featureIndex, featuresCol, d);
            d = v.length;
            if (ys != null) {
                if (xs.size() == ys.length) {
                    ys = Arrays.copyOf(ys, Math.min(limit, 2 * ys.length));
                }
                ys[xs.size()] = label(r, labelIndex, labelCol);
            }
            xs.add(v);
        }
        int n = xs.size();
        double[] x = new double[n * Math.max(d, 0)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs.get(i), 0, x, i * d, d);
        }
        return new Block(n, d, x, ys == null ? null : Arrays.copyOf(ys, n));
    }

    /**
     * The data set as one cached block per partition (features, and labels when {@code labelCol} is not null),
     * for estimators that pass over the data many times. The caller unpersists it.
     */
    static JavaRDD<Block> cachedBlocks(Dataset<?> data, String featuresCol, String labelCol) {
        StructType schema = data.schema();
        int fi = schema.fieldIndex(featuresCol);
        int li = labelCol == null ? -1 : schema.fieldIndex(labelCol);
        JavaRDD<Block> blocks = data.toDF().javaRDD().mapPartitions(it -> {
            Block b = nextBlock(it, fi, featuresCol, li, labelCol, Integer.MAX_VALUE);
            return List.of(b).iterator();
        });
        return blocks.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * Runs a task's numerical work with as many engine threads as the task was granted
     * ({@code TaskContext.cpus()}, {@code spark.task.cpus}), never more; on the driver the global setting.
     */
    static <T> T withTaskThreads(Supplier<T> call) {
        TaskContext tc = TaskContext.get();
        if (tc == null) {
            return call.get();
        }
        return Parallelism.withThreadLimit(Math.max(1, tc.cpus()), call);
    }

    /**
     * Runs a Spark action and, when a task failed on a user mistake (an IllegalArgumentException or a
     * kernels4j error on an executor), rethrows that cause's message as one IllegalArgumentException
     * instead of Spark's job-abort wrapper with the executor's stack trace.
     */
    static <T> T action(Supplier<T> call) {
        try {
            return call.get();
        } catch (Exception e) { // Spark's job abort is a (checked) SparkException thrown from Scala
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException || c instanceof Kernels4jException) {
                    throw new IllegalArgumentException(c.getMessage(), c);
                }
            }
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The depth of the tree aggregations of a per-iteration pass over this many partitions: 1 (every partial sum
     * straight to the driver, no extra stage) up to 64 partitions, 2 beyond. Spark's default depth 2 adds a
     * shuffle stage of partial sums once P &gt; ⌈√P⌉ + ⌈P/⌈√P⌉⌉ (from 7 partitions on); for a few dozen m-vectors
     * that stage costs more (task scheduling, shuffle files) than it saves on the driver.
     */
    static int aggregateDepth(int partitions) {
        return partitions <= 64 ? 1 : 2;
    }

    /** Adds b into a (same length), returning a: the combine step of every tree aggregation here. */
    static double[] addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** Per-block work of {@link #appendColumn}: the new column's value for each row of the block. */
    interface BlockFunction extends Serializable {
        Object[] apply(Matrix block);
    }

    /**
     * The rows of a partition with one more column, computed block by block ({@link #BLOCK_ROWS} rows at a time,
     * the block as one matrix, under the task's thread budget) so the scratch memory of a task stays bounded.
     */
    static Iterator<Row> appendColumn(Iterator<Row> rows, int featureIndex, String featuresCol, BlockFunction f) {
        return new Iterator<Row>() {
            private final List<Row> pending = new ArrayList<>();
            private Object[] values;
            private int next;

            @Override
            public boolean hasNext() {
                if (next < pending.size()) {
                    return true;
                }
                pending.clear();
                next = 0;
                int d = -1;
                List<double[]> xs = new ArrayList<>();
                while (pending.size() < BLOCK_ROWS && rows.hasNext()) {
                    Row r = rows.next();
                    double[] v = values(r, featureIndex, featuresCol, d);
                    d = v.length;
                    xs.add(v);
                    pending.add(r);
                }
                if (pending.isEmpty()) {
                    return false;
                }
                double[] x = new double[xs.size() * d];
                for (int i = 0; i < xs.size(); i++) {
                    System.arraycopy(xs.get(i), 0, x, i * d, d);
                }
                Matrix block = Matrix.wrap(xs.size(), d, x);
                values = withTaskThreads(() -> f.apply(block));
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Row r = pending.get(next);
                Object[] out = new Object[r.size() + 1];
                for (int j = 0; j < r.size(); j++) {
                    out[j] = r.get(j);
                }
                out[r.size()] = values[next++];
                return org.apache.spark.sql.RowFactory.create(out);
            }
        };
    }

    /** Rows of a matrix as ml.linalg dense vectors. */
    static Object[] vectors(Matrix m) {
        Object[] out = new Object[m.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = org.apache.spark.ml.linalg.Vectors.dense(m.row(i));
        }
        return out;
    }

    /** The schema with one more (nullable = false) column. */
    static StructType withColumn(StructType schema, String column, DataType type) {
        return schema.add(new StructField(column, type, false, org.apache.spark.sql.types.Metadata.empty()));
    }
}
