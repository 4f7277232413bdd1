/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-02 morning): identity_map's flags
 * column built for every row against only for records that have a flag or finding, in one JVM.
 * "full" is the expression before the change, spelled out here; "short" is GuardFlags.all now.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/gf docs/scratch/FlagsAB.java
 *   java <the launcher's JVM options> -cp "/tmp/gf:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     FlagsAB 4000000
 */
import static org.apache.spark.sql.functions.*;
import io.identityjoin.core.*;
import java.util.*;
import org.apache.spark.sql.*;

public class FlagsAB {
  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    long n = Long.parseLong(a[0]);
    Dataset<Row> rows = spark.range(n).selectExpr("id",
        "id % 97 = 0 AS " + BlockedValues.EMAIL_BLOCKED, "id % 89 = 0 AS " + BlockedValues.EXTERNAL_ID_BLOCKED,
        "id % 83 = 0 AS " + HubCap.EMAIL_HUB, "id % 79 = 0 AS " + HubCap.EXTERNAL_ID_HUB,
        "CASE WHEN id % 101 = 0 THEN array('email_conflict') END AS finding_flags").localCheckpoint(true);
    Column full = sort_array(concat(GuardFlags.ofRecord(),
        coalesce(col("finding_flags"), array().cast("array<string>"))));
    Column shortCut = GuardFlags.all(col("finding_flags"));
    System.out.println("same: " + rows.select(full.as("f")).exceptAll(rows.select(shortCut.as("f"))).count());
    List<Double> tf = new ArrayList<>(), ts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      for (boolean f : new boolean[] {true, false}) {
        long t0 = System.nanoTime();
        rows.select(col("id"), (f ? full : shortCut).as("flags")).write().format("noop").mode("overwrite").save();
        (f ? tf : ts).add((System.nanoTime() - t0) / 1e9);
      }
    }
    Collections.sort(tf); Collections.sort(ts);
    System.out.println("full " + tf + "\nshort " + ts);
  }
}
