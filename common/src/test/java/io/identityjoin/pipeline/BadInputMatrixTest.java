package io.identityjoin.pipeline;

import static io.identityjoin.testing.Fixtures.bySourceId;
import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.read.CorruptFiles;
import io.identityjoin.read.SourceReader;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix: each bad input either stops the run with one message naming the source
 * and the column, key, path or file (never a value), or is a counted skip; no record is lost
 * silently. Elsewhere: an external-id column on the anchor is refused by the settings
 * (SettingsLoaderTest.anExternalIdColumnOnTheAnchorIsRefused, and BadInputJobTest through the
 * command line); a corrupt file found while scanning (not while inferring the schema) is named by
 * the job (BadInputJobTest); null/blank ids are also rule 1's (IdentitySemanticsTest).
 */
@ExtendWith(SparkSessionExtension.class)
class BadInputMatrixTest {

  @TempDir Path dir;

  private static SourceSettings parquet(String name, Path path, String idColumn, String emailColumn,
      Map<String, String> options) {
    return new SourceSettings(name, TableFormat.PARQUET, path.toString(), idColumn, Optional.ofNullable(emailColumn),
        Optional.empty(), JoinStrategy.AUTO, options);
  }

  private static IdentityJoinException readFails(SparkSession spark, SourceSettings source) {
    return assertThrows(IdentityJoinException.class, () -> SourceReader.read(spark, source));
  }

