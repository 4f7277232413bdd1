package io.identityjoin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A failed run never leaves a half-written table where a good one was. */
@ExtendWith(SparkSessionExtension.class)
class IdentityTablesWriterTest {

  @TempDir Path dir;

  private IdentityTablesWriter writer(SparkSession spark, TableFormat format) {
    return new IdentityTablesWriter(new OutputSettings(dir.toString(), format, Optional.empty(), 4),
        spark.sessionState().newHadoopConf());
  }

  private static Dataset<Row> rows(SparkSession spark, long n, String tag) {
    return spark.range(n).selectExpr("id", "'" + tag + "' AS tag", "CAST(id % 3 AS STRING) AS source");
  }

  /** A table whose write fails in a task, after other tables were written. */
  private static Dataset<Row> failing(SparkSession spark) {
    return spark.range(10).selectExpr("id", "IF(id < 5, 'v2', raise_error('injected failure')) AS tag", "'x' AS source");
  }

  @Test
  void parquetTablesAreSwappedInOnlyWhenEveryTableIsWritten(SparkSession spark) {
    IdentityTablesWriter w = writer(spark, TableFormat.PARQUET);
    w.publish(List.of(new IdentityTablesWriter.Table("identity_map", rows(spark, 10, "v1"), List.of("source")),
        new IdentityTablesWriter.Table("user_identities", rows(spark, 4, "v1"), List.of())), "run1");
    assertThrows(Exception.class, () -> w.publish(List.of(
        new IdentityTablesWriter.Table("identity_map", rows(spark, 20, "v2"), List.of("source")),
        new IdentityTablesWriter.Table("user_identities", failing(spark), List.of())), "run2"));
    // The failed run published nothing: both tables are still run1's, whole.
    assertEquals(10, spark.read().parquet(dir.resolve("identity_map").toString()).where("tag = 'v1'").count());
    assertEquals(4, spark.read().parquet(dir.resolve("user_identities").toString()).count());
    w.publish(List.of(new IdentityTablesWriter.Table("identity_map", rows(spark, 20, "v3"), List.of("source")),
        new IdentityTablesWriter.Table("user_identities", rows(spark, 7, "v3"), List.of())), "run3");
    assertEquals(20, spark.read().parquet(dir.resolve("identity_map").toString()).where("tag = 'v3'").count());
    assertEquals(7, spark.read().parquet(dir.resolve("user_identities").toString()).count());
    assertFalse(Files.exists(dir.resolve("_staging")), "staging is cleaned up");
  }

  @Test
  void aRunThatDiedBetweenTheTwoRenamesIsRepaired(SparkSession spark) throws Exception {
    IdentityTablesWriter w = writer(spark, TableFormat.PARQUET);
    w.publish(List.of(new IdentityTablesWriter.Table("identity_map", rows(spark, 10, "v1"), List.of())), "run1");
    // Simulate the crash window: the current table was moved aside, the new one never moved in.
    Path aside = dir.resolve("_staging/run2/identity_map.previous");
    Files.createDirectories(aside.getParent());
    Files.move(dir.resolve("identity_map"), aside);
    Files.createDirectories(dir.resolve("_staging/run2/identity_map"));
    w.recover();
    assertEquals(10, spark.read().parquet(dir.resolve("identity_map").toString()).count());
    assertFalse(Files.exists(dir.resolve("_staging")));
  }

  @Test
  void deltaTablesAreReplacedInOneCommitAndAFailedWriteKeepsTheLastVersion(SparkSession spark) {
    IdentityTablesWriter w = writer(spark, TableFormat.DELTA);
    w.publish(List.of(new IdentityTablesWriter.Table("identity_map", rows(spark, 10, "v1"), List.of("source"))),
        "run1");
    assertThrows(Exception.class, () -> w.publish(List.of(
        new IdentityTablesWriter.Table("identity_map", failing(spark), List.of("source"))), "run2"));
    String path = dir.resolve("identity_map").toString();
    assertEquals(10, spark.read().format("delta").load(path).where("tag = 'v1'").count());
    w.publish(List.of(new IdentityTablesWriter.Table("identity_map", rows(spark, 3, "v3"), List.of())), "run3");
    assertEquals(3, spark.read().format("delta").load(path).count());
    assertEquals(10, spark.read().format("delta").option("versionAsOf", 0).load(path).count(),
        "earlier versions stay readable");
    assertTrue(Files.exists(dir.resolve("identity_map/_delta_log")));
  }

  @Test
  void aParquetPublishInterruptedAfterEveryTableWasStagedIsFinishedByTheNextRun(SparkSession spark) throws Exception {
    IdentityTablesWriter w = writer(spark, TableFormat.PARQUET);
    w.publish(List.of(new IdentityTablesWriter.Table("identity_map", rows(spark, 10, "v1"), List.of()),
        new IdentityTablesWriter.Table("user_identities", rows(spark, 4, "v1"), List.of())), "run1");
    // Simulate run2 dying mid-swap: both tables staged and _READY, identity_map swapped, user_identities not.
    Path run2 = dir.resolve("_staging/run2");
    rows(spark, 6, "v2").write().parquet(run2.resolve("user_identities").toString());
    Files.move(dir.resolve("identity_map"), run2.resolve("identity_map.previous"));
    rows(spark, 20, "v2").write().parquet(dir.resolve("identity_map").toString());
    Files.createFile(run2.resolve(IdentityTablesWriter.READY));
    w.recover();
    assertEquals(20, spark.read().parquet(dir.resolve("identity_map").toString()).where("tag = 'v2'").count());
    assertEquals(6, spark.read().parquet(dir.resolve("user_identities").toString()).where("tag = 'v2'").count(),
        "the swap was finished, not left half done");
    assertFalse(Files.exists(dir.resolve("_staging")));
  }

  @Test
  void appendOnlyTablesGainTheRunsRowsInBothFormats(SparkSession spark) {
    for (TableFormat format : TableFormat.values()) {
      IdentityTablesWriter w = writer(spark, format);
      String name = "ledger_" + format.sparkName();
      w.publish(List.of(new IdentityTablesWriter.Table(name, rows(spark, 3, "r1"), List.of(), true)), "r1", "m1");
      w.publish(List.of(new IdentityTablesWriter.Table(name, rows(spark, 2, "r2"), List.of(), true)), "r2", "m2");
      Dataset<Row> t = spark.read().format(format.sparkName()).load(dir.resolve(name).toString());
      assertEquals(3, t.where("tag = 'r1'").count(), format.toString());
      assertEquals(2, t.where("tag = 'r2'").count(), format.toString());
    }
    List<Row> history = io.delta.tables.DeltaTable.forPath(spark, dir.resolve("ledger_delta").toString()).history()
        .orderBy("version").select("operation", "userMetadata").collectAsList();
    assertEquals("WRITE", history.get(1).getString(0));
    assertEquals("m2", history.get(1).getString(1), "each commit carries the run's metadata");
  }
}
