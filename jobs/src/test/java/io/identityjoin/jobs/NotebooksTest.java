package io.identityjoin.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SQL cell of notebooks/, in order, against the job's output on the sample, with the views
 * notebooks/identity_tables.py registers; the answers are checked against the tables.
 */
@ExtendWith(SparkSessionExtension.class)
class NotebooksTest {

  static final Path NOTEBOOKS = Path.of(System.getProperty("user.dir")).getParent().resolve("notebooks");

  @TempDir Path work;

  /** What one cell returned, by its columns. */
  record Answer(String columns, List<Row> rows) {}

  @Test
  void everySqlCellRunsOnTheSampleAndTheAnswersAddUp(SparkSession shared) throws IOException {
    Path sample = TestSample.dir();
    Path out = work.resolve("out");
    Path conf = Files.writeString(work.resolve("job.conf"), IdentityJoinJobTest.config(sample, out, "delta"));
    IdentityJoinJobTest.Outcome run = IdentityJoinJobTest.run("--config", conf.toString());
    assertEquals(0, run.code(), run.err());

    // A session of its own: the temporary views stay out of the other tests' session.
    SparkSession spark = shared.newSession();
    registerViews(spark, out, sample);

    Map<String, Answer> answers = new LinkedHashMap<>();
    int statements = 0;
    for (String notebook : List.of("identity_tables.py", "identity_questions.sql")) {
      List<String> cells = sqlCells(NOTEBOOKS.resolve(notebook));
      assertFalse(cells.isEmpty(), notebook + " has SQL cells");
      for (String sql : cells) {
        statements++;
        Dataset<Row> result = spark.sql(sql);
        if (sql.stripLeading().toUpperCase().startsWith("CREATE")) {
          continue;
        }
        List<Row> rows = result.collectAsList();
        String columns = String.join(",", result.columns());
        assertFalse(rows.isEmpty(), notebook + ": no rows from\n" + sql);
        answers.put(columns, new Answer(columns, rows));
      }
    }
    assertEquals(10, statements, "SQL cells: 3 in identity_tables, 7 in identity_questions");

    Dataset<Row> map = spark.table("identity_map");
    Dataset<Row> tickets = spark.table("zendesk_ticket");
    Dataset<Row> ticketPersons = tickets
        .join(map.where("source = 'zendesk'"), trim(tickets.col("requester_id").cast("string")).equalTo(map.col("source_id")))
        .select(col("id"), col("person_id"));
    long ticketsWithSegment = ticketPersons.join(personsIn(map, "segment"), "person_id").count();
    long ticketsWithStripe = ticketPersons.join(personsIn(map, "stripe"), "person_id").count();
    assertTrue(ticketsWithSegment > 0 && ticketsWithStripe > 0);

    Answer referral = answer(answers, "referral_source,tickets,persons");
    assertEquals(ticketsWithSegment, sum(referral, 1), "tickets per referral source add up to the attributed tickets");
    Set<String> knownSources = strings(spark.table("segment_users").select("referral_source").distinct().collectAsList());
    referral.rows().forEach(r -> assertTrue(knownSources.contains(r.getString(0)), r.toString()));
    Answer attributed = answer(answers, "tickets,with_segment_user,without_segment_user,attributed_pct");
    Row a = attributed.rows().get(0);
    assertEquals(ticketPersons.count(), a.getLong(0));
    assertEquals(ticketsWithSegment, a.getLong(1));
    assertEquals(a.getLong(0), a.getLong(1) + a.getLong(2));

    Answer tiers = answer(answers, "tier,tickets,persons");
    assertEquals(ticketsWithStripe, sum(tiers, 1), "tickets per tier add up to the tickets of Stripe customers");
    Set<String> knownTiers = strings(spark.table("stripe_subscription").select("plan").distinct().collectAsList());
    knownTiers.add("(no current subscription)");
    tiers.rows().forEach(r -> assertTrue(knownTiers.contains(r.getString(0)), r.toString()));
    assertTrue(tiers.rows().size() >= 3, "several tiers on the sample: " + tiers.rows());

    long records = map.count();
    Answer rates = answer(answers, "source,records,anchor,by_external_id,by_email,unmatched,with_segment_user_pct,"
        + "with_stripe_customer_pct");
    assertEquals(SampleGenerator.USER_TABLES.size(), rates.rows().size(), "one row per source");
    assertEquals(records, sum(rates, 1));
    for (Row r : rates.rows()) {
      assertEquals(r.getLong(1), r.getLong(2) + r.getLong(3) + r.getLong(4) + r.getLong(5), r.toString());
    }
    assertEquals(records, sum(answer(answers, "source,match_rule,records"), 2));
    assertEquals(spark.table("user_identities").count(), sum(answer(answers, "sources,persons"), 1));
    assertEquals(20, answer(answers, "person_id,email,record_count").rows().size());
    assertEquals(records, sum(answer(answers, "run_id,source,rows_read,records,match_rules"), 3),
        "run_summary.json's records per source add up to identity_map");
    assertEquals(8, answers.size(), "eight queries with distinct columns: " + answers.keySet());
  }

