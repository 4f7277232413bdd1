package io.identityjoin.core;

import static io.identityjoin.testing.Fixtures.bySourceId;
import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.SettingsLoader;
import io.identityjoin.pipeline.GuardReport;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The over-merge guards, one test (or two) per guard, through the whole resolution. */
@ExtendWith(SparkSessionExtension.class)
class GuardsTest {

  private static String person(Map<String, Row> m, String key) {
    return m.get(key).getAs("person_id");
  }

  private static List<String> flags(Map<String, Row> m, String key) {
    return m.get(key).getList(m.get(key).fieldIndex("flags"));
  }

  @Test
  void blockedValues_aBlockedEmailNeverLinksAndStaysInTheOutputFlagged(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "Test@Test.com"), row("B", "noreply@shop.io"), row("C", "c@x.com"))
        .source("stripe", false, row("cus_1", "test@test.com"), row("cus_2", "noreply@shop.io"),
            row("cus_3", "c@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertNotEquals(person(m, "segment/A"), person(m, "stripe/cus_1"));
    assertNotEquals(person(m, "segment/B"), person(m, "stripe/cus_2"));
    assertEquals(person(m, "segment/C"), person(m, "stripe/cus_3"), "an ordinary address still links");
    assertEquals("test@test.com", m.get("stripe/cus_1").getAs("email"), "the value stays in the output");
    assertEquals(List.of("blocked_email"), flags(m, "stripe/cus_1"));
    assertEquals(List.of(), flags(m, "stripe/cus_3"));
    assertEquals("unmatched", m.get("stripe/cus_1").getAs("match_rule"));
    GuardReport g = r.guards();
    assertEquals(4, g.counts().blockedEmailRecords());
    assertEquals(new GuardReport.ValueCount(null, "noreply@shop.io", 2), g.blockedEmails().get(0));
    Row a = r.userIdentities().where("segment_id = 'A'").first();
    assertNull(a.getAs("email"), "a blocked address never names the person");
    r.release();
  }

  @Test
  void blockedValues_aBlockedExternalIdFallsBackToEmail(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("0", "zero@x.com"), row("000-000", "dash@x.com"), row("S", "s@x.com"))
        .source("zendesk", true, row("z1", "s@x.com", " 0 "), row("z2", "dash@x.com", "000-000"),
            row("z3", null, "NULL"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "segment/S"), person(m, "zendesk/z1"), "e-mail fallback once the id is blocked");
    assertEquals("email", m.get("zendesk/z1").getAs("match_rule"));
    assertNotEquals(person(m, "segment/0"), person(m, "zendesk/z1"));
    assertEquals(person(m, "segment/000-000"), person(m, "zendesk/z2"), "by e-mail, not by the blocked id");
    assertEquals(List.of("blocked_external_id"), flags(m, "zendesk/z3"));
    assertEquals(3, r.guards().counts().blockedExternalIdRecords());
    assertEquals(0, r.summary().sources().get(1).recordsWithDanglingExternalId(), "blocked is not dangling");
    r.release();
  }

  @Test
  void hubCap_anEmailOnMoreRecordsThanTheCapDoesNotLinkAndIsListedWithItsCount(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .guards(SettingsLoader.defaultGuards().withMaxRecordsPerEmail(3))
        .anchor("segment", row("A", "info@shop.io"), row("B", "pair@x.com"))
        .source("stripe", false, row("cus_1", "info@shop.io"), row("cus_2", "INFO@shop.io"),
            row("cus_3", "info@shop.io"), row("cus_4", "pair@x.com"), row("cus_5", "pair@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(4, m.values().stream().filter(x -> flags(m, x.getAs("source") + "/" + x.getAs("source_id"))
        .contains("hub_email")).count());
    assertNotEquals(person(m, "segment/A"), person(m, "stripe/cus_1"));
    assertNotEquals(person(m, "stripe/cus_2"), person(m, "stripe/cus_1"));
    assertEquals(person(m, "segment/B"), person(m, "stripe/cus_5"), "three records: at the cap, still links");
    assertEquals(List.of(new GuardReport.ValueCount(null, "info@shop.io", 4)), r.guards().hubEmails());
    assertEquals("info@shop.io", m.get("stripe/cus_2").getAs("email"));
    r.release();
  }

  @Test
  void hubCap_anExternalIdFromTooManyRecordsOfOneSourceDoesNotLink(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .guards(SettingsLoader.defaultGuards().withMaxRecordsPerExternalId(2))
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"))
        .source("zendesk", true, row("z1", "z1@x.com", "A"), row("z2", "z2@x.com", "A"), row("z3", "b@x.com", "A"),
            row("z4", "z4@x.com", "B"), row("z5", "z5@x.com", "B"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals("unmatched", m.get("zendesk/z1").getAs("match_rule"));
    assertEquals(person(m, "segment/B"), person(m, "zendesk/z3"), "falls back to e-mail");
    assertEquals(person(m, "segment/B"), person(m, "zendesk/z5"), "two records of one source: at the cap");
    assertEquals(List.of("hub_external_id"), flags(m, "zendesk/z1"));
    assertEquals(List.of(new GuardReport.ValueCount("zendesk", "A", 3)), r.guards().hubExternalIds());
    r.release();
  }

  @Test
  void anchorProtection_emailLinksJoiningAnchorIdsAreDroppedAndReported(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .guards(SettingsLoader.defaultGuards().withMaxAnchorIdsPerPerson(1))
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"))
        // m1's history carries both addresses: without the guard A and B become one person.
        .source("mailchimp", false, row("m1", "a@x.com"), row("m1", "b@x.com"))
        .source("stripe", false, row("cus_1", "a@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertNotEquals(person(m, "segment/A"), person(m, "segment/B"));
    assertEquals(person(m, "segment/A"), person(m, "stripe/cus_1"));
    assertEquals(1, r.guards().counts().droppedEmailLinks());
    GuardReport.DroppedLink d = r.guards().droppedLinks().get(0);
    assertTrue(d.email().equals("a@x.com") || d.email().equals("b@x.com"), d.toString());
    assertTrue(flags(m, d.from()).contains("dropped_email_link"), d.toString());
    assertTrue(flags(m, d.to()).contains("dropped_email_link"), d.toString());
    assertEquals(3, r.summary().largestPerson(), "m1 stays with one anchor: persons of 3 and 1");
    r.release();
  }

  @Test
  void anchorProtection_neverDropsExternalIdLinks(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .guards(SettingsLoader.defaultGuards().withMaxAnchorIdsPerPerson(1))
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"), row("C", "c@x.com"))
        .source("intercom", true, row("c1", null, "A"), row("c1", null, "B"))
        .source("stripe", false, row("cus_1", "b@x.com"), row("cus_2", "c@x.com"), row("cus_2", "a@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "segment/A"), person(m, "segment/B"), "both external ids of c1 stay");
    assertEquals(person(m, "segment/B"), person(m, "stripe/cus_1"), "no second anchor id through cus_1");
    assertNotEquals(person(m, "segment/A"), person(m, "segment/C"));
    assertEquals(1, r.guards().counts().droppedEmailLinks());
    r.release();
  }

  @Test
  void linkConflicts_danglingExternalIdsAndEmailConflictsAreReportedAndFlagged(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"))
        .source("zendesk", true, row("z1", "z1@x.com", "ghost"), row("z2", "b@x.com", "A"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(List.of("dangling_external_id"), flags(m, "zendesk/z1"));
    assertEquals(List.of("email_conflict"), flags(m, "zendesk/z2"));
    assertEquals(person(m, "segment/A"), person(m, "zendesk/z2"), "rule 4 still decides");
    assertEquals(List.of(new GuardReport.Dangling("zendesk/z1", "ghost")), r.guards().dangling());
    assertEquals(List.of(new GuardReport.Conflict("zendesk/z2", "A", "b@x.com", "B")), r.guards().conflicts());
    assertEquals(1, r.summary().guards().emailConflictRecords());
    assertEquals(1, r.summary().guards().danglingExternalIdRecords());
    assertEquals(0, r.summary().guards().blockedEmailRecords());
    r.release();
  }

  @Test
  void linkConflicts_anEmailConflictIsFoundOnAnyRowOfTheRecordAndOnlyForExternalIdLinks(SparkSession spark) {
    // z3's external id is on one row, the anchor B's address on another (history rows of one record);
    // cus_1 (a source without external ids) shares B's address too but links by e-mail: no conflict.
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"))
        .source("zendesk", true, row("z3", "z3@x.com", "A"), row("z3", "b@x.com", null))
        .source("stripe", false, row("cus_1", "b@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(List.of("email_conflict"), flags(m, "zendesk/z3"));
    assertEquals(List.of(), flags(m, "stripe/cus_1"));
    assertEquals(person(m, "segment/A"), person(m, "zendesk/z3"), "rule 4 still decides");
    assertEquals(person(m, "segment/B"), person(m, "stripe/cus_1"));
    assertEquals(List.of(new GuardReport.Conflict("zendesk/z3", "A", "b@x.com", "B")), r.guards().conflicts());
    assertEquals(1, r.summary().guards().emailConflictRecords());
    r.release();
  }

  @Test
  void linkConflicts_aRecordLinkedToSeveralAnchorsConflictsOnlyWithAnAnchorItIsNotLinkedTo(SparkSession spark) {
    // z4 names A, B and C on three history rows, each with that anchor's address: no conflict with any
    // of them (whichever lies between the others in vertex order too), only with D, whose address a
    // fourth row carries.
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"), row("C", "c@x.com"), row("D", "d@x.com"))
        .source("zendesk", true, row("z4", "a@x.com", "A"), row("z4", "b@x.com", "B"), row("z4", "c@x.com", "C"),
            row("z4", "d@x.com", null))
        .run();
    assertEquals(List.of(new GuardReport.Conflict("zendesk/z4", "A", "d@x.com", "D")), r.guards().conflicts());
    assertEquals(1, r.summary().guards().emailConflictRecords());
    r.release();
  }

  @Test
  void linkEvidence_eachRecordSaysWhichValueLinkedItToWhichRecord(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("lonely", null))
        .source("zendesk", true, row("1303028105", "z@x.com", "A"))
        .source("stripe", false, row("cus_1", "a@x.com"))
        .source("mailchimp", false, row("m1", "A@x.com"), row("m1", "next@x.com"), row("m2", "next@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals("A", m.get("zendesk/1303028105").getAs("matched_by"));
    assertEquals("segment/A", m.get("zendesk/1303028105").getAs("linked_to"));
    assertEquals("a@x.com", m.get("stripe/cus_1").getAs("matched_by"));
    assertEquals("segment/A", m.get("stripe/cus_1").getAs("linked_to"));
    assertEquals("next@x.com", m.get("mailchimp/m2").getAs("matched_by"));
    assertEquals("mailchimp/m1", m.get("mailchimp/m2").getAs("linked_to"), "the shortest chain to the anchor");
    assertNull(m.get("segment/A").getAs("linked_to"), "the anchor is the root");
    assertNull(m.get("segment/lonely").getAs("matched_by"));
    r.release();
  }
}
