package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkSessionExtension;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class LocalCheckpointsTest {

  private static long storedBlocks(SparkSession spark, int rddId) {
    return Arrays.stream(spark.sparkContext().getRDDStorageInfo()).filter(i -> i.id() == rddId)
        .mapToLong(RDDInfo::numCachedPartitions).sum();
  }

  @Test
  void releasedCheckpointLeavesTheBlockManagersAndACacheFilledFromItKeepsItsRows(SparkSession spark) {
    Dataset<Row> checkpoint = spark.range(0, 1000, 1, 4).toDF("id").localCheckpoint(false);
    assertEquals(1000, checkpoint.count());
    int rddId = ((org.apache.spark.sql.execution.LogicalRDD) checkpoint.queryExecution().logical()).rdd().id();
    assertEquals(4, storedBlocks(spark, rddId), "the checkpoint's blocks after its count");

    NamedCaches caches = new NamedCaches();
    Dataset<Row> derived = caches.cache(checkpoint.selectExpr("id * 2 as twice"), "local_checkpoints_test");
    assertEquals(1000, derived.count());

    assertTrue(LocalCheckpoints.release(checkpoint));
    assertEquals(0, storedBlocks(spark, rddId), "the checkpoint's blocks after its release");
    // The cache filled from it is read, not recomputed from the released blocks.
    assertEquals(999_000L, derived.agg(org.apache.spark.sql.functions.sum("twice")).first().getLong(0));
    caches.release(spark);
  }

  @Test
  void aDatasetThatIsNoCheckpointIsLeftAlone(SparkSession spark) {
    assertFalse(LocalCheckpoints.release(spark.range(3).toDF("id")));
  }
}