  /** What identity_tables.py's setup cell does, in Java: the views the SQL cells read. */
  static void registerViews(SparkSession spark, Path out, Path lake) {
    Map<String, Path> views = new LinkedHashMap<>();
    views.put("identity_map", out.resolve("identity_map"));
    views.put("user_identities", out.resolve("user_identities"));
    views.put("segment_users", lake.resolve(SampleGenerator.SEGMENT_USERS));
    views.put("zendesk_ticket", lake.resolve(SampleGenerator.ZENDESK_TICKET));
    views.put("stripe_subscription", lake.resolve(SampleGenerator.STRIPE_SUBSCRIPTION));
    views.forEach((view, path) -> spark.read()
        .format(Files.isDirectory(path.resolve("_delta_log")) ? "delta" : "parquet")
        .load(path.toString())
        .createOrReplaceTempView(view));
    spark.read().option("multiLine", "true").json(out.resolve("run_summary.json").toString())
        .createOrReplaceTempView("run_summary");
  }

  /**
   * The SQL cells of a notebook in Databricks source format: every cell of a SQL notebook but the
   * {@code MAGIC} ones ({@code %md}, {@code %run}); the {@code %sql} cells of a Python one.
   */
  static List<String> sqlCells(Path notebook) throws IOException {
    String text = Files.readString(notebook);
    boolean python = notebook.toString().endsWith(".py");
    String comment = python ? "#" : "--";
    String header = comment + " Databricks notebook source";
    assertTrue(text.startsWith(header + "\n"), notebook + " starts with '" + header + "'");
    List<String> sql = new ArrayList<>();
    for (String raw : text.substring(header.length()).split(Pattern.quote(comment + " COMMAND ----------"))) {
      String cell = raw.strip();
      String magic = comment + " MAGIC";
      if (cell.startsWith(magic + " %sql")) {
        sql.add(cell.lines().skip(1).map(l -> l.startsWith(magic) ? l.substring(magic.length()) : l)
            .reduce("", (x, y) -> x + y + "\n").strip());
      } else if (cell.startsWith(magic + " %md") || cell.startsWith(magic + "\n")) {
        continue;
      } else if (cell.startsWith(magic + " %run")) {
        assertEquals(magic + " %run ./identity_tables", cell, "the only notebook run is the one whose views we register");
      } else if (cell.startsWith(magic)) {
        fail(notebook + ": a magic cell this test does not know: " + cell);
      } else if (!python) {
        sql.add(cell);
      }
    }
    return sql;
  }

  private static Dataset<Row> personsIn(Dataset<Row> map, String source) {
    return map.where(col("source").equalTo(source)).select("person_id").distinct();
  }

  private static Answer answer(Map<String, Answer> answers, String columns) {
    Answer a = answers.get(columns);
    if (a == null) {
      fail("no cell answered with columns " + columns + "; answers: " + answers.keySet());
    }
    return a;
  }

  private static long sum(Answer answer, int column) {
    return answer.rows().stream().mapToLong(r -> r.getLong(column)).sum();
  }

  private static Set<String> strings(List<Row> rows) {
    Set<String> s = new HashSet<>();
    rows.forEach(r -> s.add(r.getString(0)));
    return s;
  }
}
