package io.identityjoin.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.ExecutionSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.core.AnchorProtection;
import io.identityjoin.core.BlockedValues;
import io.identityjoin.core.ComponentLookup;
import io.identityjoin.core.EmailLinks;
import io.identityjoin.core.ExternalIdLinks;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.HubCap;
import io.identityjoin.core.LinkConflicts;
import io.identityjoin.core.LinkEvidence;
import io.identityjoin.core.PersonComponents;
import io.identityjoin.graph.ConnectedComponents;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleOptions;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * identity_map assembled per person (one shuffle of the records and links by person, one fold per
 * person) gives the rows of {@link IdentityMap#of}, the joins of the records with the components,
 * the external-ID links, the evidence and the findings, which is kept as the oracle. Checked on the
 * sample generator's sources (ids and e-mails shared across six sources, history rows, dangling ids,
 * e-mail conflicts) over several partitions, with the guards and anchor protection as a run has them.
 */
@ExtendWith(SparkSessionExtension.class)
class PersonAssemblyTest {

  private record Tables(Settings settings, Dataset<Row> linkRows, Dataset<Row> records, Dataset<Row> components,
      Dataset<Row> externalIdLinks, Dataset<Row> emailLinks, Dataset<Row> flags, ConnectedComponents.Result result) {}

  private static Tables tables;

  @BeforeAll
  static void linkTheSample(SparkSession spark) {
    Map<String, Dataset<Row>> sample = SampleGenerator.tables(spark, SampleOptions.defaults().withPersons(600));
    Fixtures f = Fixtures.sampleSources(spark, sample, new ExecutionSettings(ExecutionSettings.WholeStageCodegen.AUTO, 0));
    Settings settings = f.settings();
    Dataset<Row> rows = BlockedValues.withheld(BlockedValues.flag(IdentityResolution.recordRows(f.tables(), settings),
        settings.guards())).localCheckpoint(true);
    long n = rows.count();
    long t = settings.broadcastThresholdBytes();
    Dataset<Row> emailHubs = HubCap.emailHubs(rows, settings.guards(), n, t).localCheckpoint(true);
    Dataset<Row> idHubs = HubCap.externalIdHubs(rows, settings, n).localCheckpoint(true);
    Dataset<Row> linkRows = HubCap.withheld(rows, emailHubs, emailHubs.count(), idHubs, idHubs.count(), t)
        .localCheckpoint(true);
    Dataset<Row> matches = ExternalIdLinks.matches(linkRows, settings).localCheckpoint(true);
    Dataset<Row> ext = ExternalIdLinks.links(matches).localCheckpoint(true);
    Dataset<Row> allEmail = EmailLinks.of(linkRows, ext, settings).localCheckpoint(true);
    Dataset<Row> first = PersonComponents.of(ext.unionByName(allEmail), settings).components().localCheckpoint(true);
    Dataset<Row> dropped = AnchorProtection.droppedLinks(ext, allEmail, first, settings.guards().maxAnchorIdsPerPerson())
        .localCheckpoint(true);
    Dataset<Row> email = allEmail.join(dropped, allEmail.col(ExternalIdLinks.SRC).equalTo(dropped.col(ExternalIdLinks.SRC))
        .and(allEmail.col(ExternalIdLinks.DST).equalTo(dropped.col(ExternalIdLinks.DST))), "left_anti").localCheckpoint(true);
    ConnectedComponents.Result result = PersonComponents.of(ext.unionByName(email), settings);
    Dataset<Row> components = result.components().localCheckpoint(true);
    Dataset<Row> flags = GuardFlags.ofFindings(LinkConflicts.dangling(matches),
        LinkConflicts.emailConflicts(linkRows, ext, settings), dropped).localCheckpoint(true);
    tables = new Tables(settings, linkRows, IdentityMap.records(linkRows).localCheckpoint(true), components, ext, email,
        flags, result);
  }

  /** identity_map's columns of the assembly. */
  private static Dataset<Row> assembled() {
    return PersonAssembly.published(withCounts());
  }

  private static Dataset<Row> withCounts() {
    return PersonAssembly.identityMap(tables.linkRows(), tables.components(), tables.externalIdLinks(),
        tables.emailLinks(), tables.flags(), tables.settings().anchor());
  }

  @Test
  void assembledPerPersonTheRowsAreThoseOfIdentityMapsJoins() {
    Dataset<Row> evidence = LinkEvidence.of(tables.externalIdLinks(), tables.emailLinks(), tables.components());
    Dataset<Row> joined = IdentityMap.of(tables.records(), tables.components(), tables.externalIdLinks(), evidence,
        tables.flags(), tables.settings().anchor());
    Dataset<Row> folded = assembled();
    assertEquals(joined.schema(), folded.schema());
    long rows = joined.count();
    assertEquals(rows, folded.count());
    assertEquals(0, joined.exceptAll(folded).count(), "rows of the joins missing from the fold");
    assertEquals(0, folded.exceptAll(joined).count(), "rows of the fold missing from the joins");
    // The sample exercises what the fold works out: every match rule, evidence of both kinds, and
    // the findings' flags.
    Map<String, Long> rules = new HashMap<>();
    folded.groupBy(IdentityMap.MATCH_RULE).count().collectAsList().forEach(r -> rules.put(r.getString(0), r.getLong(1)));
    assertEquals(4, rules.size(), rules.toString());
    assertEquals(2, folded.where(col(IdentityMap.MATCHED_ON).isNotNull()).select(IdentityMap.MATCHED_ON).distinct().count());
    assertTrue(folded.where("array_contains(flags, 'dangling_external_id')").count() > 0);
    assertTrue(folded.where("array_contains(flags, 'email_conflict')").count() > 0);
  }

