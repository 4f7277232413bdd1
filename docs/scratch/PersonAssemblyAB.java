/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 evening): identity_map and
 * user_identities as the run made them before PersonAssembly (the evidence table kept, then
 * IdentityMap.of's joins, cached, then UserIdentities.of's shuffle by person) against PersonAssembly
 * (one shuffle of records and links by person, cached, then UserIdentities.ofPersonRuns), alternating
 * in one JVM on the same checkpointed link tables of a bench sample. Each variant fills its
 * identity_map cache with a count and writes user_identities to Spark's noop sink. Built against the
 * jar of the commit that added it:
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/PersonAssemblyAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.PersonAssemblyAB /tmp/b4m 4000000 3
 */
package io.identityjoin.jobs.bench;

import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.output.*;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.jobs.IdentityJoinJob;
import java.util.*;
import org.apache.spark.sql.*;

public class PersonAssemblyAB {
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
    Dataset<Row> matches = ExternalIdLinks.matches(linkRows, settings).localCheckpoint(true);
    Dataset<Row> ext = ExternalIdLinks.links(matches).localCheckpoint(true);
    Dataset<Row> em = EmailLinks.of(linkRows, ext, settings).localCheckpoint(true);
    Dataset<Row> comps = PersonComponents.of(ext.unionByName(em), settings).components().localCheckpoint(true);
    Dataset<Row> dangling = LinkConflicts.dangling(matches).localCheckpoint(true);
    Dataset<Row> conflicts = LinkConflicts.emailConflicts(linkRows, ext, settings).localCheckpoint(true);
    Dataset<Row> flags = GuardFlags.ofFindings(dangling, conflicts, em.limit(0));
    Dataset<Row> records = IdentityMap.records(linkRows).cache();
    System.out.printf("records %,d components %,d%n", records.count(), comps.count());
    rows.unpersist();

    Map<String, List<Double>> tm = new LinkedHashMap<>();
    Dataset<Row> lastOld = null;
    Dataset<Row> lastNew = null;
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("joins", "per person")) {
        long t0 = System.nanoTime();
        Dataset<Row> map;
        Dataset<Row> users;
        if (v.equals("joins")) {
          Dataset<Row> evidence = LinkEvidence.of(ext, em, comps).localCheckpoint(false);
          evidence.count();
          map = PersonIdAssignment.assign(IdentityMap.of(records, comps, ext, evidence, flags, settings.anchor())
              .cache(), Optional.empty(), "r1");
          map.count();
          users = UserIdentities.of(map, settings);
        } else {
          map = PersonIdAssignment.assign(PersonAssembly.identityMap(records, comps, ext, em, flags, settings.anchor())
              .cache(), Optional.empty(), "r1");
          map.count();
          users = UserIdentities.ofPersonRuns(map, settings);
        }
        users.write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        tm.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
        System.out.printf("%s %.2f s%n", v, s);
        if (i == repeats - 1) {
          if (v.equals("joins")) {
            lastOld = map;
          } else {
            lastNew = map;
          }
        } else {
          spark.catalog().clearCache();
          records = IdentityMap.records(linkRows).cache();
          records.count();
        }
      }
    }
    System.out.println(tm);
    System.out.println("same identity_map rows: " + (lastOld.exceptAll(lastNew).isEmpty() && lastNew.exceptAll(lastOld).isEmpty()));
  }
}
