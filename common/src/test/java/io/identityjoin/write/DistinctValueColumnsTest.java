package io.identityjoin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Output columns of distinct values are written without Parquet's dictionary; columns of few values keep it. */
@ExtendWith(SparkSessionExtension.class)
class DistinctValueColumnsTest {

  @TempDir Path dir;

  private static Dataset<Row> rows(SparkSession spark) {
    // Fifty values per column: Parquet keeps a dictionary for such a column unless told not to (for
    // distinct values it drops its dictionary itself, after the first page).
    return spark.range(2000).selectExpr("concat('p-', id % 50) AS person_id", "concat('u', id % 50) AS source_id",
        "array(concat('z', id % 50)) AS zendesk_ids", "CAST(id % 4 AS STRING) AS match_rule",
        "'segment' AS source");
  }

  /** Per column path, whether any of the table's files encodes it with a dictionary. */
  private static Map<String, Boolean> dictionaryEncoded(Path table) throws IOException {
    Map<String, Boolean> dict = new HashMap<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(table)) {
      files = all.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
    }
    assertFalse(files.isEmpty(), "files under " + table);
    for (Path f : files) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
        for (BlockMetaData b : r.getFooter().getBlocks()) {
          for (ColumnChunkMetaData c : b.getColumns()) {
            Set<Encoding> e = c.getEncodings();
            boolean usesDictionary = e.contains(Encoding.PLAIN_DICTIONARY) || e.contains(Encoding.RLE_DICTIONARY);
            dict.merge(c.getPath().toDotString(), usesDictionary, Boolean::logicalOr);
          }
        }
      }
    }
    return dict;
  }

  @Test
  void idAndEmailColumnsAreNamedAndFewValueColumnsAreNot() {
    StructType schema = new StructType().add("person_id", "string").add("source", "string")
        .add("match_rule", "string").add("email", "string").add("segment_ids", "array<string>")
        .add("record_count", "int").add("flags", "array<string>");
    assertEquals(Set.of("email", "person_id", "segment_ids.list.element"),
        DistinctValueColumns.columnPaths(List.of(schema)));
  }

  @Test
  void distinctValueColumnsAreWrittenPlainFewValueColumnsKeepTheirDictionaryAndTheSessionIsPutBack(
      SparkSession spark) throws IOException {
    rows(spark).write().format("delta").save(dir.resolve("before").toString());
    Map<String, Boolean> before = dictionaryEncoded(dir.resolve("before"));
    assertTrue(before.get("person_id") && before.get("zendesk_ids.list.element"),
        "without the scope Parquet uses a dictionary for every column here: " + before);

    IdentityTablesWriter w = new IdentityTablesWriter(new OutputSettings(dir.resolve("out").toString(),
        TableFormat.DELTA, Optional.empty(), 4), spark.sessionState().newHadoopConf());
    w.publish(List.of(new IdentityTablesWriter.Table("identity_map", rows(spark), List.of("source"))), "run1");
    Map<String, Boolean> written = dictionaryEncoded(dir.resolve("out/identity_map"));
    assertEquals(Map.of("person_id", false, "source_id", false, "zendesk_ids.list.element", false,
        "match_rule", true), written);
    assertTrue(spark.conf().getOption(DistinctValueColumns.DICTIONARY + "#person_id").isEmpty(),
        "the session's settings are put back after the publish");
  }
}
