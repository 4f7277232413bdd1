/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 afternoon): the records table
 * (IdentityMap.records, a sort aggregation with a partial aggregation before its shuffle) against the
 * same aggregation over rows shuffled by vertex first (no partial aggregation before the shuffle),
 * alternating in one JVM on the same checkpointed link rows, each written to Spark's noop sink. Not
 * adopted: no difference. Built against the jar of 6245b30:
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/RecordsRepartitionAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.RecordsRepartitionAB target/bench 4000000 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;
import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.output.*;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.jobs.IdentityJoinJob;
import java.util.*;
import org.apache.spark.sql.*;

public class RecordsRepartitionAB {
  public static void main(String[] a) {
    String root = a[0];
    long n = Long.parseLong(a[1]);
    int repeats = Integer.parseInt(a[2]);
    SparkSession spark = SparkSession.builder().getOrCreate();
    Settings settings = BenchData.ensure(spark, root, n).settings("/tmp/ab/out");
    Dataset<Row> rows = BlockedValues.withheld(BlockedValues.flag(
        IdentityResolution.recordRows(IdentityJoinJob.readSources(spark, settings), settings), settings.guards()))
        .localCheckpoint(true);
    long nr = rows.count();
    long t = settings.broadcastThresholdBytes();
    Dataset<Row> eh = HubCap.emailHubs(rows, settings.guards(), nr, t).localCheckpoint(true);
    Dataset<Row> xh = HubCap.externalIdHubs(rows, settings, nr).localCheckpoint(true);
    Dataset<Row> linkRows = HubCap.withheld(rows, eh, eh.count(), xh, xh.count(), t).localCheckpoint(true);
    System.out.printf("link rows %,d%n", linkRows.count());
    Dataset<Row> o = IdentityMap.records(linkRows);
    Dataset<Row> nw = IdentityMap.records(linkRows.repartition(col(SourceRecords.VERTEX)));
    System.out.println("same rows: " + (o.exceptAll(nw).isEmpty() && nw.exceptAll(o).isEmpty()));
    Map<String, List<Double>> tm = new LinkedHashMap<>();
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("current", "repartitioned")) {
        long t0 = System.nanoTime();
        (v.equals("current") ? o : nw).write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        tm.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
        System.out.printf("%s %.2f s%n", v, s);
      }
    }
    System.out.println(tm);
    System.out.println(nw.queryExecution().executedPlan().toString().replaceAll("\\[[^\\]]{60,}\\]", "[...]"));
  }
}
