package io.identityjoin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkBroadcasts;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hub guard counts distinct records per value, exactly, whichever way its candidates are joined. */
@ExtendWith(SparkSessionExtension.class)
class HubCapTest {

  @Test
  void valuesOverTheCapAreCountedByDistinctRecordsWithBroadcastOrSortMergedCandidates(SparkSession spark) {
    // a@ on three records, b@ on two (one of them with two rows: history), c@ on one.
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES (1L, 'a@x.com'), (2L, 'a@x.com'), (3L, 'a@x.com'),"
        + " (4L, 'b@x.com'), (4L, 'b@x.com'), (5L, 'b@x.com'), (6L, 'c@x.com') AS t(vertex, email)").repartition(3);
    // Spark's own thresholds off: what is broadcast here is overCap's choice.
    SparkBroadcasts.off(spark, () -> check(rows));
  }

  private static void check(Dataset<Row> rows) {
    for (long threshold : new long[] {64L << 20, 0}) {
      Dataset<Row> hubs = HubCap.overCap(rows, List.of("email"), 1, 7, threshold);
      assertEquals(Map.of("a@x.com", 3L, "b@x.com", 2L), counts(hubs), "threshold " + threshold);
      assertEquals(Map.of("a@x.com", 3L), counts(HubCap.overCap(rows, List.of("email"), 2, 7, threshold)));
      assertEquals(Map.of(), counts(HubCap.overCap(rows, List.of("email"), Long.MAX_VALUE, 7, threshold)));
      String plan = hubs.queryExecution().executedPlan().toString();
      assertEquals(threshold > 0, plan.contains("BroadcastHashJoin"), plan);
      assertFalse(plan.contains("NestedLoopJoin"), plan);
      // The candidates are the rows counted per hash (one shuffle); only the exact count per value
      // counts distinct records (two). Sort-merged, the rows meet the candidates in one more.
      String planned = HubCap.overCap(rows, List.of("email"), 1, 7, threshold).queryExecution().executedPlan()
          .toString(); // not run: the adaptive plan prints once
      assertEquals(threshold > 0 ? 3 : 4, planned.split("Exchange hashpartitioning", -1).length - 1, planned);
    }
    // Rows / cap bounds the candidates: 7 rows at cap 1 are 7 hashes of 32 bytes.
    assertTrue(HubCap.overCap(rows, List.of("email"), 1, 7, 7 * HubCap.HASH_BYTES)
        .queryExecution().executedPlan().toString().contains("BroadcastHashJoin"));
    assertFalse(HubCap.overCap(rows, List.of("email"), 1, 7, 6 * HubCap.HASH_BYTES)
        .queryExecution().executedPlan().toString().contains("BroadcastHashJoin"));
  }

  private static Map<String, Long> counts(Dataset<Row> hubs) {
    Map<String, Long> m = new TreeMap<>();
    hubs.collectAsList().forEach(r -> m.put(r.getString(0), r.getLong(1)));
    return m;
  }
}
