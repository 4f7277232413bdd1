package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The job as users run it: the command line, a config file, the sample, the written tables. */
@ExtendWith(SparkSessionExtension.class)
class IdentityJoinJobTest {

  static Path sampleDir;
  @TempDir Path work;

  static final String[] USER_TABLES = {"segment/users", "zendesk/user", "stripe/customer", "salesforce/lead",
      "intercom/contact_history", "mailchimp/member"};

  @BeforeAll
  static void writeSample() {
    sampleDir = JobsSample.dir();
  }

  /** conf/sample.conf's sources, pointed at the test's sample (a folder or a URI such as s3a://...). */
  static String config(Object sample, Object out, String format) {
    return """
        identity-join {
          anchor = "segment"
          sources {
            segment    { format = "parquet", path = "%1$s/segment/users", id-column = "id", email-column = "email" }
            zendesk    { format = "delta", path = "%1$s/zendesk/user", id-column = "id", email-column = "email",
                         external-id-column = "external_id" }
            stripe     { format = "parquet", path = "%1$s/stripe/customer", id-column = "id", email-column = "email" }
            salesforce { format = "parquet", path = "%1$s/salesforce/lead", id-column = "Id", email-column = "Email" }
            intercom   { format = "parquet", path = "%1$s/intercom/contact_history", id-column = "id",
                         email-column = "email", external-id-column = "external_id" }
            mailchimp  { format = "parquet", path = "%1$s/mailchimp/member", id-column = "id",
                         email-column = "email_address" }
          }
          output { path = "%2$s", format = "%3$s" }
        }
        """.formatted(sample, out, format);
  }

  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    CommandLine cl = IdentityJoinCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path conf(String format) throws IOException {
    Path f = work.resolve("job.conf");
    Files.writeString(f, config(sampleDir, work.resolve("out"), format));
    return f;
  }

  @Test
  void runsEndToEndOnTheSampleAndKeepsEveryRecord(SparkSession spark) throws IOException {
    Outcome o = run("--config", conf("delta").toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("persons"), o.out());

    Dataset<Row> map = spark.read().format("delta").load(work.resolve("out/identity_map").toString());
    long input = 0;
    String[] ids = {"id", "id", "id", "Id", "id", "id"};
    for (int i = 0; i < USER_TABLES.length; i++) {
      String format = USER_TABLES[i].startsWith("zendesk") ? "delta" : "parquet";
      input += spark.read().format(format).load(sampleDir.resolve(USER_TABLES[i]).toString())
          .selectExpr("trim(CAST(" + ids[i] + " AS STRING)) AS id").where("id IS NOT NULL AND id <> ''")
          .distinct().count();
    }
    assertEquals(input, map.count(), "one identity_map row per input record");
    assertEquals(input, map.select("source", "source_id").distinct().count());
    assertTrue(Files.isDirectory(work.resolve("out/identity_map/source=zendesk")), "partitioned by source");

    Dataset<Row> users = spark.read().format("delta").load(work.resolve("out/user_identities").toString());
    assertEquals(map.select("person_id").distinct().count(), users.count(), "one user_identities row per person");
    assertTrue(List.of(users.columns()).containsAll(List.of("person_id", "email", "segment_id", "segment_ids",
        "zendesk_id", "stripe_ids", "mailchimp_id", "person_bucket")), String.join(",", users.columns()));
    String summary = Files.readString(work.resolve("out/run_summary.json"));
    assertTrue(summary.contains("\"records\" : " + input), summary);
    assertTrue(map.where("match_rule = 'external_id'").count() > 0);
    assertTrue(map.where("match_rule = 'email'").count() > 0);

    // Under execution.rows-per-write-task (1M) rows, one task writes each table: one file per partition.
    assertEquals(Map.of("source=intercom", 1L, "source=mailchimp", 1L, "source=salesforce", 1L, "source=segment", 1L,
        "source=stripe", 1L, "source=zendesk", 1L), dataFilesPerPartition(work.resolve("out/identity_map")));
    Map<String, Long> buckets = dataFilesPerPartition(work.resolve("out/user_identities"));
    assertEquals(users.select("person_bucket").distinct().count(), buckets.size(), buckets.toString());
    assertTrue(buckets.values().stream().allMatch(n -> n == 1L), "one file per bucket: " + buckets);
  }

