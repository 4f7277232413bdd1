/*
 * Scratch measurement, not built by Maven (docs/BENCHMARKS.md, 2026-12-04 night): how far below the
 * whole job a job of the same shape, with no links, can go. Three runs in turn in one JVM on a bench
 * sample, each writing its own output:
 *   job    IdentityJoinJob.run, as the bench times it;
 *   floor  the bench's copy floor (CopyFloor.run);
 *   shape  the job's skeleton with every link rule, guard list and safety count left out: the read
 *          (cached, as the job caches it), the link rows kept as a checkpoint, the person shuffle and
 *          fold (PersonAssembly, each record's person looked up in the driver's labels of the real
 *          graph, worked out once before the rounds and not timed; no evidence), identity_map's cache,
 *          user_identities' fold and cache, and both tables written by IdentityTablesWriter, as the job
 *          writes them;
 *   direct the same without the read's cache and the link rows' checkpoint: the rows go from the
 *          reader into the person shuffle;
 *   map    as direct, with identity_map alone computed and written (no user_identities).
 * The rounds alternate the order (job floor shape direct map / map direct shape floor job), so
 * neither end always pays the JIT's warm-up. Built against the jar of the commit that added it:
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/sf docs/scratch/ShapeFloorAB.java
 *   java <the launcher's JVM options> -cp "/tmp/sf:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.ShapeFloorAB /tmp/b4m 4000000 4
 */
package io.identityjoin.jobs.bench;

import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.jobs.IdentityJoinJob;
import io.identityjoin.output.*;
import io.identityjoin.pipeline.*;
import io.identityjoin.graph.ConnectedComponents;
import io.identityjoin.write.*;
import java.io.IOException;
import java.util.*;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.*;
import org.apache.spark.sql.types.*;

