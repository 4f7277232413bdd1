package io.identityjoin.pipeline;

import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Spark builds every query's plan string (for its UI) before running it, and a cached table's
 * plan string includes the plans of the caches it was built from: caches stacked on caches make it
 * grow with each level, which once filled a 2 GB test heap. The run's intermediate tables are
 * checkpoints (leaves) to keep the output tables' plans small.
 */
@ExtendWith(SparkSessionExtension.class)
class PlanSizeTest {

  @Test
  void theOutputTablesPlansStaySmall(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"), row("s2", "b@x.com"))
        .source("zendesk", true, row("z1", "a@x.com", "s1"), row("z2", "c@x.com", "nobody"))
        .source("stripe", false, row("cus_1", "b@x.com"), row("cus_2", "c@x.com"))
        .run();
    try {
      for (var t : java.util.List.of(r.identityMap(), r.userIdentities(), r.personMerges())) {
        int size = t.queryExecution().toString().length();
        // About 80k and 170k characters for identity_map and user_identities here (one cache on
        // another); with the link rows a projection of the read cache, identity_map's alone was 284k
        // and the job ran out of heap building user_identities' string.
        assertTrue(size < 400_000, "plan string of " + size + " characters");
      }
    } finally {
      r.release();
    }
  }
}
