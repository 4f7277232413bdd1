package io.identityjoin.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.core.LinkJoin;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class DriverTransferTest {

  @Test
  void collectPacksEveryRowOfEveryPartitionInOrder(SparkSession spark) {
    Dataset<Row> rows = spark.range(0, 10_001, 1, 7).selectExpr("id AS a", "-id * 3 AS b", "id + 9223372036854775000 AS c");
    long[] flat = DriverTransfer.collect(rows);
    assertEquals(3 * 10_001, flat.length);
    for (int i = 0; i < 10_001; i++) {
      assertArrayEquals(new long[] {i, -3L * i, i + 9223372036854775000L}, new long[] {flat[3 * i], flat[3 * i + 1],
          flat[3 * i + 2]}, "row " + i);
    }
    assertEquals(0, DriverTransfer.collect(rows.where("a < 0")).length, "no rows, no values");
  }

  @Test
  void pairsMakeATableOfTheArraysRowsInAnyNumberOfBlocks(SparkSession spark) {
    long[] first = {5, Long.MIN_VALUE, 7, 0, Long.MAX_VALUE};
    long[] second = {1, 2, 3, -4, 5};
    for (int blocks : List.of(1, 2, 4, 9)) {
      Dataset<Row> t = DriverTransfer.pairs(spark, first, second, "vertex", "component", blocks);
      assertEquals(List.of("vertex", "component"), List.of(t.columns()));
      List<Row> got = t.orderBy("component").collectAsList();
      assertEquals(5, got.size(), "blocks " + blocks);
      assertEquals("[[0,-4], [5,1], [-9223372036854775808,2], [7,3], [9223372036854775807,5]]", got.toString());
    }
    assertEquals(0, DriverTransfer.pairs(spark, new long[0], new long[0], "v", "r", 2).count());
  }

  @Test
  void pairsAreNeverEstimatedSmallEnoughToBroadcast(SparkSession spark) {
    // Three labels, but the planner must not size them by their packed blocks: at millions of labels
    // that estimate broadcast hundreds of MiB into every join. Nor may a checkpoint bring it back.
    Dataset<Row> t = DriverTransfer.pairs(spark, new long[] {1, 2, 3}, new long[] {1, 1, 1}, "vertex", "component", 2);
    long threshold = spark.sessionState().conf().autoBroadcastJoinThreshold();
    for (Dataset<Row> labels : List.of(t, t.localCheckpoint())) {
      assertTrue(LinkJoin.estimatedBytes(labels) > threshold,
          "estimated " + LinkJoin.estimatedBytes(labels) + " bytes, broadcast threshold " + threshold);
      Dataset<Row> other = spark.range(1000).toDF("vertex");
      String plan = other.join(labels, other.col("vertex").equalTo(labels.col("vertex")), "left").queryExecution().sparkPlan().toString();
      assertFalse(plan.contains("BroadcastHashJoin"), plan);
    }
    assertEquals(3, t.localCheckpoint().count());
  }
}