  /** Parquet data files in each partition folder of a freshly written table. */
  static Map<String, Long> dataFilesPerPartition(Path table) throws IOException {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .collect(Collectors.groupingBy(p -> p.getParent().getFileName().toString(), TreeMap::new,
              Collectors.counting()));
    }
  }

  @Test
  void writesParquetWhenAskedAndRerunsReplaceTheTables(SparkSession spark) throws IOException {
    Path f = conf("parquet");
    assertEquals(0, run("--config", f.toString()).code());
    long first = spark.read().parquet(work.resolve("out/identity_map").toString()).count();
    assertEquals(0, run("--config", f.toString()).code());
    assertEquals(first, spark.read().parquet(work.resolve("out/identity_map").toString()).count());
    assertFalse(Files.exists(work.resolve("out/_staging")));
  }

  @Test
  void explainsEvaluatesAndReportsFromTheWrittenTables(SparkSession spark) throws IOException {
    Path f = conf("parquet");
    assertEquals(0, run("--config", f.toString()).code());
    String html = Files.readString(work.resolve("out/report.html"));
    assertTrue(html.contains("id=\"largest-persons\"") && html.contains("<svg"), "report.html beside the tables");

    Row z = spark.read().parquet(work.resolve("out/identity_map").toString())
        .where("source = 'zendesk' AND match_rule = 'external_id'").orderBy("source_id").first();
    Outcome explain = run("explain", "--config", f.toString(), "--source", "zendesk", "--id", z.getAs("source_id"));
    assertEquals(0, explain.code(), explain.err());
    assertTrue(explain.out().contains("zendesk/" + z.getAs("source_id") + "  --[external id " + z.getAs("matched_by")
        + "]-->  segment/" + z.getAs("matched_by")), explain.out());
    assertTrue(explain.out().contains("Every member"), explain.out());
    Outcome missing = run("explain", "--config", f.toString(), "--source", "zendesk", "--id", "no-such-id");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no record zendesk/no-such-id"), missing.err());

    Outcome evaluate = run("evaluate", "--config", f.toString(), "--truth-column", "true_person");
    assertEquals(0, evaluate.code(), evaluate.err());
    java.util.regex.Matcher pairs = java.util.regex.Pattern.compile("pairs: predicted ([0-9,]+), true ([0-9,]+), "
        + "both ([0-9,]+)").matcher(evaluate.out());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("precision (\\S+)  recall (\\S+)  F1 (\\S+)")
        .matcher(evaluate.out());
    assertTrue(pairs.find() && m.find(), evaluate.out());
    double predicted = Double.parseDouble(pairs.group(1).replace(",", ""));
    double truePairs = Double.parseDouble(pairs.group(2).replace(",", ""));
    double both = Double.parseDouble(pairs.group(3).replace(",", ""));
    assertEquals(both / predicted, Double.parseDouble(m.group(1)), 1e-4, evaluate.out());
    assertEquals(both / truePairs, Double.parseDouble(m.group(2)), 1e-4, evaluate.out());
    // The sample's junk addresses make a few false merges; its split persons (different addresses, no
    // external id) keep recall well under 1.
    assertTrue(Double.parseDouble(m.group(1)) > 0.95 && Double.parseDouble(m.group(2)) > 0.5, evaluate.out());
    assertTrue(evaluate.out().contains("false merges:"), evaluate.out());
  }

  private void assertFailsBeforeWriting(Outcome o, String... named) {
    assertEquals(2, o.code(), o.out() + o.err());
    String firstLine = o.err().lines().findFirst().orElse("");
    for (String n : named) {
      assertTrue(firstLine.contains(n), "expected '" + n + "' in: " + o.err());
    }
    assertFalse(Files.exists(work.resolve("out")), "nothing written");
  }

  @Test
  void anAnchorNotAmongTheSourcesFailsNamingIt() throws IOException {
    assertFailsBeforeWriting(run("--config", conf("delta").toString(), "--set", "anchor=hubspot"),
        "identity-join.anchor", "hubspot");
  }

  @Test
  void aMissingPathFailsNamingTheSourceAndPath() throws IOException {
    assertFailsBeforeWriting(run("--config", conf("delta").toString(), "--set",
        "sources.stripe.path=" + work.resolve("nope")), "stripe", work.resolve("nope").toString());
  }

  @Test
  void aColumnTheSourceLacksFailsNamingTheSourceAndColumn() throws IOException {
    assertFailsBeforeWriting(run("--config", conf("delta").toString(), "--set",
        "sources.mailchimp.email-column=mail"), "mailchimp", "'mail'", "email-column");
  }

  @Test
  void anUnknownFormatFailsNamingTheKey() throws IOException {
    assertFailsBeforeWriting(run("--config", conf("delta").toString(), "--set", "sources.segment.format=avro"),
        "identity-join.sources.segment.format", "avro");
  }

  @Test
  void aDeltaPathThatIsNotADeltaTableFailsNamingTheSource() throws IOException {
    assertFailsBeforeWriting(run("--config", conf("delta").toString(), "--set", "sources.stripe.format=delta"),
        "stripe", "delta");
  }

  @Test
  void helpListsTheOptionsAndSubcommands() {
    Outcome o = run("--help");
    assertEquals(0, o.code());
    assertTrue(o.out().contains("--config") && o.out().contains("--set") && o.out().contains("sample")
        && o.out().contains("explain") && o.out().contains("evaluate"), o.out());
  }
}
