/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 afternoon): identity_map's joins as
 * sort-merge joins (IdentityMap.of) against the same joins hinted shuffle-hash, alternating in one JVM
 * on the same checkpointed link tables of a bench sample, each written to Spark's noop sink. Not
 * adopted: the hash joins were slower. Built against the jar of 6245b30:
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/IdentityMapHashJoinsAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.IdentityMapHashJoinsAB target/bench 4000000 3
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

public class IdentityMapHashJoinsAB {
  static Dataset<Row> alt(Dataset<Row> records, Dataset<Row> components, Dataset<Row> externalIdLinks,
      Dataset<Row> evidence, Dataset<Row> findingFlags, String anchor) {
    Dataset<Row> linkedByExternalId = externalIdLinks.select(col(ExternalIdLinks.SRC).as("ext_vertex")).distinct();
    Dataset<Row> comp = components.select(col("vertex").as("comp_vertex"), col("component"));
    Dataset<Row> target = records.select(col(SourceRecords.VERTEX).as("target_vertex"),
        concat(col(SourceRecords.SOURCE), lit("/"), col(SourceRecords.SOURCE_ID)).as(IdentityMap.LINKED_TO));
    Dataset<Row> why = evidence
        .join(target.hint("shuffle_hash"), evidence.col(LinkEvidence.LINKED_VERTEX).equalTo(target.col("target_vertex")), "left")
        .select(col(SourceRecords.VERTEX).as("why_vertex"), col(IdentityMap.MATCHED_BY), col(IdentityMap.MATCHED_ON), col(IdentityMap.LINKED_TO));
    Dataset<Row> flagged = findingFlags.select(col(SourceRecords.VERTEX).as("flag_vertex"),
        col(GuardFlags.FLAGS).as("finding_flags"));
    Dataset<Row> joined = records
        .join(comp.hint("shuffle_hash"), records.col(SourceRecords.VERTEX).equalTo(comp.col("comp_vertex")), "left")
        .join(linkedByExternalId.hint("shuffle_hash"), col(SourceRecords.VERTEX).equalTo(col("ext_vertex")), "left")
        .join(why.hint("shuffle_hash"), col(SourceRecords.VERTEX).equalTo(col("why_vertex")), "left")
        .join(flagged.hint("shuffle_hash"), col(SourceRecords.VERTEX).equalTo(col("flag_vertex")), "left");
    return joined.select(
        PersonId.of(coalesce(col("component"), col(SourceRecords.VERTEX))).as(IdentityMap.PERSON_ID),
        col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(SourceRecords.EMAIL),
        MatchRule.of(anchor, col("ext_vertex").isNotNull(), col("comp_vertex").isNotNull()).as(IdentityMap.MATCH_RULE),
        col(IdentityMap.MATCHED_BY), col(IdentityMap.MATCHED_ON), col(IdentityMap.LINKED_TO),
        GuardFlags.all(col("finding_flags")).as(GuardFlags.FLAGS));
  }

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
    Dataset<Row> ext = ExternalIdLinks.of(linkRows, settings).localCheckpoint(true);
    Dataset<Row> em = EmailLinks.of(linkRows, ext, settings).localCheckpoint(true);
    Dataset<Row> comps = PersonComponents.of(ext.unionByName(em), settings).components();
    Dataset<Row> evidence = LinkEvidence.of(ext, em, comps).localCheckpoint(true);
    Dataset<Row> dangling = LinkConflicts.dangling(linkRows, ext, settings).localCheckpoint(true);
    Dataset<Row> conflicts = LinkConflicts.emailConflicts(linkRows, ext, settings).localCheckpoint(true);
    Dataset<Row> flags = GuardFlags.ofFindings(dangling, conflicts, em.limit(0));
    Dataset<Row> records = IdentityMap.records(linkRows).cache();
    System.out.printf("records %,d evidence %,d%n", records.count(), evidence.count());
    Dataset<Row> o = IdentityMap.of(records, comps, ext, evidence, flags, settings.anchor());
    Dataset<Row> nw = alt(records, comps, ext, evidence, flags, settings.anchor());
    System.out.println("same rows: " + (o.exceptAll(nw).isEmpty() && nw.exceptAll(o).isEmpty()));
    Map<String, List<Double>> tm = new LinkedHashMap<>();
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("sort-merge", "shuffle-hash")) {
        long t0 = System.nanoTime();
        (v.equals("sort-merge") ? o : nw).write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        tm.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
        System.out.printf("%s %.2f s%n", v, s);
      }
    }
    System.out.println(tm);
    System.out.println(nw.queryExecution().executedPlan().toString().replaceAll("\\[[^\\]]{60,}\\]", "[...]"));
  }
}
