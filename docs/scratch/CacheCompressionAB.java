/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-02): filling Spark's columnar cache of
 * a table with spark.sql.inMemoryColumnarStorage.compressed true (Spark's default: every column
 * of every batch gathers compressibility statistics, a hash map of its distinct values for the
 * dictionary encoding) and false, in one JVM, alternating, on the same rows (a local checkpoint of
 * the Delta table, so the read is not timed); prints the time of the count that fills the cache and
 * the cache's size in memory.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/cc docs/scratch/CacheCompressionAB.java
 *   java <the launcher's JVM options> -cp "/tmp/cc:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     CacheCompressionAB 3 <Delta table>...
 */
import java.util.*;
import org.apache.spark.sql.*;
import org.apache.spark.storage.RDDInfo;

public class CacheCompressionAB {
  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    int repeats = Integer.parseInt(a[0]);
    for (String path : Arrays.copyOfRange(a, 1, a.length)) {
      Dataset<Row> rows = spark.read().format("delta").load(path).localCheckpoint(true);
      Map<Boolean, List<Double>> secs = new TreeMap<>();
      Map<Boolean, Long> bytes = new TreeMap<>();
      for (int i = 0; i < repeats; i++) {
        for (boolean compressed : new boolean[] {true, false}) {
          spark.conf().set("spark.sql.inMemoryColumnarStorage.compressed", compressed);
          long before = cachedBytes(spark);
          Dataset<Row> cached = rows.select("*").cache();
          long t0 = System.nanoTime();
          long n = cached.count();
          secs.computeIfAbsent(compressed, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
          bytes.put(compressed, cachedBytes(spark) - before);
          cached.unpersist(true);
          if (i == 0 && compressed) {
            System.out.println(path + ": " + n + " rows");
          }
        }
      }
      for (boolean c : secs.keySet()) {
        List<Double> s = secs.get(c);
        Collections.sort(s);
        System.out.printf("compressed=%s: fill %s s (median %.2f), in memory %,d MiB%n", c, s, s.get(s.size() / 2),
            bytes.get(c) >> 20);
      }
    }
  }

  static long cachedBytes(SparkSession spark) {
    long sum = 0;
    for (RDDInfo i : spark.sparkContext().getRDDStorageInfo()) {
      sum += i.memSize();
    }
    return sum;
  }
}
