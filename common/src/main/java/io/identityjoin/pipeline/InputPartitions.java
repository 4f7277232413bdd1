package io.identityjoin.pipeline;

import io.identityjoin.write.WriteTasks;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many partitions the rows read are spread over ({@code execution.rows-per-input-partition}):
 * at most one per that many rows, and at least two.
 *
 * <p>The read rows come in one partition per source file (or more), and every narrow stage built on
 * them (hub counts, the link joins' broadcast sides, the records) runs one task per partition. On a
 * small input each of those tasks is nearly all Spark's fixed cost per task (scheduling, task
 * deserialization, generating its projections' code when whole-stage code generation is off), so a
 * 1,000-record run of six sources ran its narrow stages as 12 tasks each. Merging the partitions
 * with {@link Dataset#coalesce} moves no data (the rows are cached) and never raises the count, so
 * inputs with more rows per partition than the setting keep theirs.
 */
public final class InputPartitions {

  private static final Logger LOG = LoggerFactory.getLogger(InputPartitions.class);

  /** Two tasks at the least: one per core of the smallest machine a run is timed on here. */
  static final int MIN_PARTITIONS = 2;

  private InputPartitions() {}

  /**
   * @param rowsRead the rows of {@code read} (as counted by the run)
   * @return {@code read} with at most {@code max(2, ceil(rowsRead / rowsPerPartition))} partitions;
   *     the same rows
   */
  public static Dataset<Row> atMost(Dataset<Row> read, long rowsRead, long rowsPerPartition) {
    int partitions = Math.max(MIN_PARTITIONS, WriteTasks.tasksFor(rowsRead, rowsPerPartition));
    LOG.info("input: {} rows read, in at most {} partitions ({} rows per partition)", String.format("%,d", rowsRead),
        partitions, String.format("%,d", rowsPerPartition));
    return read.coalesce(partitions);
  }
}
