package io.identityjoin.pipeline;

import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.output.PersonIdAssignment;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

  private static Fixtures input(SparkSession spark) {
    return new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"), row("s2", "b@x.com"))
        .source("zendesk", true, row("z1", "a@x.com", "s1"), row("z2", "c@x.com", "nobody"))
        .source("stripe", false, row("cus_1", "b@x.com"), row("cus_2", "c@x.com"));
  }

  private static void assertSmall(IdentityResolution.Result r) {
    for (var t : List.of(r.identityMap(), r.userIdentities(), r.personMerges())) {
      int size = t.queryExecution().toString().length();
      assertTrue(size < 400_000, "plan string of " + size + " characters");
    }
  }

  @Test
  void theOutputTablesPlansStaySmall(SparkSession spark) {
    IdentityResolution.Result r = input(spark).run();
    try {
      // About 100k and 160k characters for identity_map and user_identities here (one cache on
      // another); with the link rows a projection of the read cache, identity_map's alone was 284k
      // and the job ran out of heap building user_identities' string.
      assertSmall(r);
    } finally {
      r.release();
    }
  }

  @Test
  void aReRunsOutputTablesPlansStaySmall(SparkSession spark) {
    IdentityResolution.Result first = input(spark).run("r1", Optional.empty());
    Dataset<Row> published = spark.createDataFrame(first.identityMap().collectAsList(), first.identityMap().schema());
    first.release();
    IdentityResolution.Result r = input(spark).run("r2",
        Optional.of(PersonIdAssignment.Previous.of(published, Optional.empty())));
    try {
      // About 80k, 175k and 12k characters; when the ids were assigned on the provisional table
      // itself (read three times) and person_merges on identity_map (three times), 0.95M, 1.8M and
      // 4.8M, and a re-run took twice as long as the first run.
      assertSmall(r);
      assertEquals(first.summary().persons(), r.summary().persons());
      assertEquals(0, r.personMerges().count(), "the same input again: no id changes");
    } finally {
      r.release();
    }
  }
}
