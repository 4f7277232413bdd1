package io.identityjoin.pipeline;

import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every record read with a non-blank id, and not suppressed, is in identity_map exactly once. */
@ExtendWith(SparkSessionExtension.class)
class OutputInvariantTest {

  @Test
  void holdsOnARunsOutputAndCatchesALostOrDuplicatedRecord(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"), row("s1", "b@x.com"), row(" ", "c@x.com"), row("s2", null))
        .source("stripe", false, row("cus_1", "a@x.com"), row("cus_2", "b@x.com"))
        .run();
    OutputInvariant.Result ok = OutputInvariant.check(r.summary().sources(), r.identityMap());
    assertTrue(ok.holds());
    assertEquals(4, ok.mapRows());
    ok.requireHolds();

    Dataset<Row> map = r.identityMap();
    OutputInvariant.Result lost = OutputInvariant.check(r.summary().sources(), map.where("source_id <> 'cus_2'"));
    assertFalse(lost.holds());
    OutputInvariant.Result twice = OutputInvariant.check(r.summary().sources(),
        map.unionByName(map.where("source_id = 's2'")));
    assertFalse(twice.holds());
    assertEquals(1, twice.sources().get(0).duplicateRows());
    // One record in place of another: the row count is right, the distinct count is not.
    Dataset<Row> swapped = map.where("source_id <> 'cus_2'").unionByName(map.where("source_id = 'cus_1'"));
    OutputInvariant.Result replaced = OutputInvariant.check(r.summary().sources(), swapped);
    assertFalse(replaced.holds());
    OutputInvariant.SourceCheck stripe = replaced.sources().stream().filter(c -> c.source().equals("stripe"))
        .findFirst().orElseThrow();
    assertEquals(2, stripe.mapRows());
    assertEquals(1, stripe.duplicateRows());

    OutputInvariant.OutputInvariantException e = assertThrows(OutputInvariant.OutputInvariantException.class,
        lost::requireHolds);
    assertTrue(e.getMessage().contains("source 'stripe': 2 records read - 0 suppressed, but 1 identity_map rows"),
        e.getMessage());
    assertFalse(e.getMessage().contains("cus_"), "counts only, never an id");
    r.release();
  }
}
