/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 afternoon): user_identities as
 * Spark's aggregation (the code before commit 73ede15, with the object aggregate's sort fallback at
 * its default and turned off) against each person's rows folded in one pass after a shuffle and sort
 * by person (the fold as first written; UserIdentities.PersonFold is the same fold), alternating in
 * one JVM on the same checkpointed identity_map, each written to Spark's noop sink. Run with the jar
 * of 6245b30 (UserIdentities.of is the aggregation there):
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/UserIdentitiesFoldAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.UserIdentitiesFoldAB <a bench's identity_map Delta table> 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;
import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.output.*;
import java.util.*;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.*;
import org.apache.spark.sql.types.*;

public class UserIdentitiesFoldAB {
  static Dataset<Row> typed(Dataset<Row> map, Settings settings) {
    List<String> names = settings.sourceNames();
    String anchor = settings.anchor();
    Column email = when(not(array_contains(col(GuardFlags.FLAGS), GuardFlags.BLOCKED_EMAIL)), col(SourceRecords.EMAIL));
    Dataset<Row> sorted = map.select(col("person_id"), col("first_seen_run"), col("last_changed_run"),
        col("source"), col("source_id"), email.as("email"))
        .repartition(col("person_id")).sortWithinPartitions("person_id", "source", "source_id");
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("person_id", DataTypes.StringType, false),
        DataTypes.createStructField("first_seen_run", DataTypes.StringType, true),
        DataTypes.createStructField("last_changed_run", DataTypes.StringType, true),
        DataTypes.createStructField("email", DataTypes.StringType, true),
        DataTypes.createStructField("record_count", DataTypes.LongType, false)));
    for (String n : names) {
      fields.add(DataTypes.createStructField(n + "_id", DataTypes.StringType, true));
      fields.add(DataTypes.createStructField(n + "_ids", DataTypes.createArrayType(DataTypes.StringType, false), false));
    }
    StructType schema = DataTypes.createStructType(fields);
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < names.size(); i++) idx.put(names.get(i), i);
    int ns = names.size();
    Dataset<Row> out = sorted.mapPartitions((MapPartitionsFunction<Row, Row>) it -> new Iterator<Row>() {
      Row pending = it.hasNext() ? it.next() : null;
      public boolean hasNext() { return pending != null; }
      public Row next() {
        String pid = pending.getString(0);
        String first = pending.getString(1), last = pending.getString(2);
        List<List<String>> ids = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) ids.add(new ArrayList<>(1));
        String anchorEmail = null, anyEmail = null;
        long n = 0;
        while (pending != null && pending.getString(0).equals(pid)) {
          String s = pending.getString(3);
          ids.get(idx.get(s)).add(pending.getString(4));
          String e = pending.getString(5);
          if (e != null) {
            if (anyEmail == null || cmp(e, anyEmail) < 0) anyEmail = e;
            if (s.equals(anchor) && (anchorEmail == null || cmp(e, anchorEmail) < 0)) anchorEmail = e;
          }
          n++;
          pending = it.hasNext() ? it.next() : null;
        }
        Object[] v = new Object[5 + 2 * ns];
        v[0] = pid; v[1] = first; v[2] = last; v[3] = anchorEmail != null ? anchorEmail : anyEmail; v[4] = n;
        for (int i = 0; i < ns; i++) {
          List<String> l = ids.get(i);
          v[5 + 2 * i] = l.isEmpty() ? null : l.get(0);
          v[6 + 2 * i] = l.toArray(new String[0]);
        }
        return RowFactory.create(v);
      }
    }, Encoders.row(schema));
    return out.withColumn("person_bucket", pmod(xxhash64(col("person_id")), lit(settings.output().personBuckets())));
  }

  static int cmp(String a, String b) {
    return org.apache.spark.unsafe.types.UTF8String.fromString(a).compareTo(org.apache.spark.unsafe.types.UTF8String.fromString(b));
  }

  public static void main(String[] a) throws Exception {
    SparkSession spark = SparkSession.builder().getOrCreate();
    var make = BenchData.class.getDeclaredConstructor(long.class, long.class, String.class, Map.class);
    make.setAccessible(true);
    Settings settings = ((BenchData) make.newInstance(0L, 0L, "/nowhere", Map.of())).settings("/nowhere-out");
    Dataset<Row> map = spark.read().format("delta").load(a[0]).localCheckpoint(true);
    System.out.println("identity_map rows: " + map.count());
    int repeats = Integer.parseInt(a[1]);
    Dataset<Row> cur = UserIdentities.of(map, settings);
    Dataset<Row> alt = typed(map, settings).select(Arrays.stream(cur.columns()).map(functions::col).toArray(Column[]::new));
    System.out.println("schemas: " + cur.schema().simpleString() + "\n         " + alt.schema().simpleString());
    System.out.println("same rows: " + (cur.exceptAll(alt).isEmpty() && alt.exceptAll(cur).isEmpty()));
    Map<String, List<Double>> t = new LinkedHashMap<>();
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("current", "fallback-off", "typed")) {
        spark.conf().set("spark.sql.objectHashAggregate.sortBased.fallbackThreshold", v.equals("fallback-off") ? "100000000" : "128");
        Dataset<Row> ds = v.equals("typed") ? alt : UserIdentities.of(map, settings);
        long t0 = System.nanoTime();
        ds.write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        t.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
        System.out.printf("%s %.2f s%n", v, s);
      }
    }
    System.out.println(t);
  }
}
