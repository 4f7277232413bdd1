package io.identityjoin.testing;

import io.identityjoin.config.ExecutionSettings;
import io.identityjoin.config.GuardSettings;
import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SettingsLoader;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.output.PersonIdAssignment;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.StageClock;
import io.identityjoin.sample.SampleGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small in-memory sources and settings for rule tests, shared with the jobs module's tests. */
public final class Fixtures {

  private final SparkSession spark;
  private final List<SourceSettings> sources = new ArrayList<>();
  private final Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
  private String anchor;
  private long broadcastThreshold = 10L * 1024 * 1024;
  private long driverFinishMaxEdges = 1_000_000;
  private GuardSettings guards = SettingsLoader.defaultGuards();
  private ExecutionSettings execution = SettingsLoader.defaultExecution();

  public Fixtures(SparkSession spark) {
    this.spark = spark;
  }

  /** The anchor: string ids and e-mails, rows as {id, email} pairs. */
  public Fixtures anchor(String name, String[]... idEmail) {
    this.anchor = name;
    return source(name, false, idEmail);
  }

  /** Names the anchor among the sources added with {@link #table}. */
  public Fixtures anchorName(String name) {
    this.anchor = name;
    return this;
  }

  /** A source with (id, email) rows, or (id, email, external_id) rows when withExternalId. */
  public Fixtures source(String name, boolean withExternalId, String[]... rows) {
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("id", DataTypes.StringType, true),
        DataTypes.createStructField("email", DataTypes.StringType, true)));
    if (withExternalId) {
      fields.add(DataTypes.createStructField("external_id", DataTypes.StringType, true));
    }
    List<Row> data = new ArrayList<>();
    for (String[] r : rows) {
      data.add(RowFactory.create((Object[]) Arrays.copyOf(r, fields.size())));
    }
    return table(name, spark.createDataFrame(data, DataTypes.createStructType(fields)), "id",
        Optional.of("email"), withExternalId ? Optional.of("external_id") : Optional.empty());
  }

  /** Any table, with its columns named. */
  public Fixtures table(String name, Dataset<Row> table, String idColumn, Optional<String> emailColumn,
      Optional<String> externalIdColumn) {
    sources.add(new SourceSettings(name, TableFormat.PARQUET, "memory:" + name, idColumn, emailColumn,
        externalIdColumn, JoinStrategy.AUTO, Map.of()));
    tables.put(name, table);
    return this;
  }

  /** Sets one source's {@code join-strategy} (every source's is auto unless set). */
  public Fixtures joinStrategy(String source, JoinStrategy strategy) {
    sources.replaceAll(s -> s.name().equals(source)
        ? new SourceSettings(s.name(), s.format(), s.path(), s.idColumn(), s.emailColumn(), s.externalIdColumn(),
            strategy, s.readerOptions())
        : s);
    return this;
  }

  public Fixtures broadcastThreshold(long bytes) {
    this.broadcastThreshold = bytes;
    return this;
  }

  public Fixtures driverFinishMaxEdges(long edges) {
    this.driverFinishMaxEdges = edges;
    return this;
  }

  /** Guards for this run; reference.conf's defaults unless set. */
  public Fixtures guards(GuardSettings guards) {
    this.guards = guards;
    return this;
  }

  /** Execution settings for this run; reference.conf's unless set. */
  public Fixtures execution(ExecutionSettings execution) {
    this.execution = execution;
    return this;
  }

  public Settings settings() {
    List<SourceSettings> ordered = new ArrayList<>(sources);
    ordered.sort((a, b) -> Boolean.compare(!a.name().equals(anchor), !b.name().equals(anchor)));
    return new Settings(anchor, ordered, broadcastThreshold,
        new OutputSettings("/tmp/unused", TableFormat.PARQUET, Optional.of("person_bucket"), 4),
        new Settings.ComponentsSettings(driverFinishMaxEdges, 2, 100), Optional.empty(), Optional.empty(), Map.of(),
        guards, execution);
  }

  /** Tables as the reader would hand them over: only the configured columns. */
  public Map<String, Dataset<Row>> tables() {
    Map<String, Dataset<Row>> selected = new LinkedHashMap<>();
    for (SourceSettings s : sources) {
      List<String> cols = new ArrayList<>(List.of(s.idColumn()));
      s.emailColumn().ifPresent(cols::add);
      s.externalIdColumn().ifPresent(cols::add);
      selected.put(s.name(), tables.get(s.name()).selectExpr(cols.toArray(String[]::new)));
    }
    return selected;
  }

  public IdentityResolution.Result run() {
    return IdentityResolution.run(tables(), settings(), "test-run", new StageClock());
  }

  /** A run that keeps the ids of {@code previous} (see PersonIdAssignment). */
  public IdentityResolution.Result run(String runId, Optional<PersonIdAssignment.Previous> previous) {
    return IdentityResolution.run(tables(), Optional.empty(), settings(), runId, new StageClock(), previous);
  }

  /** Three small sources (segment; zendesk with external ids; stripe): a run of six records. */
  public static Fixtures threeSmallSources(SparkSession spark, ExecutionSettings execution) {
    return new Fixtures(spark).execution(execution)
        .anchor("segment", row("s1", "a@x.com"), row("s2", "b@x.com"))
        .source("zendesk", true, row("z1", "a@x.com", "s1"), row("z2", "c@x.com", "nobody"))
        .source("stripe", false, row("cus_1", "b@x.com"), row("cus_2", "c@x.com"));
  }

  /** The sample generator's six tables as the sample's config reads them (segment the anchor). */
  public static Fixtures sampleSources(SparkSession spark, Map<String, Dataset<Row>> sample,
      ExecutionSettings execution) {
    Fixtures f = new Fixtures(spark).execution(execution);
    f.anchorName("segment");
    f.table("segment", sample.get(SampleGenerator.SEGMENT_USERS), "id", Optional.of("email"), Optional.empty());
    f.table("zendesk", sample.get(SampleGenerator.ZENDESK_USER), "id", Optional.of("email"),
        Optional.of("external_id"));
    f.table("stripe", sample.get(SampleGenerator.STRIPE_CUSTOMER), "id", Optional.of("email"), Optional.empty());
    f.table("salesforce", sample.get(SampleGenerator.SALESFORCE_LEAD), "Id", Optional.of("Email"), Optional.empty());
    f.table("intercom", sample.get(SampleGenerator.INTERCOM_CONTACT_HISTORY), "id", Optional.of("email"),
        Optional.of("external_id"));
    f.table("mailchimp", sample.get(SampleGenerator.MAILCHIMP_MEMBER), "id", Optional.of("email_address"),
        Optional.empty());
    return f;
  }

  /**
   * Runs, calls {@code whileHeld} with the result before releasing it, and returns a copy of its
   * identity_map (rows on the driver, no cache).
   */
  public Dataset<Row> runAndRelease(java.util.function.Consumer<IdentityResolution.Result> whileHeld) {
    IdentityResolution.Result r = run();
    try {
      whileHeld.accept(r);
      return spark.createDataFrame(r.identityMap().collectAsList(), r.identityMap().schema());
    } finally {
      r.release();
    }
  }

  /**
   * Runs over {@code previousMap} as the previous identity_map, with its stripe rows failing when
   * read (which a run does after it has set its session settings), and checks that the run fails
   * with that error.
   */
  public void assertRunFailsOverBrokenPrevious(Dataset<Row> previousMap) {
    Dataset<Row> broken = previousMap.withColumn("person_id", org.apache.spark.sql.functions.expr(
        "CASE WHEN source = 'stripe' THEN CAST(raise_error('broken previous identity_map') AS STRING) ELSE person_id END"));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> run("failed-run", Optional.of(PersonIdAssignment.Previous.of(broken, Optional.empty()))));
    org.junit.jupiter.api.Assertions.assertTrue(
        String.valueOf(e.getMessage()).contains("broken previous identity_map"), e.toString());
  }

  /** identity_map rows keyed by "source/source_id". */
  public static Map<String, Row> bySourceId(Dataset<Row> identityMap) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : identityMap.collectAsList()) {
      Row previous = m.put(r.getAs("source") + "/" + r.getAs("source_id"), r);
      if (previous != null) {
        throw new AssertionError("record twice in identity_map: " + r);
      }
    }
    return m;
  }

  /** How many partitions (so tasks per narrow stage) {@code ds} has. */
  public static int partitions(Dataset<Row> ds) {
    return ds.rdd().getNumPartitions();
  }

  /** The {@code id} column of a {@code spark.range} table, sorted: its rows, whatever the partitioning. */
  public static List<Long> sortedIds(Dataset<Row> ds) {
    return ds.orderBy("id").collectAsList().stream().map(r -> r.getLong(0)).toList();
  }

  public static String[] row(String... values) {
    return values;
  }

  public static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }
}
