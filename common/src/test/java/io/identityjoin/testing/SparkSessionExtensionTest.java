package io.identityjoin.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class SparkSessionExtensionTest {
  @Test
  void sharesOneLocalSessionWithSmallShuffles(SparkSession spark) {
    assertEquals("4", spark.conf().get("spark.sql.shuffle.partitions"));
    assertEquals(10L, spark.range(10).count());
  }
}