  @Test
  void theComponentsLookedUpInTheDriversLabelsGiveTheRowsOfTheJoins(SparkSession spark) {
    ComponentLookup lookup = ComponentLookup.of(spark, tables.result(), tables.settings().broadcastThresholdBytes())
        .orElseThrow();
    try {
      Dataset<Row> looked = lookedUp(lookup);
      Dataset<Row> joined = withCounts();
      assertEquals(joined.schema(), looked.schema());
      assertEquals(joined.count(), looked.count());
      assertEquals(0, joined.exceptAll(looked).count(), "rows of the joins missing from the lookup's fold");
      assertEquals(0, looked.exceptAll(joined).count(), "rows of the lookup's fold missing from the joins");
      // What the lookup's fold joins itself: the findings' flags, and whether a record is linked.
      assertTrue(looked.where("array_contains(flags, 'dangling_external_id')").count() > 0);
      assertTrue(looked.where("array_contains(flags, 'email_conflict')").count() > 0);
      assertTrue(looked.where(col(IdentityMap.MATCH_RULE).equalTo("unmatched")).count() > 0);
      // The records meet the components without a join: the person shuffle is the plan's only one.
      String plan = looked.queryExecution().executedPlan().toString();
      assertEquals(1, plan.split("Exchange ", -1).length - 1, plan);
      assertFalse(plan.contains("Join"), plan);
      assertWholePersonsInOrder(spark, PersonAssembly.published(looked));
    } finally {
      lookup.release();
    }
  }

  @Test
  void theDriversLabelsAreLookedUpOnlyUnderTheBroadcastThreshold(SparkSession spark) {
    long bytes = tables.result().driverLabels().orElseThrow().bytes();
    assertTrue(ComponentLookup.of(spark, tables.result(), bytes).isPresent());
    assertTrue(ComponentLookup.of(spark, tables.result(), bytes - 1).isEmpty());
    ConnectedComponents.Result distributed = new ConnectedComponents.Result(tables.components(), 3, false);
    assertTrue(ComponentLookup.of(spark, distributed, Long.MAX_VALUE).isEmpty());
  }

  private static Dataset<Row> lookedUp(ComponentLookup lookup) {
    return PersonAssembly.identityMap(tables.linkRows(), lookup, tables.externalIdLinks(), tables.emailLinks(),
        tables.flags(), tables.settings().anchor());
  }

  @Test
  void eachRecordsCountedColumnsAreThoseOfTheRecordsTable() {
    Dataset<Row> counted = withCounts().select(col("source"), col("source_id"), col(IdentityMap.HAS_EXTERNAL_ID),
        col(IdentityMap.VERTEX_COLLISION));
    Dataset<Row> records = tables.records().select(col("source"), col("source_id"), col(IdentityMap.HAS_EXTERNAL_ID),
        col(IdentityMap.VERTEX_COLLISION));
    assertEquals(records.count(), counted.count());
    assertEquals(0, records.exceptAll(counted).count());
    assertEquals(0, counted.exceptAll(records).count());
    assertTrue(counted.where(col(IdentityMap.HAS_EXTERNAL_ID)).count() > 0);
    // The sample's history rows: records of several rows, folded into one row each.
    assertTrue(tables.linkRows().where(col("source_id").isNotNull()).count() > records.count());
  }

