/*
 * Scratch measurement, not built by Maven (docs/BENCHMARKS.md, 2026-12-04 night): where
 * user_identities' time goes at 4M records. identity_map is assembled once, untimed, as
 * ShapeFloorAB's "direct" run assembles it (the real graph's persons looked up, no links), and
 * cached; then, in rounds in one JVM, user_identities is folded and cached, and written in turn:
 *   delta        as the job writes it (IdentityTablesWriter, by person_bucket)
 *   delta-flat   the same, not partitioned
 *   delta-no-ids the same by person_bucket, without the six <source>_ids array columns
 *   parquet      Spark's Parquet writer by person_bucket (no Delta), dictionaries as the job sets them
 *   noop         Spark's noop sink: reading the cache and nothing else
 * Built against the jar of the commit that added it:
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/uic docs/scratch/UserIdentitiesCost.java
 *   java <the launcher's JVM options> -cp "/tmp/uic:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.UserIdentitiesCost /tmp/b4m 4000000 3
 */
package io.identityjoin.jobs.bench;

import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.graph.ConnectedComponents;
import io.identityjoin.jobs.IdentityJoinJob;
import io.identityjoin.output.*;
import io.identityjoin.pipeline.*;
import io.identityjoin.write.*;
import java.io.IOException;
import java.util.*;
import org.apache.spark.sql.*;

public class UserIdentitiesCost {
  public static void main(String[] a) throws IOException {
    String root = a[0];
    long n = Long.parseLong(a[1]);
    int rounds = Integer.parseInt(a[2]);
    SparkSession spark = IdentityJoinJob.session();
    BenchData data = BenchData.ensure(spark, root, n);
    Settings settings = data.settings("/tmp/uic/out");
    Dataset<Row> rows = HubCap.withheld(BlockedValues.withheld(BlockedValues.flag(
        IdentityResolution.recordRows(IdentityJoinJob.readSources(spark, settings), settings),
        settings.guards())), null, 0, null, 0, settings.broadcastThresholdBytes()).localCheckpoint(true);
    Dataset<Row> ext = ExternalIdLinks.links(ExternalIdLinks.matches(rows, settings)).localCheckpoint(true);
    Dataset<Row> em = EmailLinks.of(rows, ext, settings).localCheckpoint(true);
    ConnectedComponents.Result graph = PersonComponents.of(ext.unionByName(em), settings);
    ComponentLookup lookup = ComponentLookup.of(spark, graph, settings.broadcastThresholdBytes()).orElseThrow();
    Dataset<Row> matches0 = ExternalIdLinks.matches(rows, settings).limit(0);
    Dataset<Row> ext0 = ExternalIdLinks.links(matches0).limit(0);
    Dataset<Row> em0 = EmailLinks.of(rows, ext0, settings).limit(0);
    Dataset<Row> flags0 = GuardFlags.ofFindings(LinkConflicts.dangling(matches0).limit(0),
        LinkConflicts.emailConflicts(rows, ext0, settings).limit(0), em0.limit(0));
    try (CacheCompressionScope compression = CacheCompressionScope.forRun(spark, settings.execution());
        CodegenScope codegen = CodegenScope.forRun(spark, settings.execution(), data.rows())) {
      Dataset<Row> assembled = PersonIdAssignment.assign(
          PersonAssembly.identityMap(rows, lookup, ext0, em0, flags0, settings.anchor()).cache(), Optional.empty(),
          "r1");
      System.out.printf("identity_map %,d rows%n", assembled.count());
      Dataset<Row> identityMap = PersonAssembly.published(assembled);
      OutputSettings out = settings.output();
      long rowsPerTask = settings.execution().rowsPerWriteTask();
      Map<String, List<Double>> times = new LinkedHashMap<>();
      List<String> writes = List.of("delta", "delta-flat", "delta-no-ids", "parquet", "noop");
      for (int round = 0; round < rounds; round++) {
        Dataset<Row> users = UserIdentities.ofPersonRuns(identityMap, settings).cache();
        long persons = ShapeFloorAB.time(times, "fold", users::count);
        Dataset<Row> tasks = WriteTasks.atMost(users, persons, rowsPerTask);
        List<String> order = new ArrayList<>(writes);
        Collections.rotate(order, round);
        for (String w : order) {
          ShapeFloorAB.delete(spark, "/tmp/uic/" + w);
          ShapeFloorAB.time(times, w, () -> {
            switch (w) {
              case "noop" -> tasks.write().format("noop").mode(SaveMode.Overwrite).save();
              case "parquet" -> {
                try (DistinctValueColumns plain = DistinctValueColumns.plainFor(spark, List.of(tasks.schema()))) {
                  tasks.write().partitionBy(UserIdentities.PERSON_BUCKET).parquet("/tmp/uic/" + w);
                }
              }
              default -> {
                Dataset<Row> t = w.equals("delta-no-ids")
                    ? tasks.drop(settings.sourceNames().stream().map(s -> s + "_ids").toArray(String[]::new))
                    : tasks;
                List<String> by = w.equals("delta-flat") ? List.of() : List.of(UserIdentities.PERSON_BUCKET);
                OutputSettings o = new OutputSettings("/tmp/uic/" + w, out.format(), out.userIdentitiesPartitionBy(),
                    out.personBuckets());
                new IdentityTablesWriter(o, spark.sessionState().newHadoopConf()).publish(List.of(
                    new IdentityTablesWriter.Table(OutputSettings.USER_IDENTITIES, t, by)), "r1");
              }
            }
            return null;
          });
        }
        users.unpersist();
        System.out.printf("round %d: %,d persons%n", round, persons);
      }
      for (Map.Entry<String, List<Double>> e : times.entrySet()) {
        System.out.printf("%-13s median %5.1f s  runs %s%n", e.getKey(), ShapeFloorAB.median(e.getValue()), e.getValue());
      }
    }
  }
}
