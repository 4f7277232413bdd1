package io.identityjoin.jobs;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.core.Suppression;
import io.identityjoin.output.EmailPrivacy;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.OutputInvariant;
import io.identityjoin.pipeline.RunSummary;
import io.identityjoin.pipeline.StageClock;
import io.identityjoin.read.CorruptFiles;
import io.identityjoin.read.SourceReader;
import io.identityjoin.write.IdentityTablesWriter;
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

  /** One run: everything is read and checked before anything is written. */
  public static RunSummary run(SparkSession spark, Settings settings) {
    try (HadoopConfScope ignored = HadoopConfScope.apply(spark, settings.hadoopConf())) {
      return runWithConf(spark, settings);
    }
  }

  private static RunSummary runWithConf(SparkSession spark, Settings settings) {
    requireDeltaSession(spark, settings);
    String runId = newRunId();
    EmailPrivacy.of(settings.output(), System.getenv()); // an unset salt variable fails here, before reading
    StageClock clock = new StageClock();
    Configuration hadoopConf = spark.sessionState().newHadoopConf();
    Map<String, Dataset<Row>> tables = clock.time("read", () -> readSources(spark, settings));
    Optional<Dataset<Row>> suppression = settings.suppression()
        .map(list -> Suppression.list(SourceReader.readSuppression(spark, list), list));
    Map<String, Long> corruptFilesSkipped = clock.time("read", () -> corruptFilesSkipped(settings, tables, hadoopConf));
    IdentityResolution.Result result;
    try {
      result = IdentityResolution.run(tables, suppression, settings, runId, clock);
    } catch (Exception e) { // Spark's SparkException is checked, though nothing declares it
      Optional<IdentityJoinException> unreadable = CorruptFiles.explain(e, settings.sources(), tables);
      if (unreadable.isPresent()) {
        throw unreadable.get();
      }
      throw e;
    }
    try {
      return verifyAndPublish(spark, settings, result, corruptFilesSkipped, runId, clock);
    } finally {
      result.release();
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
    clock.time("write", () -> write(result, email, settings, hadoopConf, runId));
    RunSummary summary = result.summary()
        .withSafeguards(result.summary().safeguards().withCorruptFilesSkipped(corruptFilesSkipped)
            .withInvariant(invariant))
        .withStageSeconds(clock.seconds());
    RunSummaryWriter.write(summary, settings.output(), hadoopConf);
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

  static Map<String, Dataset<Row>> readSources(SparkSession spark, Settings settings) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (SourceSettings source : settings.sources()) {
      tables.put(source.name(), SourceReader.read(spark, source));
    }
    return tables;
  }

  private static void write(IdentityResolution.Result result, EmailPrivacy email, Settings settings,
      Configuration hadoopConf, String runId) {
    OutputSettings out = settings.output();
    List<String> userPartitions = out.userIdentitiesPartitionBy().map(List::of).orElse(List.of());
    new IdentityTablesWriter(out, hadoopConf).publish(List.of(
        new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP, email.apply(result.identityMap()),
            List.of("source")),
        new IdentityTablesWriter.Table(OutputSettings.USER_IDENTITIES, email.apply(result.userIdentities()),
            userPartitions)),
        runId);
  }

  static String newRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
