/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-02 morning): the hub e-mails before
 * and after they were shuffled once by address, alternating in one JVM on the same checkpointed
 * record rows. The change was taken back (a3732d7): on main both sides are the same code; build
 * the jar at 3c2cbb1 to repeat the comparison.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/HubsAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.HubsAB target/bench 4000000 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;

import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.jobs.IdentityJoinJob;
import io.identityjoin.pipeline.IdentityResolution;
import java.util.*;
import org.apache.spark.sql.*;

public class HubsAB {
  // The code before the change, verbatim.
  static Dataset<Row> oldEmailHubs(Dataset<Row> linkRows, GuardSettings guards) {
    return SourceRecords.withId(linkRows).where(col(SourceRecords.EMAIL).isNotNull())
        .groupBy(SourceRecords.EMAIL).agg(countDistinct(SourceRecords.VERTEX).as(HubCap.RECORDS))
        .where(col(HubCap.RECORDS).gt(guards.maxRecordsPerEmail()));
  }

  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    Settings settings = BenchData.ensure(spark, a[0], Long.parseLong(a[1])).settings("/tmp/ab/out");
    int repeats = Integer.parseInt(a[2]);
    Dataset<Row> rows = BlockedValues.withheld(BlockedValues.flag(
        IdentityResolution.recordRows(IdentityJoinJob.readSources(spark, settings), settings), settings.guards()))
        .localCheckpoint(true);
    System.out.printf("rows %,d%n", rows.count());
    // A cap low enough that the sample has hubs to find (the default finds few or none).
    GuardSettings low = settings.guards().withMaxRecordsPerEmail(2);
    Dataset<Row> o = oldEmailHubs(rows, low), n = HubCap.emailHubs(rows, low);
    System.out.printf("same rows: old %,d new %,d, old-new %d, new-old %d%n", o.count(), n.count(),
        o.exceptAll(n).count(), n.exceptAll(o).count());
    List<Double> to = new ArrayList<>(), tn = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      for (boolean old : new boolean[] {true, false}) {
        long t0 = System.nanoTime();
        (old ? oldEmailHubs(rows, settings.guards()) : HubCap.emailHubs(rows, settings.guards()))
            .write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        (old ? to : tn).add(s);
        System.out.printf("repeat %d %s %.1f s%n", i + 1, old ? "old" : "new", s);
      }
    }
    Collections.sort(to); Collections.sort(tn);
    System.out.printf("median old %.1f s, new %.1f s, new/old %.2f%n", to.get(to.size() / 2), tn.get(tn.size() / 2),
        tn.get(tn.size() / 2) / to.get(to.size() / 2));
  }
}
