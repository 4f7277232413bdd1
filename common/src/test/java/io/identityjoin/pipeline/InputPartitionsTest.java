package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class InputPartitionsTest {

  private static int partitions(Dataset<Row> ds) {
    return ds.rdd().getNumPartitions();
  }

  private static List<Long> ids(Dataset<Row> ds) {
    return ds.orderBy("id").collectAsList().stream().map(r -> r.getLong(0)).toList();
  }

  @Test
  void atMostOnePartitionPerRowsPerPartitionRowsAtLeastTwoAndTheSameRows(SparkSession spark) {
    Dataset<Row> read = spark.range(0, 1_000, 1, 12).toDF();
    assertEquals(2, partitions(InputPartitions.atMost(read, 1_000, 100_000)), "a small input: two partitions");
    assertEquals(5, partitions(InputPartitions.atMost(read, 1_000, 200)), "1,000 rows, 200 per partition");
    assertEquals(12, partitions(InputPartitions.atMost(read, 1_000, 10)), "never more partitions than it has");
    assertEquals(ids(read), ids(InputPartitions.atMost(read, 1_000, 100_000)));
  }
}
