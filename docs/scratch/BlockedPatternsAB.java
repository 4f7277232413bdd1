/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 night): the read's flag columns
 * with each blocked-value pattern as its own rlike (the code of e535255), with the patterns joined
 * into one alternation per column, and with no patterns at all (what the patterns cost), alternating
 * in one JVM, each variant reading the 4M sample's sources and writing the flagged rows to noop.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/BlockedPatternsAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.BlockedPatternsAB /tmp/b4m 4000000 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;

import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.jobs.IdentityJoinJob;
import io.identityjoin.pipeline.IdentityResolution;
import java.util.*;
import org.apache.spark.sql.*;

public class BlockedPatternsAB {
  static Column matches(Column value, List<String> exact, List<String> patterns) {
    Column hit = lit(false);
    if (!exact.isEmpty()) {
      hit = hit.or(value.isin(exact.toArray()));
    }
    if (!patterns.isEmpty()) {
      hit = hit.or(value.rlike(String.join("|", patterns.stream().map(p -> "(?:" + p + ")").toList())));
    }
    return coalesce(hit, lit(false));
  }

  static Dataset<Row> combined(Dataset<Row> recordRows, GuardSettings guards) {
    return recordRows.select(col("*"),
        matches(col(SourceRecords.EMAIL), guards.blockedEmails(), guards.blockedEmailPatterns()).as(BlockedValues.EMAIL_BLOCKED),
        matches(lower(col(SourceRecords.EXTERNAL_ID)), guards.blockedExternalIds(), guards.blockedExternalIdPatterns())
            .as(BlockedValues.EXTERNAL_ID_BLOCKED));
  }

  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    Settings settings = BenchData.ensure(spark, a[0], Long.parseLong(a[1])).settings("/tmp/ab/out");
    int repeats = Integer.parseInt(a[2]);
    GuardSettings g = settings.guards();
    GuardSettings noPatterns = new GuardSettings(g.blockedEmails(), List.of(), g.blockedExternalIds(), List.of(),
        g.maxRecordsPerEmail(), g.maxRecordsPerExternalId(), g.maxAnchorIdsPerPerson());
    Dataset<Row> rows = IdentityResolution.recordRows(IdentityJoinJob.readSources(spark, settings), settings);
    Dataset<Row> sep = BlockedValues.flag(rows, g);
    Dataset<Row> comb = combined(rows, g);
    System.out.printf("same rows: %d / %d differ%n", sep.exceptAll(comb).count(), comb.exceptAll(sep).count());
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("separate", "combined", "none")) {
        Dataset<Row> d = switch (v) {
          case "separate" -> BlockedValues.flag(rows, g);
          case "combined" -> combined(rows, g);
          default -> BlockedValues.flag(rows, noPatterns);
        };
        long t0 = System.nanoTime();
        d.write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        times.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
        System.out.printf("repeat %d %s %.1f s%n", i + 1, v, s);
      }
    }
    times.forEach((v, t) -> {
      List<Double> sorted = new ArrayList<>(t);
      Collections.sort(sorted);
      System.out.printf("%s: %s, median %.1f s%n", v, t, sorted.get(sorted.size() / 2));
    });
  }
}
