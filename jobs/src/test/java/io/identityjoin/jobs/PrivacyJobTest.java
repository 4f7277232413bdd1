package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identityjoin.testing.CapturedLog;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy through the command line, on the sample: hashed e-mails in both tables, a suppression
 * list honored and counted, and a log (every logger at INFO, Spark's included) and error messages
 * that hold no e-mail address or id of the input.
 */
@ExtendWith(SparkSessionExtension.class)
class PrivacyJobTest {

  @TempDir Path work;

  /** Every e-mail (as written and normalized) and every id of the sample's user tables. */
  private static Set<String> sampleValues(SparkSession spark, Path sample) {
    Set<String> values = new HashSet<>();
    String[][] tables = {{"segment/users", "parquet", "id", "email"}, {"zendesk/user", "delta", "id", "email"},
        {"stripe/customer", "parquet", "id", "email"}, {"salesforce/lead", "parquet", "Id", "Email"},
        {"intercom/contact_history", "parquet", "id", "email"}, {"mailchimp/member", "parquet", "id", "email_address"}};
    for (String[] t : tables) {
      Dataset<Row> df = spark.read().format(t[1]).load(sample.resolve(t[0]).toString());
      for (Row r : df.selectExpr("CAST(" + t[2] + " AS STRING)", t[3]).collectAsList()) {
        for (int i = 0; i < 2; i++) {
          String v = r.getString(i);
          if (v != null) {
            values.add(v.strip());
            values.add(v.strip().toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
    }
    // Short values ("n/a", "1") would match anything; the sample's ids and addresses are longer.
    values.removeIf(v -> v.length() < 6);
    return values;
  }

  private static List<String> leaks(String log, Set<String> values) {
    List<String> found = new ArrayList<>();
    for (String v : values) {
      // Whole values only: a 10-digit Zendesk id may sit inside a 13-digit timestamp.
      if (log.contains(v)) {
        java.util.regex.Matcher m = Pattern.compile("(?<![\\w.@-])" + Pattern.quote(v) + "(?![\\w@-])").matcher(log);
        if (m.find()) {
          found.add(v + " in: ..." + log.substring(Math.max(0, m.start() - 150), Math.min(log.length(), m.end() + 60))
              .replace('\n', ' ') + "...");
        }
      }
    }
    return found;
  }

  @Test
  void hashedEmailsSuppressionAndALogWithoutAddressesOrIds(SparkSession spark) throws IOException {
    Path sample = JobsSample.dir();
    // The deletion requests: two addresses of Segment users, and one Stripe and one Zendesk record.
    Dataset<Row> users = spark.read().parquet(sample.resolve("segment/users").toString())
        .where("email LIKE '%@%.%'").orderBy("id").limit(2);
    List<String> listedEmails = users.selectExpr("lower(trim(email))").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    String stripeId = spark.read().parquet(sample.resolve("stripe/customer").toString()).orderBy("id").first()
        .getAs("id");
    String zendeskId = String.valueOf(spark.read().format("delta").load(sample.resolve("zendesk/user").toString())
        .orderBy("id").first().<Object>getAs("id"));
    Path suppression = work.resolve("suppression");
    spark.sql("SELECT * FROM VALUES ('" + listedEmails.get(0).toUpperCase(java.util.Locale.ROOT) + "', NULL, NULL), ('"
            + listedEmails.get(1) + "', NULL, NULL), (NULL, 'stripe', '" + stripeId + "'), (NULL, 'zendesk', '"
            + zendeskId + "') AS t(address, tool, record_id)")
        .write().parquet(suppression.toString());
    Path conf = work.resolve("job.conf");
    Files.writeString(conf, IdentityJoinJobTest.config(sample, work.resolve("out"), "delta"));
    String[] privacy = {"--set", "output.email=sha256", "--set", "suppression.path=" + suppression,
        "--set", "suppression.email-column=address", "--set", "suppression.source-column=tool",
        "--set", "suppression.id-column=record_id"};

    String log;
    IdentityJoinJobTest.Outcome failed;
    IdentityJoinJobTest.Outcome o;
    try (CapturedLog captured = new CapturedLog()) {
      List<String> args = new ArrayList<>(List.of("--config", conf.toString()));
      args.addAll(List.of(privacy));
      o = IdentityJoinJobTest.run(args.toArray(String[]::new));
      failed = IdentityJoinJobTest.run("--config", conf.toString(), "--set",
          "sources.mailchimp.email-column=no_such_column");
      log = captured.text();
    }
    assertEquals(0, o.code(), o.err());
    assertTrue(log.contains("stage write identity_map"), "the capture saw the run's INFO lines");
    assertTrue(log.lines().count() > 50, "Spark's INFO lines too: " + log.lines().count());

    Set<String> values = sampleValues(spark, sample);
    assertTrue(values.size() > 1000, "values to look for: " + values.size());
    String everything = log + "\n" + o.out() + o.err() + failed.out() + failed.err();
    List<String> leaked = leaks(everything, values);
    if (!leaked.isEmpty()) {
      Files.writeString(Path.of("target", "privacy-scan.log"), everything);
    }
    assertTrue(leaked.isEmpty(), "input values in the log or messages: " + String.join("\n", leaked.stream().limit(5).toList()));

    // Hashed: both tables carry email_sha256 and no address.
    Dataset<Row> map = spark.read().format("delta").load(work.resolve("out/identity_map").toString());
    Dataset<Row> people = spark.read().format("delta").load(work.resolve("out/user_identities").toString());
    for (Dataset<Row> t : List.of(map, people)) {
      Set<String> cols = Set.of(t.columns());
      assertTrue(cols.contains("email_sha256") && !cols.contains("email"), String.join(",", t.columns()));
    }
    Row first = users.selectExpr("CAST(id AS STRING) AS id", "sha2(lower(trim(email)), 256) AS h").first();
    assertEquals(0, map.where("source = 'segment' AND source_id = '" + first.getString(0) + "'").count(),
        "a listed address's record is gone");
    assertEquals(0, map.where("email_sha256 = '" + first.getString(1) + "'").count());
    assertEquals(0, people.where("email_sha256 = '" + first.getString(1) + "'").count());
    assertEquals(0, map.where("source = 'stripe' AND source_id = '" + stripeId + "'").count());
    assertEquals(0, map.where("source = 'zendesk' AND source_id = '" + zendeskId + "'").count());
    long hashedRows = map.where("email_sha256 RLIKE '^[0-9a-f]{64}$'").count();
    assertEquals(map.where("email_sha256 IS NOT NULL").count(), hashedRows);
    assertTrue(hashedRows > 500, "hashed rows: " + hashedRows);

    JsonNode summary = new ObjectMapper().readTree(work.resolve("out/run_summary.json").toFile());
    JsonNode guards = summary.get("safeguards");
    assertTrue(guards.get("records_suppressed").asLong() >= 4, guards.toString());
    assertEquals(2, guards.get("suppressed_addresses_found").asLong(), guards.toString());
    assertTrue(guards.get("invariant").get("holds").asBoolean());
    long suppressedStripe = 0;
    for (JsonNode s : summary.get("sources")) {
      assertEquals(s.get("records_read").asLong() - s.get("records_suppressed").asLong(), s.get("records").asLong());
      if (s.get("source").asText().equals("stripe")) {
        suppressedStripe = s.get("records_suppressed").asLong();
      }
    }
    assertTrue(suppressedStripe >= 1);
    assertFalse(Files.readString(work.resolve("out/run_summary.json")).contains("@"), "no address in the summary");
    assertEquals(2, failed.code(), "the bad-input run failed with a message: " + failed.err());
    assertTrue(failed.err().contains("mailchimp"), failed.err());
  }
}
