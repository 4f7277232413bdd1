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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The replaced tables are written side by side; append-only tables after them, and only if they all were. */
@ExtendWith(SparkSessionExtension.class)
class ConcurrentWritesTest {

  @TempDir Path dir;

  private static IdentityTablesWriter.Table table(String name, boolean append) {
    return new IdentityTablesWriter.Table(name, null, List.of(), append);
  }

  @Test
  void replacedTablesAreWrittenAtTheSameTimeAndAppendsAfterThem() {
    CountDownLatch bothStarted = new CountDownLatch(2);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<Boolean> sawTheOther = Collections.synchronizedList(new ArrayList<>());
    ConcurrentWrites.run(List.of(table("identity_map", false), table("user_identities", false),
        table("person_merges", true)), t -> {
          if (!t.append()) {
            bothStarted.countDown();
            try {
              // Written one after another, the first write would wait here for the whole timeout.
              sawTheOther.add(bothStarted.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
          order.add(t.name());
        });
    assertEquals(List.of(true, true), sawTheOther, "each replaced table's write saw the other one running");
    assertEquals("person_merges", order.get(2), "the append-only table is written last");
    assertEquals(3, order.size());
  }

  @Test
  void aFailedWriteIsThrownAfterTheOthersFinishAndTheAppendsAreNotWritten() {
    List<String> written = Collections.synchronizedList(new ArrayList<>());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConcurrentWrites.run(
        List.of(table("identity_map", false), table("user_identities", false), table("person_merges", true)),
        t -> {
          if (t.name().equals("identity_map")) {
            throw new IllegalStateException("identity_map: injected failure");
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException ie) {
            throw new IllegalStateException(ie);
          }
          written.add(t.name());
        }));
    assertEquals("identity_map: injected failure", e.getMessage());
    assertEquals(List.of("user_identities"), written, "the other write finished; the append never started");
  }

  @Test
  void aDeltaPublishWithAFailingTableCommitsNoLedgerRows(SparkSession spark) {
    IdentityTablesWriter w = new IdentityTablesWriter(new OutputSettings(dir.toString(), TableFormat.DELTA,
        Optional.empty(), 4), spark.sessionState().newHadoopConf());
    Dataset<Row> good = spark.range(10).selectExpr("id", "'v1' AS tag", "CAST(id % 3 AS STRING) AS source");
    Dataset<Row> failing = spark.range(10)
        .selectExpr("id", "IF(id < 5, 'v2', raise_error('injected failure')) AS tag", "'x' AS source");
    Exception e = assertThrows(Exception.class, () -> w.publish(List.of(
        new IdentityTablesWriter.Table("identity_map", good, List.of("source")),
        new IdentityTablesWriter.Table("user_identities", failing, List.of()),
        new IdentityTablesWriter.Table("person_merges", good, List.of(), true)), "run1"));
    assertTrue(String.valueOf(e.getMessage()).contains("injected failure")
        || String.valueOf(e.getCause()).contains("injected failure"), String.valueOf(e));
    assertFalse(Files.exists(dir.resolve("person_merges")), "no ledger rows for a run whose tables failed");
    assertEquals(10, spark.read().format("delta").load(dir.resolve("identity_map").toString()).count(),
        "the table written beside the failed one is whole");
  }
}
