package io.identityjoin.jobs.bench;

import com.typesafe.config.ConfigFactory;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SettingsLoader;
import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleOptions;
import io.identityjoin.sample.SampleWriter;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The synthetic SaaS user tables at a requested record count, written once under the bench folder
 * and reused by later benches (the generator is deterministic), and the job's settings for them.
 */
final class BenchData {

  /**
   * User-table rows the generator makes per person at its defaults: Segment 0.8, Zendesk 0.6,
   * Stripe 0.59, Salesforce 0.4, Intercom history 1.25, Mailchimp 0.69 (see SampleGenerator).
   */
  static final double ROWS_PER_PERSON = 4.33;
  static final long SEED = 42;

  final long requestedRecords;
  final long persons;
  final String dir;
  /** Rows written per user table, counted from the files. */
  final Map<String, Long> rowsPerTable;

  private BenchData(long requestedRecords, long persons, String dir, Map<String, Long> rowsPerTable) {
    this.requestedRecords = requestedRecords;
    this.persons = persons;
    this.dir = dir;
    this.rowsPerTable = rowsPerTable;
  }

  long rows() {
    return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Generates the six user tables for about {@code records} rows under {@code root}, unless there. */
  static BenchData ensure(SparkSession spark, String root, long records) {
    long persons = Math.max(1, Math.round(records / ROWS_PER_PERSON));
    String dir = root + "/data/persons-" + persons + "-seed-" + SEED;
    File done = new File(dir, "_BENCH_DATA_COMPLETE");
    if (!done.isFile()) {
      Map<String, Dataset<Row>> all = SampleGenerator.tables(spark, new SampleOptions(persons, SEED));
      Map<String, Dataset<Row>> users = new LinkedHashMap<>();
      SampleGenerator.USER_TABLES.forEach(t -> users.put(t, all.get(t)));
      SampleWriter.write(users, dir);
      try {
        if (!done.createNewFile()) {
          throw new IllegalStateException("cannot mark " + done);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String t : SampleGenerator.USER_TABLES) {
      rows.put(t, spark.read().format(SampleWriter.formatOf(t)).load(SampleWriter.pathOf(dir, t)).count());
    }
    return new BenchData(records, persons, dir, rows);
  }

  /** conf/sample.conf's six sources over this data, output to {@code out} as Delta (the default). */
  Settings settings(String out) {
    String hocon = """
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
          output { path = "%2$s", format = "delta" }
        }
        """.formatted(dir, out);
    return SettingsLoader.fromConfig(ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.defaultReference(SettingsLoader.class.getClassLoader())).resolve());
  }
}
