package io.identityjoin.jobs.bench;

import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The classic SQL recipe this project replaces, run through Spark SQL on the sample's tables, under
 * a time cap. Its table names are catalog tables (external, over the sample's files) in databases
 * named like the recipe's schemas. Two things Spark needs and the recipe's dialect leaves implicit:
 * each table gets its schema's name as alias (the recipe qualifies columns as {@code zendesk.id}),
 * and the result, whose columns are five {@code id}s and an {@code email}, gets distinct column
 * names before it is written (Spark refuses a table with duplicate columns). The joins, the OR
 * conditions and the GROUP BY are the recipe's as written. The result is written like the job's
 * output: a Delta table, overwritten.
 */
final class SeedRecipe {

  /** The recipe, verbatim from issue 3. */
  static final String STATEMENT = "CREATE TABLE user_identities AS SELECT segment.id, segment.email, zendesk.id, "
      + "stripe.id, salesforce.id, intercom.id FROM segment.users LEFT JOIN zendesk.users ON (zendesk.external_id "
      + "= segment.id OR zendesk.email = segment.email) LEFT JOIN stripe.customers ON stripe.email = segment.email "
      + "LEFT JOIN salesforce.leads ON salesforce.email = segment.email LEFT JOIN intercom.users ON "
      + "(intercom.user_id = segment.id OR intercom.email = segment.email) GROUP BY 1,2,3,4,5,6";

  /** The recipe's SELECT as Spark runs it: the statement's query, each table aliased by its schema. */
  static final String QUERY = STATEMENT.substring(STATEMENT.indexOf("SELECT"))
      .replaceAll("(FROM|JOIN) (\\w+)\\.(\\w+)", "$1 $2.$3 AS $2");

  /** Names for the result's columns, in the recipe's order. */
  static final String[] COLUMNS = {"segment_id", "segment_email", "zendesk_id", "stripe_id", "salesforce_id",
      "intercom_id"};

  /** The recipe's tables and the sample tables they are. */
  static final Map<String, String> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("segment.users", SampleGenerator.SEGMENT_USERS);
    TABLES.put("zendesk.users", SampleGenerator.ZENDESK_USER);
    TABLES.put("stripe.customers", SampleGenerator.STRIPE_CUSTOMER);
    TABLES.put("salesforce.leads", SampleGenerator.SALESFORCE_LEAD);
    TABLES.put("intercom.users", SampleGenerator.INTERCOM_CONTACT_HISTORY);
  }

  /**
   * Cancelled tasks stop at their next record; the recipe's nested-loop joins may take a while to
   * get there. The next phase is measured only once the executors are idle again.
   */
  private static void awaitNoActiveTasks(SparkSession spark) {
    org.apache.spark.SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      int running = 0;
      for (int stage : tracker.getActiveStageIds()) {
        var info = tracker.getStageInfo(stage);
        if (info.isDefined()) {
          running += info.get().numActiveTasks();
        }
      }
      if (running == 0) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("the cancelled seed SQL recipe's tasks were still running after 10 minutes");
  }

  private static final String JOB_GROUP = "identity-join-bench-seed-sql";

  private SeedRecipe() {}

  /** Points the recipe's table names at the sample under {@code dataDir}; drops its earlier output. */
  static void prepare(SparkSession spark, String dataDir) {
    for (Map.Entry<String, String> t : TABLES.entrySet()) {
      String db = t.getKey().substring(0, t.getKey().indexOf('.'));
      spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
      spark.sql("DROP TABLE IF EXISTS " + t.getKey());
      spark.sql("CREATE TABLE " + t.getKey() + " USING " + SampleWriter.formatOf(t.getValue()) + " LOCATION '"
          + SampleWriter.pathOf(dataDir, t.getValue()).replace("'", "\\'") + "'");
    }
  }

  /**
   * Runs the statement; returns false if it had not finished after {@code capSeconds}, in which
   * case its Spark jobs are cancelled.
   */
  static boolean run(SparkSession spark, long capSeconds, String out) {
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bench-seed-sql");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<?> done = thread.submit(() -> {
        spark.sparkContext().setJobGroup(JOB_GROUP, "seed SQL recipe", true);
        try {
          spark.sql(QUERY).toDF(COLUMNS).write().format("delta").mode(SaveMode.Overwrite).save(out);
        } finally {
          spark.sparkContext().clearJobGroup();
        }
      });
      try {
        done.get(capSeconds, TimeUnit.SECONDS);
        return true;
      } catch (TimeoutException e) {
        spark.sparkContext().cancelJobGroup(JOB_GROUP);
        done.cancel(true);
        awaitNoActiveTasks(spark);
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        spark.sparkContext().cancelJobGroup(JOB_GROUP);
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the seed SQL recipe failed: " + e.getCause(), e.getCause());
      }
    } finally {
      thread.shutdownNow();
      try {
        // Let the cancelled statement unwind before the next phase starts measuring.
        thread.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
