package io.identityjoin.jobs;

import static org.apache.spark.sql.functions.lit;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.core.Suppression;
import io.identityjoin.output.EmailPrivacy;
import io.identityjoin.output.PersonIdAssignment;
import io.identityjoin.output.RecordMoves;
import io.identityjoin.pipeline.DryRunReport;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.NamedCaches;
import io.identityjoin.pipeline.OutputInvariant;
import io.identityjoin.pipeline.RunSummary;
import io.identityjoin.pipeline.StageClock;
import io.identityjoin.read.CorruptFiles;
import io.identityjoin.read.PreviousOutput;
import io.identityjoin.read.SourceReader;
import io.identityjoin.report.ReportHtml;
import io.identityjoin.report.RunReport;
import io.identityjoin.write.DryRunReportWriter;
import io.identityjoin.write.IdentityTablesWriter;
import io.identityjoin.write.PersonMergesRepair;
import io.identityjoin.write.RunSummaryWriter;
import io.identityjoin.write.WriteTasks;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
    try (HadoopConfScope ignored = HadoopConfScope.apply(spark, settings.hadoopConf())) {
      return runWithConf(spark, settings);
    }
  }

  private static RunSummary runWithConf(SparkSession spark, Settings settings) {
    String runId = newRunId();
    StageClock clock = new StageClock();
    Configuration hadoopConf = spark.sessionState().newHadoopConf();
    Inputs in = read(spark, settings, clock, hadoopConf);
    PreviousOutput previousOutput = new PreviousOutput(spark, settings.output(), hadoopConf);
    new IdentityTablesWriter(settings.output(), hadoopConf).recover();
    PersonMergesRepair.repair(spark, settings.output(), previousOutput);
    IdentityResolution.Result result = resolve(in, settings, runId, clock, previousOutput.read());
    try {
      return verifyAndPublish(spark, settings, result, in.corruptFilesSkipped(), runId, clock);
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
    try (HadoopConfScope ignored = HadoopConfScope.apply(spark, settings.hadoopConf())) {
      String runId = newRunId();
      StageClock clock = new StageClock();
      Configuration hadoopConf = spark.sessionState().newHadoopConf();
      Inputs in = read(spark, settings, clock, hadoopConf);
      Optional<PersonIdAssignment.Previous> previous = new PreviousOutput(spark, settings.output(), hadoopConf).read();
      IdentityResolution.Result result = resolve(in, settings, runId, clock, previous);
      NamedCaches caches = new NamedCaches();
      Dataset<Row> moves = caches.cache(RecordMoves.of(previous.map(PersonIdAssignment.Previous::identityMap)
          .orElseGet(() -> result.identityMap().where(lit(false))), result.identityMap()), "record_moves");
      try {
        String dir = reportDir.orElseGet(() -> settings.output().tablePath(DRY_RUN_DIR) + "/" + runId);
        DryRunReport report = DryRunReport.of(result.summary().withStageSeconds(clock.seconds()),
            result.personMerges(), moves, dir);
        DryRunReportWriter.write(report, result.personMerges(), moves, hadoopConf);
        return report;
      } finally {
        caches.release(spark);
        result.release();
      }
    }
  }

  /** What a run reads, checked: the sources, the suppression list, the unreadable files skipped. */
  private record Inputs(Map<String, Dataset<Row>> tables, Optional<Dataset<Row>> suppression,
      Map<String, Long> corruptFilesSkipped) {}

  private static Inputs read(SparkSession spark, Settings settings, StageClock clock, Configuration hadoopConf) {
    requireDeltaSession(spark, settings);
    EmailPrivacy.of(settings.output(), System.getenv()); // an unset salt variable fails here, before reading
    Map<String, Dataset<Row>> tables = clock.time("read", () -> readSources(spark, settings));
    Optional<Dataset<Row>> suppression = settings.suppression()
        .map(list -> Suppression.list(SourceReader.readSuppression(spark, list), list));
    Map<String, Long> corruptFilesSkipped = clock.time("read", () -> corruptFilesSkipped(settings, tables, hadoopConf));
    return new Inputs(tables, suppression, corruptFilesSkipped);
  }

  private static IdentityResolution.Result resolve(Inputs in, Settings settings, String runId, StageClock clock,
      Optional<PersonIdAssignment.Previous> previous) {
    try {
      return IdentityResolution.run(in.tables(), in.suppression(), settings, runId, clock, previous);
    } catch (Exception e) { // Spark's SparkException is checked, though nothing declares it
      Optional<IdentityJoinException> unreadable = CorruptFiles.explain(e, settings.sources(), in.tables());
      if (unreadable.isPresent()) {
        throw unreadable.get();
      }
      throw e;
    }
  }

  /**
   * Delta reads and writes need Delta's session extension and catalog; without them Delta fails
   * deep inside the first read or write. Say so up front, naming the settings (Databricks
   * configures Delta itself).
   */
  static void requireDeltaSession(SparkSession spark, Settings settings) {
    boolean usesDelta = settings.output().format() == TableFormat.DELTA
        || settings.sources().stream().anyMatch(s -> s.format() == TableFormat.DELTA);
    boolean databricks = spark.conf().getOption("spark.databricks.clusterUsageTags.sparkVersion").isDefined();
    String extensions = spark.conf().get("spark.sql.extensions", "");
    if (usesDelta && !databricks && !extensions.contains("io.delta.sql.DeltaSparkSessionExtension")) {
      throw new IdentityJoinException("Delta tables are configured (output.format or a source's format) but the "
          + "Spark session lacks Delta: set --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension "
          + "--conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog "
          + "(and --packages io.delta:delta-spark_2.12:3.3.2)");
    }
  }

  /**
   * Checks the output invariant on the identity_map about to be written, and publishes the tables
   * and the summary only if it holds; otherwise throws and publishes nothing.
   */
  static RunSummary verifyAndPublish(SparkSession spark, Settings settings, IdentityResolution.Result result,
      Map<String, Long> corruptFilesSkipped, String runId, StageClock clock) {
    OutputInvariant.Result invariant = clock.time("verify",
        () -> OutputInvariant.check(result.summary().sources(), result.identityMap()));
    invariant.requireHolds();
    Configuration hadoopConf = spark.sessionState().newHadoopConf();
    EmailPrivacy email = EmailPrivacy.of(settings.output(), System.getenv());
    clock.time("write", () -> write(result, email, settings, hadoopConf, runId,
        new PreviousOutput(spark, settings.output(), hadoopConf)));
    RunSummary summary = result.summary()
        .withSafeguards(result.summary().safeguards().withCorruptFilesSkipped(corruptFilesSkipped)
            .withInvariant(invariant))
        .withStageSeconds(clock.seconds());
    RunSummaryWriter.write(summary, settings.output(), hadoopConf);
    // report.html shows the tables as written: e-mails hashed or dropped as output.email says.
    RunReport report = RunReport.collect(summary, result.guards().withEmails(email::text),
        email.apply(result.identityMap()), email.apply(result.userIdentities()));
    RunSummaryWriter.writeFile(OutputSettings.REPORT_FILE, ReportHtml.render(report), settings.output(), hadoopConf);
    return summary;
  }

  /** Unreadable files skipped, per source that has {@code ignore-corrupt-files = true}. */
  private static Map<String, Long> corruptFilesSkipped(Settings settings, Map<String, Dataset<Row>> tables,
      Configuration hadoopConf) {
    Map<String, Long> skipped = new LinkedHashMap<>();
    for (SourceSettings source : settings.sources()) {
      if (source.ignoresCorruptFiles()) {
        skipped.put(source.name(), (long) CorruptFiles.skipped(source, tables.get(source.name()), hadoopConf).size());
      }
    }
    return skipped;
  }

  /** Every configured source's table, read and checked (nothing is computed yet). */
  public static Map<String, Dataset<Row>> readSources(SparkSession spark, Settings settings) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (SourceSettings source : settings.sources()) {
      tables.put(source.name(), SourceReader.read(spark, source));
    }
    return tables;
  }

  /**
   * Delta commits identity_map and user_identities side by side, then the ledger (see
   * PersonMergesRepair). A run that changed no person id appends no ledger commit once the ledger
   * exists: an empty append is a Spark job, an empty file and a Delta commit that add nothing (a
   * quarter of a second of a 67,500-record re-run's write stage). The first run creates the ledger,
   * empty or not.
   */
  private static void write(IdentityResolution.Result result, EmailPrivacy email, Settings settings,
      Configuration hadoopConf, String runId, PreviousOutput published) {
    OutputSettings out = settings.output();
    List<String> userPartitions = out.userIdentitiesPartitionBy().map(List::of).orElse(List.of());
    long ledgerRows = result.personMerges().count();
    String metadata = new PersonMergesRepair.CommitMetadata(runId, ledgerRows).toJson();
    long rowsPerTask = settings.execution().rowsPerWriteTask();
    List<IdentityTablesWriter.Table> tables = new ArrayList<>(List.of(
        new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP,
            WriteTasks.atMost(email.apply(result.identityMap()), result.summary().recordsTotal(), rowsPerTask),
            List.of("source")),
        new IdentityTablesWriter.Table(OutputSettings.USER_IDENTITIES,
            WriteTasks.atMost(email.apply(result.userIdentities()), result.summary().persons(), rowsPerTask),
            userPartitions)));
    if (ledgerRows > 0 || !published.published(OutputSettings.PERSON_MERGES)) {
      tables.add(new IdentityTablesWriter.Table(OutputSettings.PERSON_MERGES, result.personMerges(), List.of(), true));
    }
    new IdentityTablesWriter(out, hadoopConf).publish(tables, runId, metadata);
  }

  static String newRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
