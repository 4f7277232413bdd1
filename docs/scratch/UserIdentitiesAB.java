/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-02): user_identities grouped straight
 * from identity_map (a partial aggregation on each side of the shuffle, collect_list buffers shuffled)
 * against identity_map's rows shuffled by person first (one aggregation after the shuffle), in one
 * JVM on the same cached identity_map, each plan written to Spark's noop sink.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ui docs/scratch/UserIdentitiesAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ui:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.UserIdentitiesAB <a bench's identity_map Delta table> 3
 * Measured on commit 8691a27, before UserIdentities shuffled by person itself (after it, both sides do).
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;
import com.typesafe.config.ConfigFactory;
import io.identityjoin.config.*;
import io.identityjoin.output.*;
import java.util.*;
import org.apache.spark.sql.*;

public class UserIdentitiesAB {
  public static void main(String[] a) throws Exception {
    SparkSession spark = SparkSession.builder().getOrCreate();
    // The bench's settings (conf/sample.conf's six sources); only the source names and anchor matter here.
    var make = BenchData.class.getDeclaredConstructor(long.class, long.class, String.class, Map.class);
    make.setAccessible(true);
    Settings settings = ((BenchData) make.newInstance(0L, 0L, "/nowhere", Map.of())).settings("/nowhere-out");
    Dataset<Row> map = spark.read().format("delta").load(a[0]).cache();
    System.out.println("identity_map rows: " + map.count());
    int repeats = Integer.parseInt(a[1]);
    Dataset<Row> direct = UserIdentities.of(map, settings);
    Dataset<Row> shuffled = UserIdentities.of(map.repartition(col(IdentityMap.PERSON_ID)), settings);
    System.out.println("same rows: " + (direct.exceptAll(shuffled).isEmpty() && shuffled.exceptAll(direct).isEmpty()));
    List<Double> td = new ArrayList<>(), ts = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      for (boolean d : new boolean[] {true, false}) {
        long t0 = System.nanoTime();
        (d ? direct : shuffled).write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        (d ? td : ts).add(s);
        System.out.printf("%s %.2f s%n", d ? "direct" : "shuffled", s);
      }
    }
    System.out.println("direct " + td + "\nshuffled " + ts);
  }
}
