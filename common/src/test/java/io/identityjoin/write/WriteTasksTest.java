package io.identityjoin.write;

import static io.identityjoin.testing.Fixtures.partitions;
import static io.identityjoin.testing.Fixtures.sortedIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.identityjoin.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class WriteTasksTest {

  @Test
  void atMostOneTaskPerRowsPerTaskRowsAndTheSameRows(SparkSession spark) {
    Dataset<Row> rows = spark.range(0, 10, 1, 4).toDF();
    assertEquals(4, partitions(rows));
    assertEquals(1, partitions(WriteTasks.atMost(rows, 10, 1_000_000)), "a small table: one task");
    assertEquals(2, partitions(WriteTasks.atMost(rows, 10, 5)), "10 rows, 5 per task");
    assertEquals(3, partitions(WriteTasks.atMost(rows, 10, 4)), "10 rows, 4 per task: rounded up");
    assertEquals(4, partitions(WriteTasks.atMost(rows, 10, 1)), "never more tasks than partitions");
    assertEquals(1, partitions(WriteTasks.atMost(rows, 0, 5)), "no rows counted: one task");
    assertEquals(sortedIds(rows), sortedIds(WriteTasks.atMost(rows, 10, 4)));
    assertThrows(IllegalArgumentException.class, () -> WriteTasks.atMost(rows, 10, 0));
  }
}
