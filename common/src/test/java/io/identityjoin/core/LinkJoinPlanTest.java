package io.identityjoin.core;

import static io.identityjoin.testing.Fixtures.row;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.Settings;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkBroadcasts;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every link is an equi-join: the executed plans hold no nested-loop or cartesian join, the
 * broadcast-or-sort-merge choice follows the settings, and AQE stays on.
 */
@ExtendWith(SparkSessionExtension.class)
class LinkJoinPlanTest {

  private static Fixtures fixtures(SparkSession spark) {
    return new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"))
        .source("zendesk", true, row("z1", "b@x.com", "A"), row("z2", "a@x.com", null))
        .source("stripe", false, row("cus_1", "b@x.com"));
  }

  /** The final (adaptive) plan after the dataset has run. */
  private static String executedPlan(Dataset<Row> ds) {
    ds.collectAsList();
    return ds.queryExecution().executedPlan().toString();
  }

  private static void assertNoNestedLoopOrCartesian(String plan) {
    assertFalse(plan.contains("NestedLoopJoin"), plan);
    assertFalse(plan.contains("CartesianProduct"), plan);
  }

  @Test
  void linksAndOutputsRunWithoutNestedLoopOrCartesianJoins(SparkSession spark) {
    assertTrue(spark.conf().get("spark.sql.adaptive.enabled").equals("true"), "AQE stays on");
    Fixtures f = fixtures(spark);
    Settings settings = f.settings();
    Dataset<Row> rows = SourceRecords.of(f.tables().get("segment"), settings.source("segment"))
        .unionByName(SourceRecords.of(f.tables().get("zendesk"), settings.source("zendesk")))
        .unionByName(SourceRecords.of(f.tables().get("stripe"), settings.source("stripe")));
    Dataset<Row> ext = ExternalIdLinks.of(rows, settings);
    Dataset<Row> email = EmailLinks.of(rows, ext, settings);
    for (Dataset<Row> ds : List.of(ext, email)) {
      assertNoNestedLoopOrCartesian(executedPlan(ds));
    }
    IdentityResolution.Result r = f.run();
    assertNoNestedLoopOrCartesian(executedPlan(r.identityMap()));
    assertNoNestedLoopOrCartesian(executedPlan(r.userIdentities()));
    r.release();
  }

  /** Record rows of the anchor and the named sources, guarded as the run guards them. */
  private static Dataset<Row> guardedRows(Fixtures f, String... sources) {
    Settings settings = f.settings();
    Dataset<Row> rows = SourceRecords.of(f.tables().get(settings.anchor()), settings.source(settings.anchor()));
    for (String source : sources) {
      rows = rows.unionByName(SourceRecords.of(f.tables().get(source), settings.source(source)));
    }
    return BlockedValues.withheld(BlockedValues.flag(rows, settings.guards()));
  }

  /** Record rows of the fixtures' three sources, guarded as the run guards them. */
  private static Dataset<Row> guardedRows(Fixtures f) {
    return guardedRows(f, "zendesk", "stripe");
  }

