package io.identityjoin.pipeline;

import static io.identityjoin.testing.Fixtures.bySourceId;
import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The identity semantics of the core issue, one test (or a few) named for each rule. */
@ExtendWith(SparkSessionExtension.class)
class IdentitySemanticsTest {

  private static String person(Map<String, Row> m, String key) {
    Row r = m.get(key);
    if (r == null) {
      throw new AssertionError("no identity_map row for " + key + " in " + m.keySet());
    }
    return r.getAs("person_id");
  }

  private static String rule(Map<String, Row> m, String key) {
    return m.get(key).getAs("match_rule");
  }

  @Test
  void rule1_recordIsSourceAndIdCastToStringAndTrimmed(SparkSession spark) {
    Dataset<Row> zendesk = spark.createDataFrame(List.of(
            RowFactory.create(1303028105L, "a@x.com", " seg1\t"),
            RowFactory.create(42L, "b@x.com", null)),
        Fixtures.schema(DataTypes.createStructField("id", DataTypes.LongType, true),
            DataTypes.createStructField("email", DataTypes.StringType, true),
            DataTypes.createStructField("external_id", DataTypes.StringType, true)));
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("  seg1 ", "s@x.com"))
        .table("zendesk", zendesk, "id", Optional.of("email"), Optional.of("external_id"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(Set.of("segment/seg1", "zendesk/1303028105", "zendesk/42"), m.keySet());
    assertEquals(person(m, "segment/seg1"), person(m, "zendesk/1303028105"));
    r.release();
  }

  @Test
  void rule1_nullAndBlankIdsAreSkippedAndCounted(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"), row(null, "b@x.com"), row("   ", "c@x.com"), row("", "d@x.com"))
        .run();
    assertEquals(Set.of("segment/s1"), bySourceId(r.identityMap()).keySet());
    RunSummary.SourceCounts counts = r.summary().sources().get(0);
    assertEquals(4, counts.rowsRead());
    assertEquals(3, counts.rowsSkippedBlankId());
    assertEquals(1, counts.records());
    r.release();
  }

  @Test
  void rule1_rowsWithTheSameSourceAndIdAreOneRecordAndAllTheirEmailsAndExternalIdsApply(SparkSession spark) {
    // Intercom's contact_history: one contact, three rows, two addresses and two external ids.
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "one@x.com"), row("s2", "two@x.com"), row("s3", "three@x.com"))
        .source("intercom", true,
            row("c1", "old@x.com", "s1"), row("c1", "new@x.com", null), row("c1", null, "s2"),
            row("c2", "old@x.com", null), row("c3", "new@x.com", null))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(1, m.keySet().stream().filter(k -> k.equals("intercom/c1")).count());
    // Both external ids of c1 apply: s1 and s2 are one person through it.
    assertEquals(person(m, "segment/s1"), person(m, "intercom/c1"));
    assertEquals(person(m, "segment/s2"), person(m, "intercom/c1"));
    assertNotEquals(person(m, "segment/s3"), person(m, "intercom/c1"));
    // c1 has external-ID links, so its e-mails do not take part (rule 4): c2 and c3 stay apart from it.
    assertNotEquals(person(m, "intercom/c1"), person(m, "intercom/c2"));
    assertEquals(4, r.summary().sources().get(1).records() + 1, "3 intercom records");
    r.release();
  }

  @Test
  void rule1_rowsWithTheSameIdLinkByEveryEmailTheyCarry(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "one@x.com"), row("s2", "two@x.com"))
        .source("mailchimp", false, row("m1", "one@x.com"), row("m1", "two@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "segment/s1"), person(m, "segment/s2"));
    assertEquals(person(m, "segment/s1"), person(m, "mailchimp/m1"));
    assertEquals("one@x.com", m.get("mailchimp/m1").getAs("email"), "a record shows its smallest address");
    r.release();
  }

  @Test
  void rule1_sameIdTextInTwoSourcesIsTwoRecords(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("123", "a@x.com"))
        .source("stripe", false, row("123", "b@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(2, m.size());
    assertNotEquals(person(m, "segment/123"), person(m, "stripe/123"));
    r.release();
  }

  @Test
  void rule2_emailsAreTrimmedAndLowerCasedBeforeTheyLink(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "  Ziggy@StarDust.COM\t"))
        .source("stripe", false, row("cus_1", "ziggy@stardust.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "segment/s1"), person(m, "stripe/cus_1"));
    assertEquals("ziggy@stardust.com", m.get("segment/s1").getAs("email"));
    r.release();
  }

  @Test
  void rule2_unusableEmailsCountAsNoEmailAndAreCounted(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "n/a"), row("s2", "bob@"), row("s3", "no email"), row("s4", "a@b"),
            row("s5", ""), row("s6", null), row("s7", "x@@y.com"))
        .source("stripe", false, row("c1", "n/a"), row("c2", "bob@"), row("c3", "a@b"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    for (Row row : m.values()) {
      assertNull(row.getAs("email"), "no usable e-mail: " + row);
    }
    assertEquals(10, m.values().stream().map(x -> (String) x.getAs("person_id")).distinct().count(),
        "equal junk never links");
    RunSummary.SourceCounts segment = r.summary().sources().get(0);
    assertEquals(5, segment.rowsWithUnusableEmail(), "blank and null are absent, not unusable");
    assertEquals(3, r.summary().sources().get(1).rowsWithUnusableEmail());
    r.release();
  }

  @Test
  void rule3_externalIdEqualToAnAnchorIdLinksToThatAnchorRecord(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("mYhgYcRBC7", "a@x.com"), row("other", "b@x.com"))
        .source("zendesk", true, row("1", "z@x.com", " mYhgYcRBC7 "), row("2", "y@x.com", "missing"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "segment/mYhgYcRBC7"), person(m, "zendesk/1"));
    assertEquals("external_id", rule(m, "zendesk/1"));
    assertEquals("unmatched", rule(m, "zendesk/2"), "an external id naming no anchor id links nothing");
    assertEquals(1, r.summary().sources().get(1).recordsWithDanglingExternalId());
    r.release();
  }

  @Test
  void rule4_recordWithAnExternalIdLinkDoesNotLinkByEmail(SparkSession spark) {
    // The contract's example: external id names A, e-mail is B's -> joins A only.
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"))
        .source("zendesk", true, row("z1", "b@x.com", "A"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "segment/A"), person(m, "zendesk/z1"));
    assertNotEquals(person(m, "segment/B"), person(m, "zendesk/z1"));
    r.release();
  }

  @Test
  void rule4_recordWithoutAnExternalIdLinkLinksByEmail(SparkSession spark) {
    // Null, blank and dangling external ids all fall back to e-mail.
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"))
        .source("zendesk", true, row("z1", "a@x.com", null), row("z2", "a@x.com", "  "),
            row("z3", "a@x.com", "nobody"))
        .source("stripe", false, row("cus_1", "A@X.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    for (String k : List.of("zendesk/z1", "zendesk/z2", "zendesk/z3", "stripe/cus_1")) {
      assertEquals(person(m, "segment/A"), person(m, k), k);
      assertEquals("email", rule(m, k), k);
    }
    r.release();
  }

  @Test
  void rule4_anchorRecordsAlwaysTakePartInEmailLinks(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "same@x.com"), row("B", "same@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "segment/A"), person(m, "segment/B"));
    assertEquals("anchor", rule(m, "segment/A"));
    r.release();
  }

  @Test
  void rule4_nonAnchorRecordsLinkToEachOtherByEmailWithoutAnAnchor(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"))
        .source("stripe", false, row("cus_1", "only@x.com"))
        .source("mailchimp", false, row("m1", "only@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(person(m, "stripe/cus_1"), person(m, "mailchimp/m1"));
    assertEquals("email", rule(m, "mailchimp/m1"));
    assertNotEquals(person(m, "segment/A"), person(m, "mailchimp/m1"));
    r.release();
  }

  @Test
  void rule5_aChainOfLinksIsOnePersonHoweverLong(SparkSession spark) {
    // s0 -e0- m0 -e1- ... alternating addresses through history rows: one person.
    int n = 60;
    String[][] mail = new String[2 * n][];
    for (int i = 0; i < n; i++) {
      mail[2 * i] = row("m" + i, "e" + i + "@x.com");
      mail[2 * i + 1] = row("m" + i, "e" + (i + 1) + "@x.com");
    }
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s0", "e0@x.com"))
        .source("mailchimp", false, mail)
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(1, m.values().stream().map(x -> (String) x.getAs("person_id")).distinct().count());
    assertEquals(n + 1, r.summary().largestPerson());
    r.release();
  }

  @Test
  void rule5_aRecordLinkedToNothingIsAPersonOfItsOwnAndNoRecordIsDropped(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("lonely", null))
        .source("stripe", false, row("cus_1", "a@x.com"), row("cus_2", "nobody@x.com"), row("cus_3", null))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(5, m.size());
    assertEquals(4, r.summary().persons());
    assertEquals(4, r.userIdentities().count());
    assertEquals("unmatched", rule(m, "stripe/cus_2"));
    assertEquals("anchor", rule(m, "segment/lonely"));
    r.release();
  }

  @Test
  void rule6_eachRecordCarriesTheRuleThatMatchedIt(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"))
        .source("zendesk", true, row("z1", "zz@x.com", "A"), row("z2", "a@x.com", null), row("z3", "q@x.com", null))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals("anchor", rule(m, "segment/A"));
    assertEquals("external_id", rule(m, "zendesk/z1"));
    assertEquals("email", rule(m, "zendesk/z2"));
    assertEquals("unmatched", rule(m, "zendesk/z3"));
    Map<String, Long> zendeskRules = r.summary().sources().get(1).matchRules();
    assertEquals(Map.of("anchor", 0L, "external_id", 1L, "email", 1L, "unmatched", 1L), zendeskRules);
    r.release();
  }

  @Test
  void rule7_personIdsAreDeterministicForAnyPartitionCount(SparkSession spark) {
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      Map<String, String> ids1 = personIds(spark, "1");
      Map<String, String> ids7 = personIds(spark, "7");
      Map<String, String> again = personIds(spark, "4");
      assertEquals(ids1, ids7);
      assertEquals(ids1, again);
      assertTrue(ids1.values().stream().allMatch(id -> id.matches("p[0-9a-f]{16}")), ids1.toString());
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
  }

  private static Map<String, String> personIds(SparkSession spark, String partitions) {
    spark.conf().set("spark.sql.shuffle.partitions", partitions);
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"), row("C", null))
        .source("zendesk", true, row("z1", "b@x.com", "A"), row("z2", "b@x.com", null))
        .source("stripe", false, row("cus_1", "c@x.com"), row("cus_2", "c@x.com"))
        .run();
    Map<String, String> ids = bySourceId(r.identityMap()).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue().getAs("person_id")));
    r.release();
    return ids;
  }

  @Test
  void theSeedRecipesZiggyAndJustinAreOnePersonOnOneRow(SparkSession spark) {
    // The recipe's sample shows mYhgYcRBC7 on two rows (ziggy@stardust.com and justin@biebs.com)
    // with the same Zendesk and Salesforce ids. Here it is one person, one user_identities row.
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("mYhgYcRBC7", "ziggy@stardust.com"), row("mYhgYcRBC7", "justin@biebs.com"))
        .source("zendesk", true, row("1303028105", "ziggy@stardust.com", "mYhgYcRBC7"))
        .source("stripe", false, row("cus_AbCdEf123456", "justin@biebs.com"))
        .source("salesforce", false, row("00Q5e00000AbCdEfGH", "ziggy@stardust.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(1, m.values().stream().map(x -> (String) x.getAs("person_id")).distinct().count());
    List<Row> users = r.userIdentities().collectAsList();
    assertEquals(1, users.size());
    Row u = users.get(0);
    assertEquals("mYhgYcRBC7", u.getAs("segment_id"));
    assertEquals("1303028105", u.getAs("zendesk_id"));
    assertEquals("cus_AbCdEf123456", u.getAs("stripe_id"));
    assertEquals("00Q5e00000AbCdEfGH", u.getAs("salesforce_id"));
    assertEquals("justin@biebs.com", u.getAs("email"), "smallest anchor address");
    assertEquals(4L, (long) u.<Long>getAs("record_count"));
    r.release();
  }
}
