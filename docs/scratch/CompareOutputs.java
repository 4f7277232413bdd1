package io.identityjoin.jobs.bench;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scratch program, not part of the build (docs/BENCHMARKS.md, 2026-12-03 night): compares two runs'
 * output directories table by table (identity_map, user_identities, person_merges), rows both ways
 * with {@code exceptAll}, leaving out the columns that name the run.
 *
 * <pre>
 * javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/CompareOutputs.java
 * java $(identity_join_java_opts) -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.CompareOutputs /tmp/cmp/old /tmp/cmp/new
 * </pre>
 */
public final class CompareOutputs {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("compare")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    boolean same = true;
    for (String table : new String[] {"identity_map", "user_identities", "person_merges"}) {
      Dataset<Row> a = spark.read().format("delta").load(args[0] + "/" + table);
      Dataset<Row> b = spark.read().format("delta").load(args[1] + "/" + table);
      String[] keep = Arrays.stream(a.columns()).filter(c -> !c.endsWith("_run") && !c.equals("run_id")
          && !c.equals("merged_at")).toArray(String[]::new);
      a = a.selectExpr(keep);
      b = b.selectExpr(keep);
      long na = a.count();
      long nb = b.count();
      long onlyA = a.exceptAll(b).count();
      long onlyB = b.exceptAll(a).count();
      System.out.printf("%s: %,d / %,d rows, %,d only in the first, %,d only in the second (columns %s)%n", table, na,
          nb, onlyA, onlyB, String.join(", ", keep));
      same &= na == nb && onlyA == 0 && onlyB == 0;
    }
    System.out.println(same ? "SAME" : "DIFFERENT");
    spark.stop();
  }
}