  @Test
  void hubListsAreJoinedByTheirCountedRowsNotBySparksEstimate(SparkSession spark) {
    // Spark alone would broadcast nothing: what is broadcast here is the counted hub list's choice.
    SparkBroadcasts.off(spark, () -> {
      Fixtures f = fixtures(spark);
      long threshold = f.settings().broadcastThresholdBytes();
      Dataset<Row> rows = guardedRows(f);
      Dataset<Row> hubs = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("b@x.com", 3L)),
          HubCap.emailHubs(rows, f.settings().guards(), 7, threshold).schema());
      Dataset<Row> noIdHubs = HubCap.externalIdHubs(rows, f.settings(), 7).limit(0);
      String none = executedPlan(HubCap.withheld(rows, hubs.limit(0), 0, noIdHubs, 0, threshold));
      assertFalse(none.contains("Join"), "empty hub lists are not joined: " + none);
      Dataset<Row> withHub = HubCap.withheld(rows, hubs, 1, noIdHubs, 0, threshold);
      String one = executedPlan(withHub);
      assertTrue(one.contains("BroadcastHashJoin"), one);
      assertFalse(one.contains("SortMergeJoin"), one);
      // The hub address is withheld from linking and kept to be shown; the others link as before.
      assertEquals(3, withHub.where("email_hub").count());
      assertEquals(3, withHub.where("email_hub and email is null and guarded_email = 'b@x.com'").count());
      assertEquals(2, withHub.where("not email_hub and email = 'a@x.com'").count());
    });
  }

  @Test
  void eMailLinksShuffleTheRowsOnceByAddress(SparkSession spark) {
    Fixtures f = fixtures(spark);
    Dataset<Row> rows = guardedRows(f);
    Dataset<Row> noExternalIdLinks = ExternalIdLinks.of(rows, f.settings()).limit(0);
    String plan = EmailLinks.of(rows, noExternalIdLinks, f.settings()).queryExecution().executedPlan().toString();
    // The window's exchange by (hash, address); the de-duplication is the window's (no aggregation).
    assertEquals(1, plan.split("Exchange hashpartitioning\\(email_hash", -1).length - 1, plan);
    assertEquals(0, plan.split("Exchange hashpartitioning\\(src", -1).length - 1, plan);
    assertFalse(plan.contains("HashAggregate"), plan);
  }

  @Test
  void eMailLinksMakeOneLinkPerRecordWhateverItsRows(SparkSession spark) {
    // a@ on A (two rows), z2 (three rows) and cus_1 (two rows): three records, a star of two links.
    Fixtures f = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("A", "a@x.com"), row("B", "b@x.com"))
        .source("zendesk", true, row("z2", "a@x.com", null), row("z2", "a@x.com", null), row("z2", "a@x.com", null))
        .source("stripe", false, row("cus_1", "a@x.com"), row("cus_1", "a@x.com"));
    Dataset<Row> rows = guardedRows(f, "zendesk", "stripe");
    Dataset<Row> links = EmailLinks.of(rows, ExternalIdLinks.of(rows, f.settings()), f.settings());
    long a = vertex(rows, "segment", "A");
    long z2 = vertex(rows, "zendesk", "z2");
    long cus1 = vertex(rows, "stripe", "cus_1");
    long rep = Math.min(a, Math.min(z2, cus1));
    List<String> expected = new ArrayList<>();
    for (long v : new long[] {a, z2, cus1}) {
      if (v != rep) {
        expected.add("[" + v + "," + rep + ",a@x.com," + (v == a) + "," + (rep == a) + "]");
      }
    }
    assertEquals(expected.stream().sorted().toList(), sorted(links));
  }

  @Test
  void externalIdMatchesAndEmailConflictsShuffleEachSideOnceAndDeDuplicateAfter(SparkSession spark) {
    SparkBroadcasts.off(spark, () -> {
      // History rows: A and B twice each, z1 (naming A, with B's address) three times.
      Fixtures f = new Fixtures(spark).broadcastThreshold(0)
          .anchor("segment", row("A", "a@x.com"), row("A", "a@x.com"), row("B", "b@x.com"), row("B", "b@x.com"))
          .source("zendesk", true, row("z1", "b@x.com", "A"), row("z1", "b@x.com", "A"), row("z1", "b@x.com", "A"),
              row("z2", "a@x.com", null))
          .source("stripe", false, row("cus_1", "b@x.com"))
          .source("intercom", true, row("i1", "c@x.com", "B"), row("i1", "c@x.com", "B"));
      Settings settings = f.settings();
      Dataset<Row> rows = guardedRows(f, "zendesk", "stripe", "intercom");
      Dataset<Row> matches = ExternalIdLinks.matches(rows, settings);
      String matchPlan = matches.queryExecution().executedPlan().toString(); // not run: printed once
      // Both linking sources' ids in one exchange, the anchor ids in one; the de-duplication after the
      // join adds none.
      assertEquals(2, matchPlan.split("Exchange hashpartitioning", -1).length - 1, matchPlan);
      long z1 = vertex(rows, "zendesk", "z1");
      long i1 = vertex(rows, "intercom", "i1");
      long a = vertex(rows, "segment", "A");
      long b = vertex(rows, "segment", "B");
      assertEquals(java.util.stream.Stream.of("[" + i1 + ",intercom,i1,B," + b + "]",
          "[" + z1 + ",zendesk,z1,A," + a + "]").sorted().toList(), sorted(matches));

      Dataset<Row> ext = ExternalIdLinks.links(matches).localCheckpoint(true);
      Dataset<Row> conflicts = LinkConflicts.emailConflicts(rows, ext, settings);
      String conflictPlan = conflicts.queryExecution().executedPlan().toString();
      // The links by record, the candidates by record, both sides by address; the linked anchors are a
      // filter and the de-duplication groups on the address's partitioning.
      assertEquals(4, conflictPlan.split("Exchange hashpartitioning", -1).length - 1, conflictPlan);
      assertFalse(conflictPlan.contains("LeftAnti"), conflictPlan);
      assertEquals(List.of("[" + z1 + ",zendesk,z1,A,b@x.com,B]"), sorted(conflicts));
    });
  }

  @Test
  void linkingSourcesWithDifferentJoinStrategiesAreJoinedApartWithTheSameMatches(SparkSession spark) {
    SparkBroadcasts.off(spark, () -> {
      java.util.function.Supplier<Fixtures> twoLinkingSources = () -> new Fixtures(spark).broadcastThreshold(0)
          .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"))
          .source("zendesk", true, row("z1", "b@x.com", "A"), row("z2", "c@x.com", "nobody"))
          .source("intercom", true, row("i1", "c@x.com", "B"), row("i2", "d@x.com", "A"));
      Fixtures together = twoLinkingSources.get();
      Fixtures apart = twoLinkingSources.get().joinStrategy("zendesk", JoinStrategy.BROADCAST)
          .joinStrategy("intercom", JoinStrategy.SORT_MERGE);
      Dataset<Row> joinedTogether = ExternalIdLinks.matches(guardedRows(together, "zendesk", "intercom"),
          together.settings());
      Dataset<Row> joinedApart = ExternalIdLinks.matches(guardedRows(apart, "zendesk", "intercom"), apart.settings());
      String plan = executedPlan(joinedApart);
      assertTrue(plan.contains("BroadcastHashJoin") && plan.contains("SortMergeJoin"), plan);
      // One join for both sources when they name one strategy (the adaptive plan's final part).
      String together1 = executedPlan(joinedTogether).split("Initial Plan")[0];
      assertEquals(1, together1.split("SortMergeJoin", -1).length - 1, together1);
      assertEquals(4, sorted(joinedApart).size());
      assertEquals(sorted(joinedTogether), sorted(joinedApart));
    });
  }

  @Test
  void eMailLinksBroadcastTheRecordsLinkedByExternalIdByTheirCountedLinks(SparkSession spark) {
    // Spark alone would broadcast nothing: what is broadcast here is the counted links' choice.
    SparkBroadcasts.off(spark, () -> {
      // One link (z1 -> A); a threshold of one linked record's bytes.
      Fixtures f = fixtures(spark).broadcastThreshold(EmailLinks.LINKED_RECORD_BYTES);
      Dataset<Row> rows = guardedRows(f);
      Dataset<Row> ext = ExternalIdLinks.of(rows, f.settings()).localCheckpoint(true);
      assertEquals(1, ext.count());
      Dataset<Row> counted = EmailLinks.of(rows, ext, OptionalLong.of(1), f.settings());
      String fits = executedPlan(counted);
      assertTrue(fits.contains("BroadcastHashJoin"), fits);
      assertFalse(fits.contains("SortMergeJoin"), fits);
      // Over the threshold, or not counted, Spark's estimate decides, as before: sort-merge here.
      for (OptionalLong n : List.of(OptionalLong.of(2), OptionalLong.empty())) {
        Dataset<Row> estimated = EmailLinks.of(rows, ext, n, f.settings());
        String plan = executedPlan(estimated);
        assertTrue(plan.contains("SortMergeJoin"), plan);
        assertEquals(sorted(estimated), sorted(counted));
      }
      // z2 (a@, no external-id link) links to A by e-mail, to the smaller vertex of the two (the
      // star); z1, linked by external id, takes no part in b@'s links.
      long z2 = vertex(rows, "zendesk", "z2");
      long a = vertex(rows, "segment", "A");
      assertEquals(List.of("[" + Math.max(z2, a) + "," + Math.min(z2, a) + ",a@x.com]"),
          sorted(counted.select("src", "dst", "value").where("value = 'a@x.com'")));
      long z1 = vertex(rows, "zendesk", "z1");
      assertEquals(0, counted.where(col("src").equalTo(z1).or(col("dst").equalTo(z1))).count());
    });
  }

  private static List<String> sorted(Dataset<Row> ds) {
    return ds.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static long vertex(Dataset<Row> rows, String source, String id) {
    return rows.where(col(SourceRecords.SOURCE).equalTo(source).and(col(SourceRecords.SOURCE_ID).equalTo(id)))
        .select(SourceRecords.VERTEX).first().getLong(0);
  }

  @Test
  void smallSidesAreBroadcastUnderTheThreshold(SparkSession spark) {
    Fixtures f = fixtures(spark).broadcastThreshold(10L * 1024 * 1024);
    Settings settings = f.settings();
    Dataset<Row> rows = SourceRecords.of(f.tables().get("segment"), settings.source("segment"))
        .unionByName(SourceRecords.of(f.tables().get("zendesk"), settings.source("zendesk")));
    String plan = executedPlan(ExternalIdLinks.of(rows, settings));
    assertTrue(plan.contains("BroadcastHashJoin"), plan);
  }

  @Test
  void sidesOverTheThresholdAreSortMerged(SparkSession spark) {
    // AQE would otherwise turn a tiny sort-merge join into a broadcast at run time.
    SparkBroadcasts.off(spark, () -> {
      Fixtures f = fixtures(spark).broadcastThreshold(0);
      Settings settings = f.settings();
      Dataset<Row> rows = SourceRecords.of(f.tables().get("segment"), settings.source("segment"))
          .unionByName(SourceRecords.of(f.tables().get("zendesk"), settings.source("zendesk")));
      String plan = executedPlan(ExternalIdLinks.of(rows, settings));
      assertTrue(plan.contains("SortMergeJoin"), plan);
      assertFalse(plan.contains("BroadcastHashJoin"), plan);
    });
  }

  @Test
  void theSqlRecipesOrJoinIsANestedLoopJoin(SparkSession spark) {
    // Why identity-join exists: the recipe's OR condition cannot be an equi-join.
    Fixtures f = fixtures(spark);
    f.tables().get("segment").createOrReplaceTempView("segment_users");
    f.tables().get("zendesk").createOrReplaceTempView("zendesk_users");
    String plan = executedPlan(spark.sql("SELECT s.id, z.id FROM segment_users s LEFT JOIN zendesk_users z "
        + "ON (z.external_id = s.id OR z.email = s.email)"));
    assertTrue(plan.contains("NestedLoopJoin"), plan);
  }
}
