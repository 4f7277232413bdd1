package io.identityjoin.read;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.core.SourceRecords;
import io.identityjoin.output.IdentityMap;
import io.identityjoin.output.PersonIdAssignment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what earlier runs published under {@code output.path}: the identity_map whose ids a new
 * run keeps, and the ids the person_merges ledger ever named. A table is read as Delta when it has
 * a {@code _delta_log}, else as Parquet, whatever {@code output.format} says now.
 */
public final class PreviousOutput {

  private final SparkSession spark;
  private final OutputSettings output;
  private final FileSystem fs;

  public PreviousOutput(SparkSession spark, OutputSettings output, Configuration hadoopConf) {
    this.spark = spark;
    this.output = output;
    try {
      this.fs = new Path(output.path()).getFileSystem(hadoopConf);
    } catch (IOException e) {
      throw new UncheckedIOException("opening " + output.path() + " failed", e);
    }
  }

  /**
   * The previous tables, or empty when there is no identity_map yet. A result must not read them
   * from {@code output.path} as they will be after the run's own commit there (a write refreshes the
   * cached plans that read its path, and they would compare the new tables with themselves). Delta
   * tables are read at the version they have now (time travel: the files of a version stay until a
   * vacuum), so nothing is held in memory; Parquet tables, which the run's publish replaces, are read
   * once into the job (local checkpoints).
   */
  public Optional<PersonIdAssignment.Previous> read() {
    String ledger = OutputSettings.PERSON_MERGES;
    boolean ledgerDelta = isDelta(ledger);
    if (isDelta(OutputSettings.IDENTITY_MAP) && (ledgerDelta || !exists(new Path(output.tablePath(ledger))))) {
      Optional<Long> ledgerVersion = ledgerDelta ? Optional.of(latestVersion(ledger)) : Optional.empty();
      return identityMap(Optional.of(latestVersion(OutputSettings.IDENTITY_MAP))).map(map ->
          PersonIdAssignment.Previous.of(map, ledgerVersion.flatMap(v -> table(ledger, Optional.of(v)))));
    }
    return identityMap(Optional.empty()).map(map -> {
      PersonIdAssignment.Previous p = PersonIdAssignment.Previous.of(map, table(ledger, Optional.empty()));
      return new PersonIdAssignment.Previous(p.identityMap().localCheckpoint(), p.issuedIds().localCheckpoint());
    });
  }

  /** The version a Delta table is at now (its latest commit). */
  private long latestVersion(String table) {
    return DeltaTable.forPath(spark, output.tablePath(table)).history(1).select("version").first().getLong(0);
  }

  /**
   * The identity_map's columns that carry ids ({@code person_id, source, source_id, first_seen_run,
   * last_changed_run}; the last two null when the table predates them), at a Delta version if given.
   */
  public Optional<Dataset<Row>> identityMap(Optional<Long> version) {
    return table(OutputSettings.IDENTITY_MAP, version).map(t -> {
      List<String> columns = List.of(t.columns());
      return t.select(col(IdentityMap.PERSON_ID), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID),
          orNull(columns, PersonIdAssignment.FIRST_SEEN_RUN), orNull(columns, PersonIdAssignment.LAST_CHANGED_RUN));
    });
  }

  /**
   * True when {@code table} is published under the output path in the output's format: a Delta
   * table, or for Parquet output its folder.
   */
  public boolean published(String table) {
    return output.format() == TableFormat.DELTA ? isDelta(table) : exists(new Path(output.tablePath(table)));
  }

  /** True when {@code table} is a Delta table. */
  public boolean isDelta(String table) {
    return exists(new Path(output.tablePath(table), "_delta_log"));
  }

  private Optional<Dataset<Row>> table(String name, Optional<Long> version) {
    String path = output.tablePath(name);
    if (isDelta(name)) {
      DataFrameReader reader = spark.read().format("delta");
      version.ifPresent(v -> reader.option("versionAsOf", v));
      return Optional.of(reader.load(path));
    }
    return exists(new Path(path)) ? Optional.of(spark.read().parquet(path)) : Optional.empty();
  }

  private boolean exists(Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("checking " + p + " failed", e);
    }
  }

  private static Column orNull(List<String> columns, String name) {
    return columns.contains(name) ? col(name) : lit(null).cast("string").as(name);
  }
}
