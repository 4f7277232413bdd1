package io.identityjoin.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.identityjoin.config.Settings;
import io.identityjoin.jobs.IdentityJoinJob;
import io.identityjoin.pipeline.RunSummary;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench}: identity-join side by side with the SQL recipe it replaces, a copy floor, and
 * GraphX's connected components, on the synthetic SaaS sample at given record counts, in one Spark
 * session. Prints a table and writes {@code results.json} (see issue 3) and {@code details.json}
 * (every measured figure) under {@code --dir}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks identity-join against the seed SQL recipe, a copy floor and GraphX connected "
        + "components on the synthetic SaaS sample.")
public final class BenchCommand implements Callable<Integer> {

  static final String IDENTITY_JOIN = "identity_join";
  static final String SEED_SQL = "seed_sql";
  static final String COPY_FLOOR = "copy_floor";
  static final String CC = "cc";
  static final String GRAPHX_CC = "graphx_cc";
  static final List<String> RUNS = List.of(IDENTITY_JOIN, SEED_SQL, COPY_FLOOR, CC, GRAPHX_CC);

  @Option(names = "--records", paramLabel = "N", split = ",",
      description = "Total user records to generate (repeatable for a growth series; default 500000).")
  List<Long> records = new ArrayList<>();

  @Option(names = "--repeat", paramLabel = "K", defaultValue = "1",
      description = "Runs per size; figures are the median (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--seed-sql-cap", paramLabel = "SECONDS", defaultValue = "600",
      description = "Cancel the seed SQL recipe after this many seconds and report '> cap'; 0 skips it "
          + "(default: ${DEFAULT-VALUE}).")
  long seedSqlCap;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Bench folder: generated data (kept for later benches), outputs, results.json "
          + "(default: $IDENTITY_JOIN_HOME/target/bench, or target/bench).")
  File dir;

  @Option(names = "--skip-cc", description = "Leave out the connected-components race (for quicker profiling runs).")
  boolean skipCc;

  @Option(names = "--cc-only", description = "Run only the connected-components race (for quicker CC runs).")
  boolean ccOnly;

  @Option(names = "--profile",
      description = "Print each identity-join run's Spark jobs, by description (stage and step) and call site.")
  boolean profile;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
      description = "Before the timed runs, run identity-join and the recipe (if not skipped) once on N generated "
          + "records, untimed, so that every timed run starts in a warm JVM; 0: none, and the first "
          + "identity-join run also pays the JVM's warm-up, as a fresh spark-submit does (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(names = "--rerun", description = "Time identity-join as a re-run over its own previous output, as a job "
      + "run every day runs (person ids kept, person_merges written): an untimed first run writes that output.")
  boolean rerun;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The smallest size at which the recipe hit its cap: it is quadratic, so larger ones are not run. */
  private Long recipeCappedAt;

  /** bin/bench's main class: exits the JVM with the command's exit code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    records = records.isEmpty() ? List.of(500_000L) : records.stream().sorted().distinct().toList();
    if (repeat < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be at least 1");
    }
    if (warmup < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must be 0 (none) or a record count");
    }
    String root = (dir != null ? dir : defaultDir()).getAbsolutePath();
    // The recipe's databases live in the session's catalog; their folders go under the bench's.
    SparkSession spark = SparkSession.builder().appName("identity-join-bench")
        .config("spark.sql.warehouse.dir", root + "/warehouse")
        .getOrCreate();
    PrintWriter out = spec.commandLine().getOut();
    PhaseMetrics metrics = new PhaseMetrics(spark.sparkContext());
    List<Map<String, Object>> results = new ArrayList<>();
    List<Map<String, Object>> details = new ArrayList<>();
    if (warmup > 0 && !ccOnly) {
      warmUp(spark, metrics, root, out);
    }
    for (long n : records) {
      SizeResult r = benchOneSize(spark, metrics, root, n, out);
      results.add(r.result());
      details.add(r.details());
      out.print(BenchTable.format(r));
      out.flush();
    }
    out.print(BenchTable.growth(results));
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    json.writeValue(new File(root, "results.json"), results);
    json.writeValue(new File(root, "details.json"), details);
    out.printf("wrote %s/results.json and details.json%n", root);
    out.flush();
    return 0;
  }

  /**
   * identity-join and the recipe once each on {@link #warmup} records, untimed: the
   * JVM loads and compiles Spark's, Delta's and our code here, not in the first timed run. Without
   * it the first identity-join run pays for that warm-up and the recipe, run after it, does not.
   */
  private void warmUp(SparkSession spark, PhaseMetrics metrics, String root, PrintWriter out) throws IOException {
    out.printf("%n== warm-up on %,d records (not counted in the figures)...%n", warmup);
    out.flush();
    BenchData data = BenchData.ensure(spark, root, warmup);
    String work = root + "/out/warmup-" + warmup;
    Settings settings = data.settings(work + "/identity_join");
    delete(spark, settings.output().path());
    PhaseMetrics.Figures job = metrics.measure(() -> {
      IdentityJoinJob.run(spark, settings);
      return true;
    });
    PhaseMetrics.Figures recipe = null;
    if (seedSqlCap > 0) {
      SeedRecipe.prepare(spark, data.dir);
      String seedPath = work + "/seed_sql";
      delete(spark, seedPath);
      recipe = metrics.measure(() -> SeedRecipe.run(spark, seedSqlCap, seedPath));
    }
    out.printf("   warm-up: %s %s, %s %s%n", IDENTITY_JOIN, BenchTable.seconds(job.seconds()), SEED_SQL,
        recipe == null ? "skipped" : BenchTable.seconds(recipe.seconds()));
    out.flush();
  }

  /** One size's medians, as results.json wants them, and every figure measured. */
  record SizeResult(long records, long rows, long persons, int repeat, long warmup, long seedSqlCap,
      Long recipeCappedAt,
      Map<String, List<PhaseMetrics.Figures>> figures, Boolean ccSamePartition, long edges, RunSummary summary) {

    Double median(String run) {
      return BenchTable.median(figures.get(run).stream().map(PhaseMetrics.Figures::seconds).toList());
    }

    Map<String, Object> result() {
      Map<String, Object> runs = new LinkedHashMap<>();
      RUNS.forEach(run -> runs.put(run, median(run)));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("records", records);
      m.put("runs", runs);
      m.put("cc_same_partition", ccSamePartition);
      return m;
    }

    Map<String, Object> details() {
      Map<String, Object> m = new LinkedHashMap<>(result());
      m.put("rows_generated", rows);
      m.put("sample_persons", persons);
      m.put("repeat", repeat);
      m.put("warmup_records", warmup);
      m.put("seed_sql_cap_seconds", seedSqlCap);
      m.put("seed_sql_capped_at_records", recipeCappedAt);
      m.put("identity_graph_edges", edges);
      if (summary != null) {
        m.put("identity_join_persons", summary.persons());
        m.put("identity_join_person_ids", summary.personIds());
        m.put("identity_join_stage_seconds", summary.stageSeconds());
      }
      Map<String, Object> each = new LinkedHashMap<>();
      figures.forEach((run, list) -> each.put(run, list));
      m.put("each_run", each);
      m.put("java_max_heap_bytes", Runtime.getRuntime().maxMemory());
      m.put("available_processors", Runtime.getRuntime().availableProcessors());
      return m;
    }
  }

  private SizeResult benchOneSize(SparkSession spark, PhaseMetrics metrics, String root, long n, PrintWriter out)
      throws IOException {
    out.printf("%n== %,d records: generating or reusing the sample...%n", n);
    out.flush();
    BenchData data = BenchData.ensure(spark, root, n);
    String work = root + "/out/records-" + n;
    Settings settings = data.settings(work + "/identity_join");
    String edgesPath = work + "/edges";
    long edges = skipCc ? -1 : ComponentsRace.writeEdges(spark, settings, edgesPath);
    out.printf("   %,d rows in %s (%,d persons); identity graph %,d edges%n", data.rows(), data.dir, data.persons,
        edges);
    out.flush();

    Map<String, List<PhaseMetrics.Figures>> figures = new LinkedHashMap<>();
    RUNS.forEach(run -> figures.put(run, new ArrayList<>()));
    RunSummary summary = null;
    Boolean same = skipCc ? null : true;
    for (int k = 1; k <= repeat; k++) {
      if (!ccOnly) {
        summary = runJobRecipeAndFloor(spark, metrics, data, settings, work, n, k, figures, out);
      }
      if (skipCc) {
        continue;
      }
      Dataset<Row> edgeTable = spark.read().parquet(edgesPath);
      ComponentsRace race = new ComponentsRace();
      figures.get(CC).add(metrics.measure(() -> {
        race.runOurs(edgeTable);
        return true;
      }));
      progress(out, k, CC, figures);
      figures.get(GRAPHX_CC).add(metrics.measure(() -> {
        race.runGraphx(edgeTable);
        return true;
      }));
      progress(out, k, GRAPHX_CC, figures);
      same = same && race.samePartition(spark);
    }
    return new SizeResult(n, data.rows(), data.persons, repeat, warmup, seedSqlCap, recipeCappedAt, figures, same,
        edges, summary);
  }

  /** identity-join, the recipe (unless capped before) and the copy floor, once; returns the job's summary. */
  private RunSummary runJobRecipeAndFloor(SparkSession spark, PhaseMetrics metrics, BenchData data, Settings settings,
      String work, long n, int k, Map<String, List<PhaseMetrics.Figures>> figures, PrintWriter out) {
    if (!rerun || k == 1) {
      delete(spark, settings.output().path());
    }
    if (rerun && k == 1) {
      IdentityJoinJob.run(spark, settings);
      out.printf("   run 0 %-14s (the first run, untimed: --rerun times the runs after it)%n", IDENTITY_JOIN);
      out.flush();
    }
    RunSummary[] s = new RunSummary[1];
    figures.get(IDENTITY_JOIN).add(metrics.measure(() -> {
      s[0] = IdentityJoinJob.run(spark, settings);
      return true;
    }));
    RunSummary summary = s[0];
    progress(out, k, IDENTITY_JOIN, figures);
    out.printf("     stages (s):%s%n", stages(summary.stageSeconds()));
    if (profile) {
      out.print(metrics.profile());
    }

    if (seedSqlCap > 0 && recipeCappedAt == null) {
      SeedRecipe.prepare(spark, data.dir);
      String seedPath = work + "/seed_sql";
      delete(spark, seedPath);
      PhaseMetrics.Figures f = metrics.measure(() -> SeedRecipe.run(spark, seedSqlCap, seedPath));
      if (f.seconds() == null) {
        recipeCappedAt = n;
      }
      figures.get(SEED_SQL).add(f);
      progress(out, k, SEED_SQL, figures);
    }

    Map<String, Long> recordsPerSource = new LinkedHashMap<>();
    summary.sources().forEach(c -> recordsPerSource.put(c.source(), c.records()));
    Map<String, Long> rowsPerSource = new LinkedHashMap<>();
    summary.sources().forEach(c -> rowsPerSource.put(c.source(), c.rowsRead()));
    String floorPath = work + "/copy_floor";
    delete(spark, floorPath);
    figures.get(COPY_FLOOR).add(metrics.measure(() -> {
      CopyFloor.run(spark, settings, recordsPerSource, rowsPerSource, floorPath);
      return true;
    }));
    progress(out, k, COPY_FLOOR, figures);

    return summary;
  }

  private static void progress(PrintWriter out, int k, String run, Map<String, List<PhaseMetrics.Figures>> figures) {
    List<PhaseMetrics.Figures> f = figures.get(run);
    out.printf("   run %d %-14s %s%n", k, run, BenchTable.seconds(f.get(f.size() - 1).seconds()));
    out.flush();
  }

  private static String stages(Map<String, Double> seconds) {
    StringBuilder b = new StringBuilder();
    seconds.forEach((k, v) -> b.append(String.format(java.util.Locale.ROOT, " %s %.1f", k, v)));
    return b.toString();
  }

  private static void delete(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sessionState().newHadoopConf());
      fs.delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static File defaultDir() {
    String home = System.getenv("IDENTITY_JOIN_HOME");
    return new File(home != null ? home : ".", "target/bench");
  }
}
