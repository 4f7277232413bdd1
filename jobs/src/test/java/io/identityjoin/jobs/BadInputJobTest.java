package io.identityjoin.jobs;

import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.OutputInvariant;
import io.identityjoin.pipeline.RunSummary;
import io.identityjoin.pipeline.StageClock;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad inputs through the command line: an unreadable file among good ones, an external-id column
 * on the anchor, and an output that fails its invariant. The rest of the matrix is in common's
 * BadInputMatrixTest and in IdentityJoinJobTest.
 */
@ExtendWith(SparkSessionExtension.class)
class BadInputJobTest {

  @TempDir Path work;

  /** segment: 20 users; stripe: 30 customers in two good files and one corrupt file. */
  private Path conf(SparkSession spark) throws IOException {
    Path segment = work.resolve("segment");
    Path stripe = work.resolve("stripe");
    spark.sql("SELECT concat('seg', id) AS id, concat('u', id, '@x.com') AS email FROM range(20)")
        .coalesce(1).write().parquet(segment.toString());
    spark.sql("SELECT concat('cus_', id) AS id, concat('u', id, '@x.com') AS email FROM range(30)")
        .repartition(2).write().parquet(stripe.toString());
    Files.write(stripe.resolve("part-00099-truncated.snappy.parquet"), new byte[] {'P', 'A', 'R', '1', 1, 2, 3});
    Path f = work.resolve("job.conf");
    Files.writeString(f, """
        identity-join {
          anchor = "segment"
          sources {
            segment { format = "parquet", path = "%s", email-column = "email" }
            stripe  { format = "parquet", path = "%s", email-column = "email" }
          }
          output { path = "%s", format = "delta" }
        }
        """.formatted(segment, stripe, work.resolve("out")));
    return f;
  }

  @Test
  void aCorruptFileAmongGoodOnesFailsNamingTheSourceAndTheFileAndNothingIsWritten(SparkSession spark)
      throws IOException {
    IdentityJoinJobTest.Outcome o = IdentityJoinJobTest.run("--config", conf(spark).toString());
    assertEquals(2, o.code(), o.out() + o.err());
    String message = o.err().lines().findFirst().orElse("");
    for (String part : new String[] {"source 'stripe'", work.resolve("stripe/part-00099-truncated.snappy.parquet")
        .toString(), "identity-join.sources.stripe.ignore-corrupt-files"}) {
      assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
    }
    assertFalse(Files.exists(work.resolve("out")), "nothing written");
  }

  @Test
  void withIgnoreCorruptFilesTheFileIsSkippedAndCountedInTheSummary(SparkSession spark) throws IOException {
    IdentityJoinJobTest.Outcome o = IdentityJoinJobTest.run("--config", conf(spark).toString(),
        "--set", "sources.stripe.ignore-corrupt-files=true");
    assertEquals(0, o.code(), o.err());
    JsonNode summary = new ObjectMapper().readTree(work.resolve("out/run_summary.json").toFile());
    JsonNode stripe = summary.get("sources").get(1);
    assertEquals("stripe", stripe.get("source").asText());
    assertEquals(1, stripe.get("corrupt_files_skipped").asLong());
    assertEquals(30, stripe.get("records").asLong(), "every row of the good files");
    assertEquals(1, summary.get("safeguards").get("corrupt_files_skipped").asLong());
    assertTrue(summary.get("safeguards").get("invariant").get("holds").asBoolean());
    assertTrue(o.out().contains("1 unreadable files skipped"), o.out());
  }

  @Test
  void anExternalIdColumnOnTheAnchorIsRefusedBeforeAnythingIsRead(SparkSession spark) throws IOException {
    IdentityJoinJobTest.Outcome o = IdentityJoinJobTest.run("--config", conf(spark).toString(),
        "--set", "sources.segment.external-id-column=email");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("identity-join.sources.segment.external-id-column"), o.err());
    assertFalse(Files.exists(work.resolve("out")));
  }

  @Test
  void anOutputThatFailsTheInvariantIsNeverPublished(SparkSession spark) {
    Fixtures f = new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"), row("s2", "b@x.com"))
        .source("stripe", false, row("cus_1", "a@x.com"), row("cus_2", null));
    Settings s = f.settings();
    Settings settings = new Settings(s.anchor(), s.sources(), s.broadcastThresholdBytes(),
        new OutputSettings(work.resolve("out").toString(), TableFormat.DELTA, Optional.empty(), 4),
        s.components(), s.sample());
    IdentityResolution.Result r = f.run();
    Dataset<Row> map = r.identityMap();
    // A stand-in for a bug downstream of the rules: a record shows up twice.
    IdentityResolution.Result broken = new IdentityResolution.Result(map.unionByName(map.limit(1)),
        r.userIdentities(), r.personMerges(), r.summary(), r.guards(), r.cached(), r.codegen(),
        r.compression(), r.lookup());
    assertThrows(OutputInvariant.OutputInvariantException.class,
        () -> IdentityJoinJob.verifyAndPublish(spark, settings, broken, Map.of(), "bad-run", new StageClock()));
    assertFalse(Files.exists(work.resolve("out")), "nothing published");

    RunSummary published = IdentityJoinJob.verifyAndPublish(spark, settings, r, Map.of(), "good-run",
        new StageClock());
    assertTrue(published.safeguards().invariant().orElseThrow().holds());
    assertEquals(4, spark.read().format("delta").load(work.resolve("out/identity_map").toString()).count());
    r.release();
  }
}
