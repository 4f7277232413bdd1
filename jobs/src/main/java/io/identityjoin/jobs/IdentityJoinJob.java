package io.identityjoin.jobs;

import static org.apache.spark.sql.functions.lit;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.output.PersonIdAssignment;
import io.identityjoin.output.RecordMoves;
import io.identityjoin.pipeline.DryRunReport;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.RunSummary;
import io.identityjoin.pipeline.StageClock;
import io.identityjoin.read.PreviousOutput;
import io.identityjoin.read.SourceReader;
import io.identityjoin.write.DryRunReportWriter;
import io.identityjoin.write.IdentityTablesWriter;
import io.identityjoin.write.PersonMergesRepair;
import io.identityjoin.write.RunSummaryWriter;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The identity job: read every source, resolve identities, publish the tables and the summary.
 * {@link #main} is what spark-submit and a Databricks JAR task call: it uses the session the
 * platform gives ({@code getOrCreate}, no master set here), never stops it and never exits the JVM;
 * a failure surfaces as an exception.
 */
public final class IdentityJoinJob {

  /** Folder under output.path that receives dry-run reports by default. */
  public static final String DRY_RUN_DIR = "_dry_run";

  private IdentityJoinJob() {}

  /** {@code --config FILE}, {@code --set key=value} (repeatable); see {@link IdentityJoinCommand}. */
  public static void main(String[] args) {
    int code = IdentityJoinCommand.execute(args);
    if (code != 0) {
      throw new IllegalStateException("identity-join failed (exit code " + code + "); the reason is printed above");
    }
  }

  public static SparkSession session() {
    return SparkSession.builder().appName("identity-join").getOrCreate();
  }

  /**
   * One run: everything is read and checked before anything is written. Ids are kept from the
   * tables already under {@code output.path}; before reading them, a publish or a ledger append
   * that a crash interrupted is finished.
   */
  public static RunSummary run(SparkSession spark, Settings settings) {
    String runId = newRunId();
    StageClock clock = new StageClock();
    Map<String, Dataset<Row>> tables = clock.time("read", () -> readSources(spark, settings));
    Configuration hadoopConf = spark.sessionState().newHadoopConf();
    IdentityTablesWriter writer = new IdentityTablesWriter(settings.output(), hadoopConf);
    PreviousOutput previousOutput = new PreviousOutput(spark, settings.output(), hadoopConf);
    writer.recover();
    PersonMergesRepair.repair(spark, settings.output(), previousOutput);
    IdentityResolution.Result result = IdentityResolution.run(tables, settings, runId, clock, previousOutput.read());
    try {
      clock.time("write", () -> write(result, settings, writer, runId));
      RunSummary summary = result.summary().withStageSeconds(clock.seconds());
      RunSummaryWriter.write(summary, settings.output(), hadoopConf);
      return summary;
    } finally {
      result.release();
    }
  }

  /**
   * A run that publishes nothing: it computes the new tables against those under
   * {@code output.path} and reports what would change, to {@code reportDir} (default
   * {@code <output.path>/_dry_run/<run-id>/}).
   */
  public static DryRunReport dryRun(SparkSession spark, Settings settings, Optional<String> reportDir) {
    String runId = newRunId();
    StageClock clock = new StageClock();
    Map<String, Dataset<Row>> tables = clock.time("read", () -> readSources(spark, settings));
    Configuration hadoopConf = spark.sessionState().newHadoopConf();
    Optional<PersonIdAssignment.Previous> previous =
        new PreviousOutput(spark, settings.output(), hadoopConf).read();
    IdentityResolution.Result result = IdentityResolution.run(tables, settings, runId, clock, previous);
    Dataset<Row> moves = RecordMoves.of(previous.map(PersonIdAssignment.Previous::identityMap)
        .orElseGet(() -> result.identityMap().where(lit(false))), result.identityMap()).cache();
    try {
      String dir = reportDir.orElseGet(() -> settings.output().tablePath(DRY_RUN_DIR) + "/" + runId);
      DryRunReport report = DryRunReport.of(result.summary().withStageSeconds(clock.seconds()),
          result.personMerges(), moves, dir);
      DryRunReportWriter.write(report, result.personMerges(), moves, hadoopConf);
      return report;
    } finally {
      moves.unpersist();
      result.release();
    }
  }

  static Map<String, Dataset<Row>> readSources(SparkSession spark, Settings settings) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (SourceSettings source : settings.sources()) {
      tables.put(source.name(), SourceReader.read(spark, source));
    }
    return tables;
  }

  /** Delta commits in this order: identity_map, user_identities, then the ledger (see PersonMergesRepair). */
  private static void write(IdentityResolution.Result result, Settings settings, IdentityTablesWriter writer,
      String runId) {
    OutputSettings out = settings.output();
    List<String> userPartitions = out.userIdentitiesPartitionBy().map(List::of).orElse(List.of());
    String metadata = new PersonMergesRepair.CommitMetadata(runId, result.personMerges().count()).toJson();
    writer.publish(List.of(
        new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP, result.identityMap(), List.of("source")),
        new IdentityTablesWriter.Table(OutputSettings.USER_IDENTITIES, result.userIdentities(), userPartitions),
        new IdentityTablesWriter.Table(OutputSettings.PERSON_MERGES, result.personMerges(), List.of(), true)),
        runId, metadata);
  }

  static String newRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
