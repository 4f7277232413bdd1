package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Stable ids through the command line: re-runs, the person_merges ledger, --dry-run, time travel. */
@ExtendWith(SparkSessionExtension.class)
class PersonMergesJobTest {

  @TempDir Path work;

  private void writeInput(SparkSession spark, String stripeRows) {
    spark.sql("SELECT * FROM VALUES ('A', 'a@x.com'), ('B', 'b@x.com') AS t(id, email)")
        .write().mode("overwrite").parquet(work.resolve("in/segment").toString());
    spark.sql("SELECT * FROM VALUES " + stripeRows + " AS t(id, email)")
        .write().mode("overwrite").parquet(work.resolve("in/stripe").toString());
  }

  private String conf() throws IOException {
    Path f = work.resolve("job.conf");
    Files.writeString(f, """
        identity-join {
          anchor = "segment"
          sources {
            segment { path = "%1$s/in/segment", email-column = "email" }
            stripe  { path = "%1$s/in/stripe", email-column = "email" }
          }
          output { path = "%1$s/out", format = "delta" }
        }
        """.formatted(work));
    return f.toString();
  }

  private Map<String, String> ids(SparkSession spark, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(work.resolve("out/identity_map").toString())
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("source") + "/" + r.getAs("source_id"),
            r -> r.<String>getAs("person_id")));
  }

  private Dataset<Row> ledger(SparkSession spark) {
    return spark.read().format("delta").load(work.resolve("out/person_merges").toString());
  }

  private long versions(SparkSession spark, String table) {
    return spark.sql("DESCRIBE HISTORY delta.`" + work.resolve("out/" + table) + "`").count();
  }

  @Test
  void reRunsKeepIdsTheLedgerRecordsAMergeAndADryRunPublishesNothing(SparkSession spark) throws IOException {
    String conf = conf();
    writeInput(spark, "('cus_1', 'a@x.com'), ('cus_2', 'b@x.com')");
    IdentityJoinJobTest.Outcome first = IdentityJoinJobTest.run("--config", conf);
    assertEquals(0, first.code(), first.err());
    IdentityJoinJobTest.Outcome again = IdentityJoinJobTest.run("--config", conf);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("person ids: 0 created, 2 kept (0 changed)"), again.out());
    assertEquals(ids(spark, 0), ids(spark, 1), "a re-run on unchanged input changes no id");
    assertEquals(0, ledger(spark).count(), "and adds no ledger row");
    assertEquals(1, versions(spark, "person_merges"), "the first run creates the ledger; a run changing no id "
        + "commits nothing to it");

    // cus_3 carries both addresses: A's and B's persons merge.
    writeInput(spark, "('cus_1', 'a@x.com'), ('cus_2', 'b@x.com'), ('cus_3', 'a@x.com'), ('cus_3', 'b@x.com')");
    long mapVersions = versions(spark, "identity_map");
    IdentityJoinJobTest.Outcome dry = IdentityJoinJobTest.run("--config", conf, "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("DRY RUN") && dry.out().contains("merge "), dry.out());
    assertTrue(dry.out().contains("added stripe/cus_3"), dry.out());
    assertEquals(mapVersions, versions(spark, "identity_map"), "a dry run commits nothing");
    assertEquals(0, ledger(spark).count());
    Path report;
    try (Stream<Path> runs = Files.list(work.resolve("out/" + IdentityJoinJob.DRY_RUN_DIR))) {
      report = runs.findFirst().orElseThrow().resolve("dry_run.json");
    }
    String json = Files.readString(report);
    assertTrue(json.contains("\"reason\" : \"merge\"") && json.contains("\"merged\" : 1"), json);
    assertTrue(Files.isDirectory(report.resolveSibling("record_moves")));

    IdentityJoinJobTest.Outcome merged = IdentityJoinJobTest.run("--config", conf);
    assertEquals(0, merged.code(), merged.err());
    Map<String, String> before = ids(spark, 1);
    Map<String, String> after = ids(spark, 2);
    assertNotEquals(before.get("segment/A"), before.get("segment/B"));
    assertEquals(after.get("segment/A"), after.get("segment/B"));
    String survivor = after.get("segment/A");
    String retired = survivor.equals(before.get("segment/A")) ? before.get("segment/B") : before.get("segment/A");
    assertTrue(survivor.equals(before.get("segment/A")) || survivor.equals(before.get("segment/B")));
    List<Row> rows = ledger(spark).select("old_person_id", "new_person_id", "reason", "run_id").collectAsList();
    String runId = merged.out().lines().findFirst().orElseThrow().split(" ")[2].replace(":", "");
    assertEquals("[[" + retired + "," + survivor + ",merge," + runId + "]]", rows.toString());
    assertEquals(2, versions(spark, "person_merges"), "a run that changes an id appends to the ledger");
    assertFalse(Files.exists(work.resolve("out/_staging")));

    // The README's time-travel queries: yesterday's ids stay readable.
    spark.sql("CREATE TABLE identity_map_tt USING DELTA LOCATION '" + work.resolve("out/identity_map") + "'");
    try {
      String segmentPersons = "SELECT DISTINCT person_id FROM identity_map_tt %s WHERE source = 'segment'";
      assertEquals(2, spark.sql(segmentPersons.formatted("VERSION AS OF 1")).count());
      Object v1 = spark.sql("DESCRIBE HISTORY identity_map_tt").where("version = 1").first().getAs("timestamp");
      assertEquals(2, spark.sql(segmentPersons.formatted("TIMESTAMP AS OF '" + v1 + "'")).count());
      assertEquals(2, spark.read().format("delta").option("versionAsOf", 1).load(work.resolve("out/identity_map")
          .toString()).where("source = 'segment'").select("person_id").distinct().count());
      assertTrue(spark.sql("DESCRIBE HISTORY identity_map_tt").where("version = 2").first().<String>getAs(
          "userMetadata")          .contains(runId), "each commit names its run");
    } finally {
      spark.sql("DROP TABLE identity_map_tt");
    }
  }
}