  @Test
  void aRecordsRowsAndAVertexHashClashFoldAsTheRecordsTableGroupsThem(SparkSession spark) {
    // By hand: one record on three history rows (e-mails to take the smallest of, in Spark's string
    // order: U+FF21 sorts before U+1F600 in UTF-8 but after it in Java's UTF-16), one whose only
    // e-mail a guard withheld, and two (source, id) pairs sharing a vertex across two sources.
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES "
        + "('zendesk', 'z1', 1L, '\uD83D\uDE00@x.com', 'e1', CAST(NULL AS STRING), false, false, false, false),"
        + "('zendesk', 'z1', 1L, '\uFF21@x.com', CAST(NULL AS STRING), CAST(NULL AS STRING), false, false, true, false),"
        + "('zendesk', 'z1', 1L, CAST(NULL AS STRING), CAST(NULL AS STRING), 'a@x.com', true, false, false, false),"
        + "('zendesk', 'z3', 3L, CAST(NULL AS STRING), CAST(NULL AS STRING), 'blocked@x.com', true, false, false, false),"
        + "('zendesk', '\uD83D\uDE00', 2L, CAST(NULL AS STRING), CAST(NULL AS STRING), 'blocked@x.com', true, false, false, false),"
        + "('stripe', '\uFF21', 2L, 'c@x.com', CAST(NULL AS STRING), CAST(NULL AS STRING), false, false, false, false),"
        + "('stripe', CAST(NULL AS STRING), CAST(NULL AS BIGINT), 'd@x.com', CAST(NULL AS STRING), CAST(NULL AS STRING), false, false, false, false)"
        + " AS t(source, source_id, vertex, email, external_id, guarded_email, email_blocked, external_id_blocked,"
        + " email_hub, external_id_hub)");
    Dataset<Row> noComponents = tables.components().limit(0);
    Dataset<Row> noExternal = tables.externalIdLinks().limit(0);
    Dataset<Row> noEmail = tables.emailLinks().limit(0);
    Dataset<Row> noFlags = tables.flags().limit(0);
    Dataset<Row> records = IdentityMap.records(rows);
    Dataset<Row> joined = IdentityMap.of(records, noComponents, noExternal,
        LinkEvidence.of(noExternal, noEmail, noComponents), noFlags, "segment");
    Dataset<Row> folded = PersonAssembly.identityMap(rows, noComponents, noExternal, noEmail, noFlags, "segment");
    List<Row> expected = joined.orderBy("source", "source_id").collectAsList();
    List<Row> actual = PersonAssembly.published(folded).orderBy("source", "source_id").collectAsList();
    assertEquals(3, expected.size());
    assertEquals(expected, actual);
    assertEquals("\uFF21@x.com", actual.get(1).getAs("email"));
    assertEquals("\uFF21", actual.get(0).getAs("source_id"));
    Map<String, Row> counted = new HashMap<>();
    folded.collectAsList().forEach(r -> counted.put(r.<String>getAs("source_id"), r));
    assertTrue(counted.get("\uFF21").<Boolean>getAs(IdentityMap.VERTEX_COLLISION));
    assertTrue(counted.get("z1").<Boolean>getAs(IdentityMap.HAS_EXTERNAL_ID));
    assertEquals(false, counted.get("z1").<Boolean>getAs(IdentityMap.VERTEX_COLLISION));
    assertEquals(false, counted.get("z3").<Boolean>getAs(IdentityMap.HAS_EXTERNAL_ID));
    assertEquals("blocked@x.com", counted.get("z3").getAs("email"));
  }

  @Test
  void eachPartitionHoldsWholePersonsTheirRowsInSourceAndIdOrder(SparkSession spark) {
    assertWholePersonsInOrder(spark, assembled());
  }

  private static void assertWholePersonsInOrder(SparkSession spark, Dataset<Row> assembled) {
    // Spark's adaptive execution would put this small input in one partition: kept apart here.
    String coalesce = "spark.sql.adaptive.coalescePartitions.enabled";
    String before = spark.conf().get(coalesce);
    List<Row> rows;
    try {
      spark.conf().set(coalesce, "false");
      rows = assembled
          .select(spark_partition_id().as("p"), monotonically_increasing_id().as("i"), col(IdentityMap.PERSON_ID),
              col("source"), col("source_id"))
          .orderBy("i").collectAsList();
    } finally {
      spark.conf().set(coalesce, before);
    }
    assertTrue(rows.stream().map(r -> r.getInt(0)).distinct().count() > 1, "more than one partition");
    Map<String, Integer> partitionOf = new HashMap<>();
    Row previous = null;
    for (Row r : rows) {
      String person = r.getString(2);
      boolean samePersonAsPrevious = previous != null && previous.getString(2).equals(person);
      if (samePersonAsPrevious) {
        int bySource = UTF8String.fromString(previous.getString(3)).compareTo(UTF8String.fromString(r.getString(3)));
        assertTrue(bySource < 0 || bySource == 0 && UTF8String.fromString(previous.getString(4))
            .compareTo(UTF8String.fromString(r.getString(4))) < 0, "order within " + person);
      } else {
        // A person's rows start once: the person was not seen before, in this partition or another.
        assertEquals(null, partitionOf.put(person, r.getInt(0)), person + " is split");
      }
      previous = r;
    }
  }

  @Test
  void userIdentitiesFoldedFromThePersonRunsAreThoseOfTheShuffle() {
    Dataset<Row> identityMap = PersonIdAssignment.assign(assembled(), Optional.empty(), "r1");
    Dataset<Row> shuffled = UserIdentities.of(identityMap, tables.settings());
    Dataset<Row> runs = UserIdentities.ofPersonRuns(identityMap, tables.settings());
    assertEquals(shuffled.schema(), runs.schema());
    assertEquals(shuffled.count(), runs.count());
    assertEquals(0, shuffled.exceptAll(runs).count());
    assertEquals(0, runs.exceptAll(shuffled).count());
  }
}
