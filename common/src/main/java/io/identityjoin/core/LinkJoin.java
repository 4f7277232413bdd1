package io.identityjoin.core;

import static org.apache.spark.sql.functions.broadcast;

import io.identityjoin.config.JoinStrategy;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where broadcast versus sort-merge is decided for a link join. Every link is an equi-join (never
 * the OR-join of the SQL recipe, which Spark can only run as a nested loop); this class picks how
 * that equi-join executes, as a hint Spark's planner and AQE honor.
 */
public final class LinkJoin {

  private LinkJoin() {}

  /**
   * Joins {@code big} with {@code small} on an equality {@code condition}. The side that may be
   * broadcast is {@code small} (for semi and anti joins it is the only side Spark can build).
   *
   * @param joinType "inner", "left_anti", ...
   */
  public static Dataset<Row> join(Dataset<Row> big, Dataset<Row> small, Column condition, String joinType,
      JoinStrategy strategy, long broadcastThresholdBytes) {
    return switch (strategy) {
      case BROADCAST -> big.join(broadcast(small), condition, joinType);
      case SORT_MERGE -> big.hint("merge").join(small.hint("merge"), condition, joinType);
      case AUTO -> estimatedBytes(small) < broadcastThresholdBytes
          ? big.join(broadcast(small), condition, joinType)
          : big.hint("merge").join(small.hint("merge"), condition, joinType);
    };
  }

  /**
   * Whether {@code rows} counted rows, at most {@code rowBytes} each as a broadcast holds them, fit
   * under the threshold: where the run knows a side's rows, this decides instead of Spark's estimate
   * (which, for a checkpoint, is that of what it was built from).
   */
  static boolean fitsBroadcast(long rows, long rowBytes, long broadcastThresholdBytes) {
    return rows <= broadcastThresholdBytes / rowBytes;
  }

  /** Spark's own size estimate of a plan (file sizes and row widths; no job is run). */
  public static long estimatedBytes(Dataset<Row> ds) {
    scala.math.BigInt size = ds.queryExecution().optimizedPlan().stats().sizeInBytes();
    return size.isValidLong() ? size.longValue() : Long.MAX_VALUE;
  }
}