  private static void assertNames(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
    }
  }

  private Path write(SparkSession spark, String name, String sql) {
    Path p = dir.resolve(name);
    spark.sql(sql).write().parquet(p.toString());
    return p;
  }

  @Test
  void missingColumnFailsNamingTheSourceColumnAndKey(SparkSession spark) {
    Path p = write(spark, "stripe", "SELECT 'cus_1' AS id, 'a@x.com' AS email");
    String m = readFails(spark, parquet("stripe", p, "id", "mail", Map.of())).getMessage();
    assertNames(m, "source 'stripe'", "'mail'", "identity-join.sources.stripe.email-column", "id, email");
  }

  @Test
  void structAndArrayIdColumnsAreRefusedNamingTheColumnAndType(SparkSession spark) {
    Path p = write(spark, "intercom",
        "SELECT named_struct('v', 'c1') AS id, array('c1') AS ids, 'a@x.com' AS email");
    assertNames(readFails(spark, parquet("intercom", p, "id", "email", Map.of())).getMessage(),
        "source 'intercom'", "'id'", "identity-join.sources.intercom.id-column", "struct<v:string>");
    assertNames(readFails(spark, parquet("intercom", p, "ids", "email", Map.of())).getMessage(),
        "'ids'", "array<string>");
  }

  @Test
  void anEmailColumnThatIsNotAStringIsRefused(SparkSession spark) {
    Path p = write(spark, "mailchimp", "SELECT 'm1' AS id, 42 AS email");
    assertNames(readFails(spark, parquet("mailchimp", p, "id", "email", Map.of())).getMessage(),
        "source 'mailchimp'", "'email'", "identity-join.sources.mailchimp.email-column", "is int, expected string");
  }

  @Test
  void nullAndBlankIdsAreSkippedAndCounted(SparkSession spark) {
    // Unicode blanks too: a no-break space or an ideographic space is no id.
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"))
        .source("stripe", false, row(null, "a@x.com"), row(" ", "a@x.com"), row("\u00a0", "b@x.com"),
            row("\u3000\t", "c@x.com"), row("cus_1", "a@x.com"))
        .run();
    assertEquals(2, bySourceId(r.identityMap()).size());
    RunSummary.SourceCounts stripe = r.summary().sources().get(1);
    assertEquals(5, stripe.rowsRead());
    assertEquals(4, stripe.rowsSkippedBlankId());
    assertEquals(1, stripe.records());
    r.release();
  }

  @Test
  void duplicateRowsAreOneRecordAndTheRowsAreCounted(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"))
        .source("stripe", false, row("cus_1", "a@x.com"), row("cus_1", "a@x.com"), row(" cus_1", "A@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(2, m.size(), "one row per record");
    assertEquals(m.get("segment/s1").<String>getAs("person_id"), m.get("stripe/cus_1").getAs("person_id"));
    RunSummary.SourceCounts stripe = r.summary().sources().get(1);
    assertEquals(3, stripe.rowsRead());
    assertEquals(1, stripe.records());
    assertEquals(1, stripe.recordsRead());
    r.release();
  }

  @Test
  void junkEmailsAreCountedAndNeverLink(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "n/a"), row("s2", "a b@x.com"), row("s3", "@x.com"), row("s4", "x@y"))
        .source("stripe", false, row("c1", "n/a"), row("c2", "a b@x.com"), row("c3", "@x.com"), row("c4", "x@y"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(8, m.values().stream().map(x -> (String) x.getAs("person_id")).distinct().count());
    m.values().forEach(x -> assertNull(x.getAs("email")));
    assertEquals(4, r.summary().sources().get(0).rowsWithUnusableEmail());
    assertEquals(4, r.summary().sources().get(1).rowsWithUnusableEmail());
    r.release();
  }

  @Test
  void nonAsciiEmailsAreUsableLowerCasedAndLink(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "Jörg.Müller@Beispiel.DE"), row("s2", "用户@例子.广告"), row("s3", "zoë@x.com"))
        .source("stripe", false, row("c1", "jörg.müller@beispiel.de"), row("c2", " 用户@例子.广告\u00a0"),
            row("c3", "\u00a0ZOË@X.COM\u3000"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    for (String n : List.of("1", "2", "3")) {
      assertEquals(m.get("segment/s" + n).<String>getAs("person_id"), m.get("stripe/c" + n).getAs("person_id"), n);
    }
    assertEquals("jörg.müller@beispiel.de", m.get("segment/s1").getAs("email"));
    assertEquals("用户@例子.广告", m.get("stripe/c2").getAs("email"), "no-break space trimmed");
    assertEquals("zoë@x.com", m.get("stripe/c3").getAs("email"));
    assertEquals(0, r.summary().sources().get(1).rowsWithUnusableEmail());
    r.release();
  }

  @Test
  void anAnchorWithDuplicateIdsIsOneRecordCarryingAllItsEmails(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "old@x.com"), row("s1", "new@x.com"), row("s1 ", null), row("s2", "two@x.com"))
        .source("zendesk", true, row("z1", "zed@x.com", "s1"))
        .source("stripe", false, row("c1", "new@x.com"), row("c2", "old@x.com"))
        .run();
    Map<String, Row> m = bySourceId(r.identityMap());
    assertEquals(5, m.size());
    String s1 = m.get("segment/s1").getAs("person_id");
    for (String k : List.of("zendesk/z1", "stripe/c1", "stripe/c2")) {
      assertEquals(s1, m.get(k).getAs("person_id"), k);
    }
    assertNotEquals(s1, m.get("segment/s2").getAs("person_id"));
    RunSummary.SourceCounts segment = r.summary().sources().get(0);
    assertEquals(4, segment.rowsRead());
    assertEquals(2, segment.records());
    r.release();
  }

  @Test
  void anEmptySourceWithZeroRowsIsReadAndTheOthersAreKept(SparkSession spark) {
    Path p = write(spark, "stripe", "SELECT CAST(NULL AS STRING) AS id, CAST(NULL AS STRING) AS email LIMIT 0");
    Dataset<Row> stripe = SourceReader.read(spark, parquet("stripe", p, "id", "email", Map.of()));
    IdentityResolution.Result r = new Fixtures(spark)
        .anchor("segment", row("s1", "a@x.com"), row("s2", "b@x.com"))
        .table("stripe", stripe, "id", Optional.of("email"), Optional.empty())
        .run();
    assertEquals(2, r.identityMap().count());
    RunSummary.SourceCounts counts = r.summary().sources().get(1);
    assertEquals("stripe", counts.source());
    assertEquals(0, counts.rowsRead());
    assertEquals(0, counts.records());
    r.release();
  }

  @Test
  void aFolderWithNoDataFilesFailsNamingTheSourceAndPath(SparkSession spark) throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("_SUCCESS"), "");
    String m = readFails(spark, parquet("stripe", empty, "id", "email", Map.of())).getMessage();
    assertNames(m, "source 'stripe'", empty.toString(), "identity-join.sources.stripe.path", "no data files");
  }

  @Test
  void aPathThatDoesNotExistFailsNamingTheSourceAndPath(SparkSession spark) {
    Path nope = dir.resolve("nope");
    assertNames(readFails(spark, parquet("stripe", nope, "id", "email", Map.of())).getMessage(),
        "source 'stripe'", nope.toString(), "identity-join.sources.stripe.path");
  }

  @Test
  void aDeltaPathThatIsNotADeltaTableFailsNamingTheSourceAndPath(SparkSession spark) {
    Path p = write(spark, "zendesk", "SELECT 'z1' AS id, 'a@x.com' AS email");
    SourceSettings delta = new SourceSettings("zendesk", TableFormat.DELTA, p.toString(), "id",
        Optional.of("email"), Optional.empty(), JoinStrategy.AUTO, Map.of());
    assertNames(readFails(spark, delta).getMessage(), "source 'zendesk'", "cannot read delta table", p.toString(),
        "identity-join.sources.zendesk.path");
  }

  /** Reads the whole table as the job does: a failure while scanning is explained by {@link CorruptFiles}. */
  private static long readAll(SparkSession spark, SourceSettings source) {
    Dataset<Row> table = SourceReader.read(spark, source);
    try {
      return table.count();
    } catch (Exception e) { // SparkException is checked, though nothing declares it
      Optional<IdentityJoinException> unreadable = CorruptFiles.explain(e, List.of(source), Map.of(source.name(), table));
      if (unreadable.isPresent()) {
        throw unreadable.get();
      }
      throw e;
    }
  }

  @Test
  void aCorruptParquetFileFailsNamingTheFileUnlessIgnoredThenItIsSkippedAndFound(SparkSession spark)
      throws IOException {
    Path p = write(spark, "stripe", "SELECT concat('cus_', id) AS id, concat('u', id, '@x.com') AS email "
        + "FROM range(20)");
    // A truncated upload. Spark infers the schema from one file: whether it is this one (the
    // reader names it) or not (the scan fails and CorruptFiles names it), the message names it.
    Path corrupt = p.resolve("part-truncated.parquet");
    Files.write(corrupt, new byte[] {'P', 'A', 'R', '1', 0, 0});
    IdentityJoinException e = assertThrows(IdentityJoinException.class,
        () -> readAll(spark, parquet("stripe", p, "id", "email", Map.of())));
    assertNames(e.getMessage(), "source 'stripe'", corrupt.toString(), "identity-join.sources.stripe.");

    SourceSettings ignoring = parquet("stripe", p, "id", "email", Map.of("ignoreCorruptFiles", "true"));
    assertEquals(20, readAll(spark, ignoring), "the good files' rows are all there");
    Dataset<Row> table = SourceReader.read(spark, ignoring);
    assertEquals(List.of(corrupt.toString()), CorruptFiles.skipped(ignoring, table,
        spark.sessionState().newHadoopConf()));
  }
}
