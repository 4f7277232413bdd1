package io.identityjoin.sample;

import java.nio.file.Files;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Prints how long generating and writing a sample takes, and its record counts per table.
 * Arguments: persons [dir] [show]. Runs in local[*] (or -Dspark.master) with Delta configured:
 *
 * <pre>
 * mvn -q -pl common test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java $SPARK_JDK17_OPENS -cp common/target/classes:common/target/test-classes:$(cat common/cp.txt) \
 *   io.identityjoin.sample.SampleBenchmark 200000 /tmp/sample
 * </pre>
 */
public final class SampleBenchmark {

  public static void main(String[] args) throws Exception {
    long persons = args.length > 0 ? Long.parseLong(args[0]) : 200_000L;
    String dir = args.length > 1
        ? args[1] : Files.createTempDirectory("identity-join-sample").toString();
    boolean show = args.length > 2 && Boolean.parseBoolean(args[2]);
    SparkSession spark = SparkSession.builder()
        .appName("sample-benchmark")
        .master(System.getProperty("spark.master", "local[*]"))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    Map<String, Dataset<Row>> tables =
        SampleGenerator.tables(spark, SampleOptions.defaults().withPersons(persons));
    System.out.printf("persons=%d dir=%s%n", persons, dir);
    long start = System.nanoTime();
    long userRecords = 0;
    long all = 0;
    for (Map.Entry<String, Dataset<Row>> table : tables.entrySet()) {
      long tableStart = System.nanoTime();
      userRecords += SampleWriter.write(Map.of(table.getKey(), table.getValue()), dir);
      double tableSeconds = (System.nanoTime() - tableStart) / 1e9;
      Dataset<Row> written = spark.read().format(SampleWriter.formatOf(table.getKey()))
          .load(SampleWriter.pathOf(dir, table.getKey()));
      long n = written.count();
      all += n;
      System.out.printf("%-26s %,12d records %6.1f s%n", table.getKey(), n, tableSeconds);
      if (show) {
        written.show(8, false);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("user records %,d (%.2f per person), all records %,d%n",
        userRecords, (double) userRecords / Math.max(1, persons), all);
    System.out.printf("generate+write %.1f s (%.0f user records/s)%n",
        seconds, userRecords / seconds);
  }
}
