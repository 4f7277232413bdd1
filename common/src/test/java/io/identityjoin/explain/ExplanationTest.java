package io.identityjoin.explain;

import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class ExplanationTest {

  @Test
  void theChainLeadsFromTheRecordThroughEachValueToTheAnchorAndTheTreeHoldsEveryMember(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("mYhgYcRBC7", "justin@biebs.com"))
        .source("zendesk", true, row("1303028105", "ziggy@stardust.com", "mYhgYcRBC7"))
        .source("stripe", false, row("cus_1", "justin@biebs.com"))
        .source("mailchimp", false, row("m1", "justin@biebs.com"), row("m1", "j@b.io"), row("m2", "j@b.io"))
        .run();
    Explanation e = Explanation.of(r.identityMap(), "mailchimp", "m2").orElseThrow();
    assertEquals(List.of("mailchimp/m2", "mailchimp/m1", "segment/mYhgYcRBC7"),
        e.chain().stream().map(Explanation.Member::name).toList());
    assertEquals(5, e.personSize());
    String text = e.toText();
    assertTrue(text.contains("mailchimp/m2  --[e-mail j@b.io]-->  mailchimp/m1"), text);
    assertTrue(text.contains("mailchimp/m1  --[e-mail justin@biebs.com]-->  segment/mYhgYcRBC7"), text);
    assertTrue(text.contains("zendesk/1303028105  by external id mYhgYcRBC7"), text);
    assertTrue(text.contains("stripe/cus_1  by e-mail justin@biebs.com"), text);
    assertTrue(Explanation.of(r.identityMap(), "stripe", "nobody").isEmpty());
    r.release();
  }
}
