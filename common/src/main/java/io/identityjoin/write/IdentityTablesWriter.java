package io.identityjoin.write;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the output tables so that a failed run never leaves a half-written table where a good
 * one was.
 * <ul>
 *   <li>Delta: each table is replaced by one overwrite commit (with {@code overwriteSchema}); a run
 *       that dies before the commit leaves the previous version current.</li>
 *   <li>Parquet: every table is first written whole under {@code <output>/_staging/<run-id>/}; only
 *       when all are written is each swapped in with two renames (current to
 *       {@code <table>.previous}, staged to current). A run that died between the two renames is
 *       repaired by the next run (or the next {@link #recover}), which puts the previous table
 *       back before doing anything else.</li>
 * </ul>
 * On object stores a rename is a copy; there, prefer Delta.
 */
public final class IdentityTablesWriter {

  private static final Logger LOG = LoggerFactory.getLogger(IdentityTablesWriter.class);
  static final String STAGING = "_staging";
  static final String PREVIOUS_SUFFIX = ".previous";

  /**
   * The only columns Delta keeps min/max statistics for. Delta writes statistics into _delta_log
   * and Spark logs new snapshots, statistics included, at INFO: a column holding input ids or
   * e-mail addresses (source_id, email, {@code <source>_id}) must not be among them. Set when a
   * table is created (Delta ignores the option on an existing table).
   */
  static final List<String> DELTA_STATS_COLUMNS = List.of("person_id", "source", "match_rule", "record_count",
      "person_bucket");

  /** A table to publish, with its partition columns. */
  public record Table(String name, Dataset<Row> rows, List<String> partitionBy) {}

  private final OutputSettings output;
  private final Configuration hadoopConf;

  public IdentityTablesWriter(OutputSettings output, Configuration hadoopConf) {
    this.output = output;
    this.hadoopConf = hadoopConf;
  }

  /** Writes every table, then publishes them all; nothing is published if any write fails. */
  public void publish(List<Table> tables, String runId) {
    recover();
    if (output.format() == TableFormat.DELTA) {
      for (Table t : tables) {
        LOG.info("stage write {} (delta commit)", t.name());
        writer(t).format("delta").option("overwriteSchema", "true").options(deltaStatsOptions(t))
            .save(output.tablePath(t.name()));
      }
      return;
    }
    Map<Table, Path> staged = new LinkedHashMap<>();
    Path stagingRun = new Path(output.tablePath(STAGING), runId);
    for (Table t : tables) {
      Path p = new Path(stagingRun, t.name());
      LOG.info("stage write {} (parquet, staged)", t.name());
      writer(t).format("parquet").save(p.toString());
      staged.put(t, p);
    }
    try {
      FileSystem fs = stagingRun.getFileSystem(hadoopConf);
      LOG.info("stage swap: moving {} staged tables into place", staged.size());
      for (Map.Entry<Table, Path> e : staged.entrySet()) {
        Path current = new Path(output.tablePath(e.getKey().name()));
        Path previous = new Path(stagingRun, e.getKey().name() + PREVIOUS_SUFFIX);
        if (fs.exists(current)) {
          rename(fs, current, previous);
        }
        rename(fs, e.getValue(), current);
      }
      fs.delete(stagingRun, true);
      deleteIfEmpty(fs, stagingRun.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("publishing tables under " + output.path() + " failed", e);
    }
  }

  /**
   * Finishes or undoes what a run that died while publishing Parquet tables left: a table missing
   * from its place is restored from its {@code .previous} copy; staging folders are removed.
   */
  public void recover() {
    Path staging = new Path(output.tablePath(STAGING));
    try {
      FileSystem fs = staging.getFileSystem(hadoopConf);
      if (!fs.exists(staging)) {
        return;
      }
      for (FileStatus run : fs.listStatus(staging)) {
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

  private static org.apache.spark.sql.DataFrameWriter<Row> writer(Table t) {
    return t.rows().write().mode(SaveMode.Overwrite).partitionBy(t.partitionBy().toArray(String[]::new));
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
