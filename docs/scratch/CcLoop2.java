/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-02 night): ConnectedComponents.run
 * six times in one JVM on the bench's 4M edge table made a local checkpoint (as the job's links
 * are); run once per jar, alternating jars between processes.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/CcLoop2.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:<jar>:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.CcLoop2 /tmp/b4m/out/records-4000000/edges 6
 */
package io.identityjoin.jobs.bench;
import io.identityjoin.graph.ConnectedComponents;
import org.apache.spark.sql.*;
/** ConnectedComponents.run n times on the edge table as the job gives it: a local checkpoint. */
public class CcLoop2 {
  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    Dataset<Row> edges = spark.read().parquet(a[0]).localCheckpoint();
    System.out.println("edges " + edges.count());
    int n = Integer.parseInt(a[1]);
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      ConnectedComponents.Result r = ConnectedComponents.run(edges, ConnectedComponents.Settings.defaults());
      long c = r.components().count();
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("cc %.2f s rounds %d driver %s rows %d%n", s, r.rounds(), r.finishedOnDriver(), c);
    }
  }
}
