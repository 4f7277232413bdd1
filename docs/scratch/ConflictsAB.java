/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-02 morning): the e-mail conflicts
 * before and after commit 0047868, alternating in one JVM on the same checkpointed link rows.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/ConflictsAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.ConflictsAB target/bench 4000000 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;
import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.jobs.IdentityJoinJob;
import java.util.*;
import org.apache.spark.sql.*;

public class ConflictsAB {
  // The code before commit 0047868, verbatim.
  static Dataset<Row> oldConflicts(Dataset<Row> linkRows, Dataset<Row> externalIdLinks, Settings settings) {
    Dataset<Row> linked = externalIdLinks.groupBy(ExternalIdLinks.SRC)
        .agg(min(ExternalIdLinks.VALUE).as(SourceRecords.EXTERNAL_ID));
    Dataset<Row> withEmail = SourceRecords.withId(linkRows).where(col(SourceRecords.EMAIL).isNotNull())
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EMAIL).distinct();
    Dataset<Row> records = withEmail.join(linked, withEmail.col(SourceRecords.VERTEX).equalTo(linked.col(ExternalIdLinks.SRC)))
        .drop(ExternalIdLinks.SRC);
    Dataset<Row> anchorEmails = withEmail.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()))
        .select(col(SourceRecords.VERTEX).as("anchor_vertex"), col(SourceRecords.SOURCE_ID).as(LinkConflicts.EMAIL_ANCHOR_ID),
            col(SourceRecords.EMAIL).as("anchor_email"));
    Dataset<Row> sameEmail = records.join(anchorEmails, records.col(SourceRecords.EMAIL).equalTo(anchorEmails.col("anchor_email")));
    return sameEmail.join(externalIdLinks,
            sameEmail.col(SourceRecords.VERTEX).equalTo(externalIdLinks.col(ExternalIdLinks.SRC))
                .and(sameEmail.col("anchor_vertex").equalTo(externalIdLinks.col(ExternalIdLinks.DST))),
            "left_anti")
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EXTERNAL_ID,
            SourceRecords.EMAIL, LinkConflicts.EMAIL_ANCHOR_ID);
  }

  public static void main(String[] a) {
    String root = a[0];
    long records = Long.parseLong(a[1]);
    int repeats = Integer.parseInt(a[2]);
    SparkSession spark = SparkSession.builder().getOrCreate();
    Settings settings = BenchData.ensure(spark, root, records).settings("/tmp/ab/out");
    Dataset<Row> rows = BlockedValues.withheld(BlockedValues.flag(
        IdentityResolution.recordRows(IdentityJoinJob.readSources(spark, settings), settings), settings.guards()))
        .localCheckpoint(true);
    Dataset<Row> eh = HubCap.emailHubs(rows, settings.guards()).localCheckpoint(true);
    Dataset<Row> xh = HubCap.externalIdHubs(rows, settings).localCheckpoint(true);
    Dataset<Row> linkRows = HubCap.withheld(rows, eh, xh, settings.broadcastThresholdBytes()).localCheckpoint(true);
    Dataset<Row> ext = ExternalIdLinks.of(linkRows, settings).localCheckpoint(true);
    System.out.printf("link rows %,d, external-id links %,d%n", linkRows.count(), ext.count());
    Dataset<Row> o = oldConflicts(linkRows, ext, settings), n = LinkConflicts.emailConflicts(linkRows, ext, settings);
    System.out.printf("same rows: old %,d new %,d, old-new %d, new-old %d%n", o.count(), n.count(),
        o.exceptAll(n).count(), n.exceptAll(o).count());
    List<Double> to = new ArrayList<>(), tn = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      for (boolean old : new boolean[] {true, false}) {
        long t0 = System.nanoTime();
        (old ? oldConflicts(linkRows, ext, settings) : LinkConflicts.emailConflicts(linkRows, ext, settings))
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
