package io.identityjoin.graph;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Moves columns of longs between the executors and the driver as packed bytes, one block per
 * partition, instead of one {@link Row} object per row. For the driver finish of connected
 * components a million edges collected as rows cost more than the union-find itself: the driver
 * decodes every row on its own thread, and a labels table built from a list of rows is encoded row
 * by row and shipped as rows. Here the executors pack and unpack, in parallel.
 */
final class DriverTransfer {

  private DriverTransfer() {}

  /**
   * Every row's values, row after row, column after column: {@code width} longs per row. The
   * columns must be non-null bigints.
   */
  static long[] collect(Dataset<Row> rows) {
    int width = rows.columns().length;
    List<byte[]> blocks = rows.mapPartitions((MapPartitionsFunction<Row, byte[]>) it -> {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
      DataOutputStream out = new DataOutputStream(bytes);
      while (it.hasNext()) {
        Row r = it.next();
        for (int c = 0; c < width; c++) {
          out.writeLong(r.getLong(c));
        }
      }
      out.flush();
      return List.of(bytes.toByteArray()).iterator();
    }, Encoders.BINARY()).collectAsList();
    long total = 0;
    for (byte[] b : blocks) {
      total += b.length / Long.BYTES;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(total + " values are too many to collect into one array");
    }
    long[] values = new long[(int) total];
    int at = 0;
    for (byte[] b : blocks) {
      LongBuffer in = ByteBuffer.wrap(b).asLongBuffer();
      int n = in.remaining();
      in.get(values, at, n);
      at += n;
    }
    return values;
  }

  /**
   * A table of two non-null bigint columns from the driver's arrays ({@code first[i], second[i]}),
   * in {@code blocks} partitions.
   */
  static Dataset<Row> pairs(SparkSession spark, long[] first, long[] second, String firstName, String secondName,
      int blocks) {
    int n = first.length;
    int parts = Math.max(1, Math.min(blocks, n));
    List<Row> packed = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      ByteBuffer b = ByteBuffer.allocate((to - from) * 2 * Long.BYTES);
      for (int i = from; i < to; i++) {
        b.putLong(first[i]).putLong(second[i]);
      }
      packed.add(RowFactory.create((Object) b.array()));
    }
    StructType blockSchema = new StructType().add("block", DataTypes.BinaryType, false);
    StructType schema = new StructType()
        .add(firstName, DataTypes.LongType, false)
        .add(secondName, DataTypes.LongType, false);
    // Over an RDD of the blocks, not a local table of them. Spark's planner sizes a local table by its
    // rows, a few blocks of bytes, so every join with the labels (a table and its checkpoints keep the
    // estimate) broadcast them: at 4M records 2.9M labels, a 256 MiB hash table built on the driver
    // for each query, and held there as long as a cache built on that query is. A table over an RDD
    // has no size estimate, so it is joined by shuffle; adaptive execution still broadcasts a small
    // one once its shuffle has run and its size is known.
    JavaRDD<Row> blocksRdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(packed, parts);
    return spark.createDataFrame(blocksRdd, blockSchema)
        .flatMap((FlatMapFunction<Row, Row>) r -> unpack((byte[]) r.get(0)), Encoders.row(schema));
  }

  private static Iterator<Row> unpack(byte[] block) {
    LongBuffer in = ByteBuffer.wrap(block).asLongBuffer();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.remaining() >= 2;
      }

      @Override
      public Row next() {
        return RowFactory.create(in.get(), in.get());
      }
    };
  }
}
