/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 late afternoon): the external-ID
 * links, dangling ids and e-mail conflicts as the code of 6245b30 computed them (copied below: an
 * inner join, then a second pass over the link rows with an anti-join for the dangling ids) against
 * ExternalIdLinks.matches (one outer join; links and dangling ids filtered from its checkpoint) and
 * the jar's LinkConflicts.emailConflicts, alternating in one JVM on the same checkpointed link rows;
 * each table kept as the run keeps it (a local checkpoint, counted). Measured with the jar of
 * 81caca3, whose emailConflicts left out the pairs naming the smallest or largest linked anchor
 * before its anti-join (no gain: reverted in the next commit; with a later jar "new conflicts" is
 * the old code again).
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/LinkFindingsAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.LinkFindingsAB target/bench 4000000 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;
import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.jobs.IdentityJoinJob;
import java.util.*;
import org.apache.spark.sql.*;

public class LinkFindingsAB {
  // The code of 6245b30, verbatim but for names.
  static Dataset<Row> oldLinks(Dataset<Row> recordRows, Settings settings) {
    Dataset<Row> anchorIds = recordRows
        .where(col(SourceRecords.SOURCE).equalTo(settings.anchor()).and(col(SourceRecords.SOURCE_ID).isNotNull()))
        .select(col(SourceRecords.SOURCE_ID).as("anchor_id"), col(SourceRecords.VERTEX).as("dst"))
        .distinct();
    Dataset<Row> links = null;
    for (SourceSettings source : settings.externalIdSources()) {
      Dataset<Row> named = recordRows
          .where(col(SourceRecords.SOURCE).equalTo(source.name())
              .and(col(SourceRecords.SOURCE_ID).isNotNull())
              .and(col(SourceRecords.EXTERNAL_ID).isNotNull()))
          .select(col(SourceRecords.VERTEX).as("src"), col(SourceRecords.EXTERNAL_ID).as("value"))
          .distinct();
      Dataset<Row> joined = LinkJoin.join(named, anchorIds, named.col("value").equalTo(anchorIds.col("anchor_id")),
              "inner", source.joinStrategy(), settings.broadcastThresholdBytes())
          .select(col("src"), col("dst"), col("value"), lit(false).as("src_anchor"), lit(true).as("dst_anchor"));
      links = links == null ? joined : links.unionByName(joined);
    }
    return links;
  }

