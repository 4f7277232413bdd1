package io.identityjoin.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spreads a Splink-style labelled CSV ({@code unique_id, first_name, surname, dob, city, email,
 * cluster}, such as Splink's {@code fake_20000.csv}) over three sources so the job can be measured
 * against an outside ground truth: each row goes to {@code crm} (the anchor), {@code support} or
 * {@code billing} by a hash of its {@code unique_id}, keeps its {@code unique_id} as {@code id}, and
 * carries {@code cluster} as {@value SampleGenerator#TRUE_PERSON}. There is no external id, so every
 * link is by e-mail: the figures measure the e-mail rules and the guards. conf/splink.conf reads
 * the result.
 */
public final class SplinkSample {

  public static final List<String> SOURCES = List.of("crm", "support", "billing");

  private SplinkSample() {}

  /** The three tables, keyed {@code <source>/users}, from the CSV at {@code csvPath}. Writes nothing. */
  public static Map<String, Dataset<Row>> tables(SparkSession spark, String csvPath) {
    Dataset<Row> csv = spark.read().option("header", "true").csv(csvPath);
    Column bucket = pmod(xxhash64(col("unique_id")), lit(SOURCES.size()));
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (int i = 0; i < SOURCES.size(); i++) {
      tables.put(SOURCES.get(i) + "/users", csv.where(bucket.equalTo(i)).select(
          col("unique_id").as("id"), col("email"), col("first_name"), col("surname"),
          col("cluster").as(SampleGenerator.TRUE_PERSON)));
    }
    return tables;
  }
}
