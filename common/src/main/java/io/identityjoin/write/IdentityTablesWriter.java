package io.identityjoin.write;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the output tables so that a failed run never leaves a half-written table where a good
 * one was.
 * <ul>
 *   <li>Delta: each table is replaced by one overwrite commit (with {@code overwriteSchema}), or for
 *       an append-only table ({@code person_merges}) gains one append commit; a run that dies before
 *       a commit leaves the previous version current. Every commit carries the run's metadata
 *       ({@code userMetadata}, shown by {@code DESCRIBE HISTORY}). The replaced tables are written
 *       together (see {@link ConcurrentWrites}); append-only tables are committed after all of
 *       them have, in order, and not at all if one failed.</li>
 *   <li>Parquet: every table is first written whole under {@code <output>/_staging/<run-id>/} (an
 *       append-only table as its current rows plus the new ones); when all are written a
 *       {@code _READY} marker is created and each table is swapped in with two renames (current to
 *       {@code <table>.previous}, staged to current). The next run (or the next {@link #recover})
 *       finishes a swap that a crash interrupted after {@code _READY}, so the tables are published
 *       all together or not at all.</li>
 * </ul>
 * Their columns of distinct values are written without Parquet's dictionary (see
 * {@link DistinctValueColumns}).
 * On object stores a rename is a copy; there, prefer Delta.
 */
public final class IdentityTablesWriter {

  private static final Logger LOG = LoggerFactory.getLogger(IdentityTablesWriter.class);
  static final String STAGING = "_staging";
  static final String PREVIOUS_SUFFIX = ".previous";
  static final String READY = "_READY";

  /**
   * The only columns Delta keeps min/max statistics for. Delta writes statistics into _delta_log
   * and Spark logs new snapshots, statistics included, at INFO: a column holding input ids or
   * e-mail addresses (source_id, email, {@code <source>_id}) must not be among them. Set when a
   * table is created (Delta ignores the option on an existing table).
   */
  static final List<String> DELTA_STATS_COLUMNS = List.of("person_id", "source", "match_rule", "record_count",
      "person_bucket");

  /**
   * A table to publish, with its partition columns.
   *
   * @param append the rows are added to the table's current rows instead of replacing them
   */
  public record Table(String name, Dataset<Row> rows, List<String> partitionBy, boolean append) {
    public Table(String name, Dataset<Row> rows, List<String> partitionBy) {
      this(name, rows, partitionBy, false);
    }
  }

  private final OutputSettings output;
  private final Configuration hadoopConf;

  public IdentityTablesWriter(OutputSettings output, Configuration hadoopConf) {
    this.output = output;
    this.hadoopConf = hadoopConf;
  }

  /** Writes every table, then publishes them all; nothing is published if any write fails. */
  public void publish(List<Table> tables, String runId) {
    publish(tables, runId, runId);
  }

  /**
   * As {@link #publish(List, String)}; Delta commits carry {@code commitMetadata}, in the order of
   * {@code tables}.
   */
  public void publish(List<Table> tables, String runId, String commitMetadata) {
    if (tables.isEmpty()) {
      return;
    }
    try (DistinctValueColumns plain = DistinctValueColumns.plainFor(tables.get(0).rows().sparkSession(),
        tables.stream().map(t -> t.rows().schema()).toList())) {
      publishTables(tables, runId, commitMetadata);
    }
  }

  private void publishTables(List<Table> tables, String runId, String commitMetadata) {
    recover();
    if (output.format() == TableFormat.DELTA) {
      ConcurrentWrites.run(tables, t -> {
        LOG.info("stage write {} (delta commit)", t.name());
        DataFrameWriter<Row> w = t.append() ? t.rows().write().mode(SaveMode.Append)
            : overwrite(t.rows(), t).option("overwriteSchema", "true").options(deltaStatsOptions(t));
        w.format("delta").option("userMetadata", commitMetadata).save(output.tablePath(t.name()));
      });
      return;
    }
    Path stagingRun = new Path(output.tablePath(STAGING), runId);
    try {
      FileSystem fs = stagingRun.getFileSystem(hadoopConf);
      ConcurrentWrites.run(tables, t -> {
        Dataset<Row> rows = t.rows();
        Path current = new Path(output.tablePath(t.name()));
        LOG.info("stage write {} (parquet, staged)", t.name());
        try {
          if (t.append() && fs.exists(current)) {
            rows = rows.sparkSession().read().parquet(current.toString()).unionByName(rows, true);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("reading " + current + " failed", e);
        }
        overwrite(rows, t).format("parquet").save(new Path(stagingRun, t.name()).toString());
      });
      fs.create(new Path(stagingRun, READY), false).close();
      LOG.info("stage swap: moving {} staged tables into place", tables.size());
      swapIn(fs, stagingRun);
      fs.delete(stagingRun, true);
      deleteIfEmpty(fs, stagingRun.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("publishing tables under " + output.path() + " failed", e);
    }
  }

  /**
   * Finishes or undoes what a run that died while publishing Parquet tables left: a run that had
   * written every table ({@code _READY}) has its swap finished; otherwise a table missing from its
   * place is restored from its {@code .previous} copy. Staging folders are removed.
   */
  public void recover() {
    Path staging = new Path(output.tablePath(STAGING));
    try {
      FileSystem fs = staging.getFileSystem(hadoopConf);
      if (!fs.exists(staging)) {
        return;
      }
      for (FileStatus run : fs.listStatus(staging)) {
        if (fs.exists(new Path(run.getPath(), READY))) {
          LOG.warn("Finishing the publish of an interrupted run from {}", run.getPath());
          swapIn(fs, run.getPath());
        }
        for (FileStatus entry : fs.listStatus(run.getPath())) {
          String name = entry.getPath().getName();
          if (name.endsWith(PREVIOUS_SUFFIX)) {
            Path current = new Path(output.tablePath(name.substring(0, name.length() - PREVIOUS_SUFFIX.length())));
            if (!fs.exists(current)) {
              LOG.warn("Restoring {} from an interrupted run's previous copy", current);
              rename(fs, entry.getPath(), current);
            }
          }
        }
        fs.delete(run.getPath(), true);
      }
      deleteIfEmpty(fs, staging);
    } catch (IOException e) {
      throw new UncheckedIOException("recovering interrupted output under " + output.path() + " failed", e);
    }
  }

  static Map<String, String> deltaStatsOptions(Table t) {
    List<String> columns = List.of(t.rows().columns());
    // Delta refuses statistics on partition columns (their values are in the file paths anyway).
    List<String> stats = DELTA_STATS_COLUMNS.stream()
        .filter(c -> columns.contains(c) && !t.partitionBy().contains(c)).toList();
    return stats.isEmpty() ? Map.of("delta.dataSkippingNumIndexedCols", "0")
        : Map.of("delta.dataSkippingStatsColumns", String.join(",", stats));
  }

  private static DataFrameWriter<Row> overwrite(Dataset<Row> rows, Table t) {
    return rows.write().mode(SaveMode.Overwrite).partitionBy(t.partitionBy().toArray(String[]::new));
  }

  /** Moves each table staged under {@code stagingRun} into place; tables already moved are skipped. */
  private void swapIn(FileSystem fs, Path stagingRun) throws IOException {
    for (FileStatus entry : fs.listStatus(stagingRun)) {
      String name = entry.getPath().getName();
      if (!entry.isDirectory() || name.endsWith(PREVIOUS_SUFFIX)) {
        continue;
      }
      Path current = new Path(output.tablePath(name));
      Path previous = new Path(stagingRun, name + PREVIOUS_SUFFIX);
      if (fs.exists(current)) {
        rename(fs, current, previous);
      }
      rename(fs, entry.getPath(), current);
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  private static void deleteIfEmpty(FileSystem fs, Path dir) throws IOException {
    if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
      fs.delete(dir, false);
    }
  }
}