  static Dataset<Row> oldDangling(Dataset<Row> linkRows, Dataset<Row> externalIdLinks, Settings settings) {
    Dataset<Row> named = SourceRecords.withId(linkRows)
        .where(col(SourceRecords.SOURCE).notEqual(settings.anchor()).and(col(SourceRecords.EXTERNAL_ID).isNotNull()))
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EXTERNAL_ID)
        .distinct();
    return named.join(externalIdLinks,
        named.col(SourceRecords.VERTEX).equalTo(externalIdLinks.col(ExternalIdLinks.SRC))
            .and(named.col(SourceRecords.EXTERNAL_ID).equalTo(externalIdLinks.col(ExternalIdLinks.VALUE))),
        "left_anti");
  }

  static Dataset<Row> oldConflicts(Dataset<Row> linkRows, Dataset<Row> externalIdLinks, Settings settings) {
    Dataset<Row> linked = externalIdLinks.groupBy(ExternalIdLinks.SRC)
        .agg(min(ExternalIdLinks.VALUE).as(SourceRecords.EXTERNAL_ID));
    Dataset<Row> withEmail = SourceRecords.withId(linkRows).where(col(SourceRecords.EMAIL).isNotNull())
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EMAIL);
    Column fromLinkingSource = lit(false);
    for (SourceSettings source : settings.externalIdSources()) {
      fromLinkingSource = fromLinkingSource.or(col(SourceRecords.SOURCE).equalTo(source.name()));
    }
    Dataset<Row> candidates = withEmail.where(fromLinkingSource);
    Dataset<Row> records = candidates
        .join(linked, candidates.col(SourceRecords.VERTEX).equalTo(linked.col(ExternalIdLinks.SRC)))
        .drop(ExternalIdLinks.SRC)
        .distinct();
    Dataset<Row> anchorEmails = withEmail.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()))
        .select(col(SourceRecords.VERTEX).as("anchor_vertex"), col(SourceRecords.SOURCE_ID).as(LinkConflicts.EMAIL_ANCHOR_ID),
            col(SourceRecords.EMAIL).as("anchor_email"))
        .distinct();
    Dataset<Row> sameEmail = records.join(anchorEmails,
        xxhash64(records.col(SourceRecords.EMAIL)).equalTo(xxhash64(anchorEmails.col("anchor_email")))
            .and(records.col(SourceRecords.EMAIL).equalTo(anchorEmails.col("anchor_email"))));
    return sameEmail.join(externalIdLinks,
            sameEmail.col(SourceRecords.VERTEX).equalTo(externalIdLinks.col(ExternalIdLinks.SRC))
                .and(sameEmail.col("anchor_vertex").equalTo(externalIdLinks.col(ExternalIdLinks.DST))),
            "left_anti")
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EXTERNAL_ID,
            SourceRecords.EMAIL, LinkConflicts.EMAIL_ANCHOR_ID);
  }

  static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  static Dataset<Row> keep(Dataset<Row> ds) {
    Dataset<Row> c = ds.localCheckpoint(false);
    c.count();
    return c;
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
    System.out.printf("link rows %,d%n", linkRows.count());
    Map<String, List<Double>> tm = new LinkedHashMap<>();
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("old", "new")) {
        Dataset<Row>[] out = new Dataset[4];
        double t1, t2, t3;
        if (v.equals("old")) {
          t1 = time(() -> out[0] = keep(oldLinks(linkRows, settings)));
          t2 = time(() -> out[1] = keep(oldDangling(linkRows, out[0], settings)));
          t3 = time(() -> out[2] = keep(oldConflicts(linkRows, out[0], settings)));
        } else {
          t1 = time(() -> {
            out[3] = keep(ExternalIdLinks.matches(linkRows, settings));
            out[0] = ExternalIdLinks.links(out[3]);
            out[0].count();
          });
          t2 = time(() -> out[1] = keep(LinkConflicts.dangling(out[3])));
          t3 = time(() -> out[2] = keep(LinkConflicts.emailConflicts(linkRows, out[0], settings)));
        }
        System.out.printf("%s links %.2f dangling %.2f conflicts %.2f total %.2f s (links %,d dangling %,d conflicts %,d)%n",
            v, t1, t2, t3, t1 + t2 + t3, out[0].count(), out[1].count(), out[2].count());
        tm.computeIfAbsent(v + " total", k -> new ArrayList<>()).add(t1 + t2 + t3);
        tm.computeIfAbsent(v + " conflicts", k -> new ArrayList<>()).add(t3);
        tm.computeIfAbsent(v + " links+dangling", k -> new ArrayList<>()).add(t1 + t2);
        if (i == 0 && v.equals("new")) {
          Dataset<Row> ol = keep(oldLinks(linkRows, settings));
          System.out.println("same links: " + (ol.exceptAll(out[0]).isEmpty() && out[0].exceptAll(ol).isEmpty()));
          Dataset<Row> od = oldDangling(linkRows, ol, settings);
          System.out.println("same dangling: " + (od.exceptAll(out[1]).isEmpty() && out[1].exceptAll(od).isEmpty()));
          Dataset<Row> oc = oldConflicts(linkRows, ol, settings);
          System.out.println("same conflicts: " + (oc.exceptAll(out[2]).isEmpty() && out[2].exceptAll(oc).isEmpty()));
        }
      }
    }
    System.out.println(tm);
  }
}
