package io.identityjoin.pipeline;

import static io.identityjoin.testing.Fixtures.partitions;
import static io.identityjoin.testing.Fixtures.sortedIds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.identityjoin.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class InputPartitionsTest {

  @Test
  void atMostOnePartitionPerRowsPerPartitionRowsAtLeastTwoAndTheSameRows(SparkSession spark) {
    Dataset<Row> read = spark.range(0, 1_000, 1, 12).toDF();
    assertEquals(2, partitions(InputPartitions.atMost(read, 1_000, 100_000)), "a small input: two partitions");
    assertEquals(5, partitions(InputPartitions.atMost(read, 1_000, 200)), "1,000 rows, 200 per partition");
    assertEquals(12, partitions(InputPartitions.atMost(read, 1_000, 10)), "never more partitions than it has");
    assertEquals(sortedIds(read), sortedIds(InputPartitions.atMost(read, 1_000, 100_000)));
  }
}
