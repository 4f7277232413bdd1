package io.identityjoin.write;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How many tasks write a table: at most one per {@code rowsPerTask} rows
 * ({@code execution.rows-per-write-task}).
 *
 * <p>A writing task writes one file per partition value it holds, so a table written straight from
 * its last shuffle's partitions has (tasks × partition values) files: a 1,000-record run wrote 48
 * identity_map files (8 tasks × 6 sources) and 116 user_identities files (16 buckets), each a few
 * kilobytes, and every file is a create, a rename and, on an object store, a request. Merging the
 * partitions with {@link Dataset#coalesce} moves no data (no shuffle) and only ever lowers the count;
 * the job's tables are cached by the time they are written, so the merged tasks read cached blocks
 * and the work before them keeps its parallelism.
 */
public final class WriteTasks {

  private WriteTasks() {}

  /**
   * @param rowCount the table's rows (as counted by the run)
   * @return {@code rows} with at most {@code ceil(rowCount / rowsPerTask)} partitions (at least one);
   *     the same rows
   */
  public static Dataset<Row> atMost(Dataset<Row> rows, long rowCount, long rowsPerTask) {
    return rows.coalesce(tasksFor(rowCount, rowsPerTask));
  }

  /** {@code ceil(rowCount / rowsPerTask)}, at least 1, at most {@link Integer#MAX_VALUE}. */
  public static int tasksFor(long rowCount, long rowsPerTask) {
    if (rowsPerTask < 1) {
      throw new IllegalArgumentException("rowsPerTask must be >= 1: " + rowsPerTask);
    }
    long n = Math.max(0, rowCount);
    long tasks = Math.max(1, n / rowsPerTask + (n % rowsPerTask == 0 ? 0 : 1));
    return (int) Math.min(Integer.MAX_VALUE, tasks);
  }
}
