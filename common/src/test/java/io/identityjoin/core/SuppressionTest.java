package io.identityjoin.core;

import static io.identityjoin.testing.Fixtures.bySourceId;
import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.SuppressionSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.OutputInvariant;
import io.identityjoin.pipeline.RunSummary;
import io.identityjoin.pipeline.StageClock;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.Arrays;
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

/** The suppression rule: how a deletion request is honored. */
@ExtendWith(SparkSessionExtension.class)
class SuppressionTest {

  static final SuppressionSettings LIST = new SuppressionSettings(TableFormat.PARQUET, "memory:suppression",
      Optional.of("email"), Optional.of("source"), Optional.of("id"));

  private static Dataset<Row> list(SparkSession spark, Object[]... rows) {
    Dataset<Row> table = spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(),
        Fixtures.schema(DataTypes.createStructField("email", DataTypes.StringType, true),
            DataTypes.createStructField("source", DataTypes.StringType, true),
            DataTypes.createStructField("id", DataTypes.StringType, true)));
    return Suppression.list(table, LIST);
  }

  @Test
  void theListIsNormalizedLikeTheRecords(SparkSession spark) {
    List<Row> l = list(spark, new Object[] {" Alice@X.COM\u00a0", null, null}, new Object[] {null, " stripe ", " c2\t"},
        new Object[] {"not an address", "segment", null}, new Object[] {"", "", ""}).collectAsList();
    assertEquals(RowFactory.create("alice@x.com", null, null), l.get(0));
    assertEquals(RowFactory.create(null, "stripe", "c2"), l.get(1));
    assertEquals(RowFactory.create(null, "segment", null), l.get(2), "half a pair suppresses nothing");
    assertEquals(RowFactory.create(null, null, null), l.get(3));
  }

  @Test
  void suppressedRecordsAndAddressesNeverLinkNeverAppearAndAreCounted(SparkSession spark) {
    Fixtures f = new Fixtures(spark)
        .anchor("segment", row("s1", "alice@x.com"), row("s2", "bob@x.com"), row("s3", "carol@x.com"))
        .source("zendesk", true, row("z1", "zed@x.com", "s1"))
        .source("stripe", false, row("c1", " ALICE@x.com "), row("c2", "bob@x.com"), row("c2", "erin@x.com"),
            row("c3", "carol@x.com"))
        .source("intercom", false, row("i1", "dave@x.com"), row("i1", "alice@x.com"), row("i2", "dave@x.com"))
        .source("mailchimp", false, row("m1", "erin@x.com"));
    Dataset<Row> suppression = list(spark, new Object[] {"Alice@X.com", null, null},
        new Object[] {null, "stripe", " c2"}, new Object[] {null, "segment", null}, new Object[] {null, null, null});
    IdentityResolution.Result r = IdentityResolution.run(f.tables(), Optional.of(suppression), f.settings(),
        "test-run", new StageClock());

    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(Set.of("segment/s2", "segment/s3", "zendesk/z1", "stripe/c3", "intercom/i2", "mailchimp/m1"),
        m.keySet(), "s1, c1 and i1 carry the listed address (i1 on one of its rows), c2 is listed by id");
    assertEquals("unmatched", m.get("zendesk/z1").getAs("match_rule"),
        "its external id names a suppressed anchor record: it names no anchor id any more");
    assertNotEquals(m.get("segment/s2").<String>getAs("person_id"), m.get("mailchimp/m1").getAs("person_id"),
        "the suppressed c2 no longer bridges bob and erin");
    assertEquals(m.get("segment/s3").<String>getAs("person_id"), m.get("stripe/c3").getAs("person_id"));

    List<String> mapEmails = r.identityMap().select("email").where("email IS NOT NULL").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertFalse(mapEmails.contains("alice@x.com"));
    String users = r.userIdentities().collectAsList().stream().map(Row::toString).collect(Collectors.joining("\n"));
    for (String gone : List.of("alice@x.com", "s1", "c1", "c2", "i1")) {
      assertFalse(users.matches("(?s).*\\b" + gone + "\\b.*"), gone + " in user_identities:\n" + users);
    }

    Map<String, RunSummary.SourceCounts> counts = r.summary().sources().stream()
        .collect(Collectors.toMap(RunSummary.SourceCounts::source, c -> c));
    assertEquals(1, counts.get("segment").recordsSuppressed());
    assertEquals(2, counts.get("stripe").recordsSuppressed());
    assertEquals(1, counts.get("intercom").recordsSuppressed());
    assertEquals(0, counts.get("zendesk").recordsSuppressed());
    assertEquals(3, counts.get("stripe").recordsRead());
    assertEquals(1, counts.get("stripe").records());
    assertEquals(4, r.summary().recordsSuppressed());
    assertEquals(1, r.summary().safeguards().suppressedAddressesFound());
    assertTrue(OutputInvariant.check(r.summary().sources(), r.identityMap()).holds(),
        "read - suppressed = identity_map, per source");
    r.release();
  }
}