public class ShapeFloorAB {
  public static void main(String[] a) throws IOException {
    String root = a[0];
    long n = Long.parseLong(a[1]);
    int rounds = Integer.parseInt(a[2]);
    SparkSession spark = IdentityJoinJob.session();
    BenchData data = BenchData.ensure(spark, root, n);
    Settings jobSettings = data.settings("/tmp/sf/job");
    // The persons, once and untimed: the external-ID and e-mail links of the rows (no hub lists) and
    // their components, as the driver's labels the job looks records up in.
    Settings graphSettings = data.settings("/tmp/sf/graph");
    Dataset<Row> graphRows = HubCap.withheld(BlockedValues.withheld(BlockedValues.flag(
        IdentityResolution.recordRows(IdentityJoinJob.readSources(spark, graphSettings), graphSettings),
        graphSettings.guards())), null, 0, null, 0, graphSettings.broadcastThresholdBytes()).localCheckpoint(true);
    Dataset<Row> graphExt = ExternalIdLinks.links(ExternalIdLinks.matches(graphRows, graphSettings)).localCheckpoint(true);
    Dataset<Row> graphEm = EmailLinks.of(graphRows, graphExt, graphSettings).localCheckpoint(true);
    ConnectedComponents.Result graph = PersonComponents.of(graphExt.unionByName(graphEm), graphSettings);
    ComponentLookup lookup = ComponentLookup.of(spark, graph, graphSettings.broadcastThresholdBytes())
        .orElseThrow(() -> new IllegalStateException("no driver labels to look persons up in"));
    System.out.printf("graph: %,d external-id and %,d e-mail links%n", graphExt.count(), graphEm.count());
    Map<String, Long> recordsPerSource = new LinkedHashMap<>();
    Map<String, Long> rowsPerSource = new LinkedHashMap<>();
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      List<String> order = round % 2 == 0 ? List.of("job", "floor", "shape", "direct", "map")
          : List.of("map", "direct", "shape", "floor", "job");
      if (round == 0) {
        // The floor writes as many rows per source as identity_map has: the job's summary says how many.
        delete(spark, "/tmp/sf/job");
        RunSummary s = time(times, "job", () -> IdentityJoinJob.run(spark, jobSettings));
        s.sources().forEach(c -> recordsPerSource.put(c.source(), c.records()));
        s.sources().forEach(c -> rowsPerSource.put(c.source(), c.rowsRead()));
        System.out.printf("job: %,d persons%n", s.persons());
        order = order.subList(1, order.size());
      }
      for (String v : order) {
        delete(spark, "/tmp/sf/" + v);
        switch (v) {
          case "job" -> time(times, v, () -> IdentityJoinJob.run(spark, jobSettings));
          case "floor" -> time(times, v, () -> {
            CopyFloor.run(spark, jobSettings, recordsPerSource, rowsPerSource, "/tmp/sf/floor");
            return null;
          });
          default -> {
            Settings s = data.settings("/tmp/sf/" + v);
            long[] counts = time(times, v, () -> shape(spark, s, lookup, data.rows(), !v.equals("shape"), v.equals("map")));
            System.out.printf("%s: %,d identity_map rows, %,d user_identities rows%n", v, counts[0], counts[1]);
          }
        }
      }
    }
    double floor = median(times.get("floor"));
    for (Map.Entry<String, List<Double>> e : times.entrySet()) {
      double m = median(e.getValue());
      System.out.printf("%-6s median %6.1f s  %5.2fx floor  runs %s%n", e.getKey(), m, m / floor, e.getValue());
    }
  }

  /**
   * The job's skeleton with no links: returns identity_map's and user_identities' row counts.
   *
   * @param persons each record's person
   * @param tableRows the rows of the source tables (what the read's count would give)
   * @param direct no read cache and no link rows' checkpoint
   * @param mapOnly identity_map alone
   */
  static long[] shape(SparkSession spark, Settings settings, ComponentLookup persons, long tableRows, boolean direct, boolean mapOnly) {
    Map<String, Dataset<Row>> tables = IdentityJoinJob.readSources(spark, settings);
    Dataset<Row> rows = IdentityResolution.recordRows(tables, settings);
    try (CacheCompressionScope compression = CacheCompressionScope.forRun(spark, settings.execution())) {
      Dataset<Row> flagged = BlockedValues.flag(rows, settings.guards());
      Dataset<Row> read = direct ? flagged : flagged.cache();
      long rowsRead = direct ? tableRows : read.count();
      try (CodegenScope codegen = CodegenScope.forRun(spark, settings.execution(), rowsRead)) {
        Dataset<Row> withheld = BlockedValues.withheld(InputPartitions.atMost(read, rowsRead,
            settings.execution().rowsPerInputPartition()));
        // No hub lists: a count of 0 marks no row (HubCap.markHubs).
        Dataset<Row> withoutHubs = HubCap.withheld(withheld, withheld.limit(0), 0, withheld.limit(0), 0,
            settings.broadcastThresholdBytes());
        Dataset<Row> linkRows = direct ? withoutHubs : withoutHubs.localCheckpoint(false);
        if (!direct) {
          linkRows.count();
          read.unpersist();
        }
        // Every link table empty (limit 0 plans as an empty relation: nothing runs for it).
        Dataset<Row> matches = ExternalIdLinks.matches(linkRows, settings).limit(0);
        Dataset<Row> ext = ExternalIdLinks.links(matches).limit(0);
        Dataset<Row> em = EmailLinks.of(linkRows, ext, settings).limit(0);
        Dataset<Row> flags = GuardFlags.ofFindings(LinkConflicts.dangling(matches).limit(0),
            LinkConflicts.emailConflicts(linkRows, ext, settings).limit(0), em.limit(0));
        String runId = "shape-" + System.nanoTime();
        Dataset<Row> assembled = PersonIdAssignment.assign(
            PersonAssembly.identityMap(linkRows, persons, ext, em, flags, settings.anchor()).cache(), Optional.empty(),
            runId);
        long records = assembled.count();
        Dataset<Row> identityMap = PersonAssembly.published(assembled);
        Dataset<Row> users = UserIdentities.ofPersonRuns(identityMap, settings).cache();
        long people = mapOnly ? 0 : users.count();
        OutputSettings out = settings.output();
        long rowsPerTask = settings.execution().rowsPerWriteTask();
        List<IdentityTablesWriter.Table> outputs = new ArrayList<>(List.of(
            new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP,
                WriteTasks.atMost(identityMap, records, rowsPerTask), List.of("source"))));
        if (!mapOnly) {
          outputs.add(new IdentityTablesWriter.Table(OutputSettings.USER_IDENTITIES,
              WriteTasks.atMost(users, people, rowsPerTask),
              out.userIdentitiesPartitionBy().map(List::of).orElse(List.of())));
        }
        new IdentityTablesWriter(out, spark.sessionState().newHadoopConf()).publish(outputs, runId);
        assembled.unpersist();
        users.unpersist();
        linkRows.unpersist();
        return new long[] {records, people};
      }
    }
  }

  interface Body<T> {
    T run();
  }

  static <T> T time(Map<String, List<Double>> times, String name, Body<T> body) {
    long t0 = System.nanoTime();
    T r = body.run();
    double s = (System.nanoTime() - t0) / 1e9;
    times.computeIfAbsent(name, k -> new ArrayList<>()).add(Math.round(s * 10) / 10.0);
    System.out.printf("%s %.1f s%n", name, s);
    return r;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }

  static void delete(SparkSession spark, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(spark.sessionState().newHadoopConf());
    fs.delete(p, true);
  }
}
