package io.identityjoin.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.identityjoin.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkSessionExtension.class)
class SampleWriterTest {

  @Test
  void writtenTablesReadBackIdenticalWithZendeskUsersAsDeltaAndAReWriteReplacesThem(
      SparkSession spark, @TempDir Path dir) {
    SampleOptions options = SampleOptions.defaults().withPersons(100);
    Map<String, Dataset<Row>> earlier = SampleGenerator.tables(spark, options.withSeed(7));
    SampleWriter.write(Map.of("zendesk/user", earlier.get("zendesk/user"),
        "segment/users", earlier.get("segment/users")), dir.toString());

    Map<String, Dataset<Row>> tables = SampleGenerator.tables(spark, options);
    long written = SampleWriter.write(tables, dir.toString());

    long userRecords = 0;
    for (Map.Entry<String, Dataset<Row>> table : tables.entrySet()) {
      Path path = dir.resolve(table.getKey());
      boolean delta = table.getKey().equals("zendesk/user");
      assertEquals(delta, Files.isDirectory(path.resolve("_delta_log")), table.getKey());
      Dataset<Row> back = spark.read().format(delta ? "delta" : "parquet").load(path.toString());
      List<String> rows = sortedRows(back);
      assertEquals(sortedRows(table.getValue()), rows, table.getKey());
      if (SampleGenerator.USER_TABLES.contains(table.getKey())) {
        userRecords += rows.size();
      }
    }
    assertEquals(userRecords, written);
    assertTrue(written > 300, "user records for 100 persons: " + written);
    DeltaTable zendesk = DeltaTable.forPath(spark, dir.resolve("zendesk/user").toString());
    assertEquals(2, zendesk.history().count(),
        "the second write is a new version of the Delta table");
  }

  private static List<String> sortedRows(Dataset<Row> table) {
    return table.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
  }
}
