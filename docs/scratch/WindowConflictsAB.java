/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 late afternoon): the e-mail links and
 * the e-mail conflicts as two passes (EmailLinks.of, then LinkConflicts.emailConflicts: four more
 * shuffles) against a prototype that finds both in one window by address (the ext-linked records'
 * rows join the window, marked as not taking part, with their smallest and largest linked anchor; a
 * row whose address has an anchor record it may not be linked to is a candidate, settled exactly by
 * an anti-join against the links; addresses of several anchor records go through the anchor rows).
 * Same links and conflicts on the 4M sample, and no gain: not adopted. Built against the jar of 1c5063a:
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/WindowConflictsAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.WindowConflictsAB target/bench 4000000 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;
import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.jobs.IdentityJoinJob;
import java.util.*;
import org.apache.spark.sql.*;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

public class WindowConflictsAB {
  static Dataset<Row> keep(Dataset<Row> ds) {
    Dataset<Row> c = ds.localCheckpoint(false);
    c.count();
    return c;
  }

  static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** E-mail links and e-mail conflicts from one window by address: [links, conflicts]. */
  static Dataset<Row>[] windowed(Dataset<Row> linkRows, Dataset<Row> ext, Settings settings) {
    String anchor = settings.anchor();
    Dataset<Row> withEmail = linkRows
        .where(col(SourceRecords.SOURCE_ID).isNotNull().and(col(SourceRecords.EMAIL).isNotNull()))
        .select(col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(SourceRecords.VERTEX), col(SourceRecords.EMAIL));
    Dataset<Row> linked = ext.groupBy(col(ExternalIdLinks.SRC).as("l_src"))
        .agg(min(ExternalIdLinks.VALUE).as("l_ext"), min(ExternalIdLinks.DST).as("l_min"), max(ExternalIdLinks.DST).as("l_max"));
    Dataset<Row> anchorRows = withEmail.where(col(SourceRecords.SOURCE).equalTo(anchor))
        .select(col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(SourceRecords.VERTEX), col(SourceRecords.EMAIL),
            lit(null).cast("string").as("l_ext"), lit(null).cast("bigint").as("l_min"), lit(null).cast("bigint").as("l_max"));
    Dataset<Row> others = withEmail.where(col(SourceRecords.SOURCE).notEqual(anchor));
    Dataset<Row> othersLinked = LinkJoin.join(others, linked, others.col(SourceRecords.VERTEX).equalTo(linked.col("l_src")),
            "left_outer", settings.anchorSource().joinStrategy(), settings.broadcastThresholdBytes())
        .select(col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(SourceRecords.VERTEX), col(SourceRecords.EMAIL),
            col("l_ext"), col("l_min"), col("l_max"));
    Column isAnchor = col(SourceRecords.SOURCE).equalTo(anchor);
    Column taking = isAnchor.or(col("l_min").isNull());
    Dataset<Row> rows = anchorRows.unionByName(othersLinked)
        .withColumn("h", xxhash64(col(SourceRecords.EMAIL)))
        .withColumn("is_anchor", isAnchor)
        .withColumn("taking", taking);
    WindowSpec w = Window.partitionBy(col("h"), col(SourceRecords.EMAIL));
    Dataset<Row> marked = rows
        .withColumn("rep", min(when(col("taking"), struct(col(SourceRecords.VERTEX), col("is_anchor")))).over(w))
        .withColumn("a_min", min(when(col("is_anchor"), struct(col(SourceRecords.VERTEX).as("v"), col(SourceRecords.SOURCE_ID).as("id")))).over(w))
        .withColumn("a_max", max(when(col("is_anchor"), struct(col(SourceRecords.VERTEX).as("v"), col(SourceRecords.SOURCE_ID).as("id")))).over(w));
    Column isLink = col("taking").and(col(SourceRecords.VERTEX).notEqual(col("rep." + SourceRecords.VERTEX)));
    Column oneAnchorLinked = col("a_min.v").equalTo(col("a_max.v"))
        .and(col("a_min.v").equalTo(col("l_min")).or(col("a_min.v").equalTo(col("l_max"))));
    Column isCandidate = not(col("taking")).and(col("a_min").isNotNull()).and(not(oneAnchorLinked));
    Dataset<Row> out = keep(marked.where(isLink.or(isCandidate)).select(
        isLink.as("is_link"), col(SourceRecords.VERTEX), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID),
        col(SourceRecords.EMAIL), col("h"), col("is_anchor"), col("rep"), col("a_min"), col("a_max"), col("l_ext"))
        .distinct());
    Dataset<Row> links = keep(out.where(col("is_link")).select(col(SourceRecords.VERTEX).as(ExternalIdLinks.SRC),
        col("rep." + SourceRecords.VERTEX).as(ExternalIdLinks.DST), col(SourceRecords.EMAIL).as(ExternalIdLinks.VALUE),
        col("is_anchor").as(ExternalIdLinks.SRC_ANCHOR), col("rep.is_anchor").as(ExternalIdLinks.DST_ANCHOR)).distinct());
    // Candidates: few. Their pairs with every anchor record of their address (the window kept the
    // smallest and largest; several anchors on one address go through the anchor rows), minus the linked pairs.
    Dataset<Row> cands = out.where(not(col("is_link")));
    Dataset<Row> single = cands.where(col("a_min.v").equalTo(col("a_max.v")))
        .select(col(SourceRecords.VERTEX), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col("l_ext").as(SourceRecords.EXTERNAL_ID),
            col(SourceRecords.EMAIL), col("a_min.v").as("anchor_vertex"), col("a_min.id").as(LinkConflicts.EMAIL_ANCHOR_ID));
    Dataset<Row> multiC = cands.where(col("a_min.v").notEqual(col("a_max.v")));
    Dataset<Row> ar = anchorRows.select(col(SourceRecords.VERTEX).as("anchor_vertex"), col(SourceRecords.SOURCE_ID).as(LinkConflicts.EMAIL_ANCHOR_ID),
        col(SourceRecords.EMAIL).as("anchor_email")).distinct();
    Dataset<Row> multi = multiC.join(ar, multiC.col(SourceRecords.EMAIL).equalTo(ar.col("anchor_email")))
        .select(col(SourceRecords.VERTEX), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col("l_ext").as(SourceRecords.EXTERNAL_ID),
            col(SourceRecords.EMAIL), col("anchor_vertex"), col(LinkConflicts.EMAIL_ANCHOR_ID));
    Dataset<Row> pairs = single.unionByName(multi);
    Dataset<Row> conflicts = keep(pairs.join(ext, pairs.col(SourceRecords.VERTEX).equalTo(ext.col(ExternalIdLinks.SRC))
            .and(pairs.col("anchor_vertex").equalTo(ext.col(ExternalIdLinks.DST))), "left_anti")
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EXTERNAL_ID,
            SourceRecords.EMAIL, LinkConflicts.EMAIL_ANCHOR_ID).distinct());
    return new Dataset[] {links, conflicts};
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
    Dataset<Row> ext = keep(ExternalIdLinks.of(linkRows, settings));
    System.out.printf("link rows %,d, external-id links %,d%n", linkRows.count(), ext.count());
    Map<String, List<Double>> tm = new LinkedHashMap<>();
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("two passes", "one window")) {
        Dataset<Row>[] r = new Dataset[2];
        double s = v.equals("two passes")
            ? time(() -> {
                r[0] = keep(EmailLinks.of(linkRows, ext, settings));
                r[1] = keep(LinkConflicts.emailConflicts(linkRows, ext, settings));
              })
            : time(() -> {
                Dataset<Row>[] x = windowed(linkRows, ext, settings);
                r[0] = x[0];
                r[1] = x[1];
              });
        tm.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
        System.out.printf("%s %.2f s (e-mail links %,d, conflicts %,d)%n", v, s, r[0].count(), r[1].count());
        if (i == 0 && v.equals("one window")) {
          Dataset<Row> ol = EmailLinks.of(linkRows, ext, settings);
          Dataset<Row> oc = LinkConflicts.emailConflicts(linkRows, ext, settings);
          System.out.println("same e-mail links: " + (ol.exceptAll(r[0]).isEmpty() && r[0].exceptAll(ol).isEmpty()));
          System.out.println("same conflicts: " + (oc.exceptAll(r[1]).isEmpty() && r[1].exceptAll(oc).isEmpty()));
        }
      }
    }
    System.out.println(tm);
  }
}
