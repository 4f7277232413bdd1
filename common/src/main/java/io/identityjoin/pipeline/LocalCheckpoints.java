package io.identityjoin.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.LogicalRDD;

/**
 * Frees a local checkpoint's blocks once nothing will read it again. {@code Dataset.localCheckpoint}
 * keeps its rows in the block managers until Spark's context cleaner notices that the checkpoint's
 * RDD is unreachable, and the run's caches (identity_map's among them) hold every checkpoint they
 * were computed from in their plans until the run ends: at 4M records the link stage's checkpoints
 * stayed on the heap through the output's verification and writes.
 *
 * <p>Only for a checkpoint nothing reads any more, and whose readers' caches are filled: a filled
 * cache keeps its blocks (memory and disk) and does not go back to its inputs; if one had to (an
 * executor lost on a cluster) it would fail as a lost local checkpoint already does.
 */
final class LocalCheckpoints {

  private LocalCheckpoints() {}

  /**
   * Unpersists the RDD behind {@code checkpoint} (what {@code localCheckpoint} returned).
   *
   * @return false, doing nothing, when {@code checkpoint} is not a checkpoint's Dataset
   */
  static boolean release(Dataset<Row> checkpoint) {
    LogicalPlan plan = checkpoint.queryExecution().logical();
    if (plan instanceof LogicalRDD rdd) {
      rdd.rdd().unpersist(false);
      return true;
    }
    return false;
  }
}
