package io.identityjoin.sample;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes a sample where the job will read it: each table under dir/&lt;table path&gt;, Zendesk's
 * user table as Delta (as a lakehouse ingest would land it), every other table as Parquet.
 */
public final class SampleWriter {

  private SampleWriter() {}

  /**
   * Writes every table, replacing what is there, and returns how many user-table records were
   * written (counted from the written files).
   */
  public static long write(Map<String, Dataset<Row>> tables, String dir) {
    long userRecords = 0;
    for (Map.Entry<String, Dataset<Row>> table : tables.entrySet()) {
      String path = pathOf(dir, table.getKey());
      String format = formatOf(table.getKey());
      Dataset<Row> rows = table.getValue();
      var writer = rows.write().format(format).mode(SaveMode.Overwrite);
      if (format.equals("delta")) {
        writer = writer.option("overwriteSchema", "true");
      }
      writer.save(path);
      if (SampleGenerator.USER_TABLES.contains(table.getKey())) {
        userRecords += rows.sparkSession().read().format(format).load(path).count();
      }
    }
    return userRecords;
  }

  /** Delta for Zendesk's user table, Parquet for the rest. */
  public static String formatOf(String table) {
    return table.equals(SampleGenerator.ZENDESK_USER) ? "delta" : "parquet";
  }

  public static String pathOf(String dir, String table) {
    return dir.endsWith("/") ? dir + table : dir + "/" + table;
  }
}
