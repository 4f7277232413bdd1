package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.config.SuppressionSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The suppression rule, how a deletion request is honored: a record is suppressed when its
 * (source, id) is on the suppression list, or when any of its rows carries an e-mail address on
 * the list (both compared as rule 1 and rule 2 compare them: ids cast to text and trimmed,
 * addresses trimmed and lower-cased). A suppressed record is removed before any link is made, so
 * it never links, never appears in identity_map or user_identities, and neither does a listed
 * address (every record carrying it is suppressed). Records it would have linked stay, on their
 * own evidence; an external id naming a suppressed anchor record names no anchor id any more.
 */
public final class Suppression {

  /** The list's columns, normalized. */
  public static final String EMAIL = SourceRecords.EMAIL;
  public static final String SOURCE = SourceRecords.SOURCE;
  public static final String SOURCE_ID = SourceRecords.SOURCE_ID;

  /**
   * What the list matched in this run's input.
   *
   * @param records {@code (source, source_id)} of every suppressed record, once each
   * @param addresses listed addresses found on at least one record row ({@code email})
   */
  public record Matches(Dataset<Row> records, Dataset<Row> addresses) {}

  private Suppression() {}

  /**
   * The list as {@code (email, source, source_id)}, normalized; null where the list has no such
   * column or the cell is null, blank or not a usable address.
   *
   * @param table the list as {@link io.identityjoin.read.SourceReader#readSuppression} returns it
   */
  public static Dataset<Row> list(Dataset<Row> table, SuppressionSettings settings) {
    String[] cols = table.columns();
    int next = 0;
    Column email = lit(null).cast("string");
    if (settings.emailColumn().isPresent()) {
      email = EmailNormalizer.normalize(table.col(SourceRecords.quote(cols[next++])));
    }
    Column source = lit(null).cast("string");
    Column id = lit(null).cast("string");
    if (settings.sourceColumn().isPresent()) {
      source = SourceRecords.nullIfBlank(Whitespace.trim(table.col(SourceRecords.quote(cols[next++])).cast("string")));
      id = SourceRecords.nullIfBlank(Whitespace.trim(table.col(SourceRecords.quote(cols[next])).cast("string")));
    }
    return table.select(email.as(EMAIL), source.as(SOURCE), id.as(SOURCE_ID));
  }

  /** The records and addresses of the input that the list suppresses. */
  public static Matches matches(Dataset<Row> recordRows, Dataset<Row> list) {
    Dataset<Row> rows = SourceRecords.withId(recordRows);
    Dataset<Row> listedIds = list.where(col(SOURCE).isNotNull().and(col(SOURCE_ID).isNotNull()))
        .select(col(SOURCE).as("l_source"), col(SOURCE_ID).as("l_id")).distinct();
    Dataset<Row> listedEmails = list.where(col(EMAIL).isNotNull()).select(col(EMAIL).as("l_email")).distinct();

    Dataset<Row> byId = rows.join(listedIds,
            col(SOURCE).equalTo(col("l_source")).and(col(SOURCE_ID).equalTo(col("l_id"))), "inner")
        .select(SOURCE, SOURCE_ID);
    Dataset<Row> byEmailRows = rows.where(col(EMAIL).isNotNull())
        .join(listedEmails, col(EMAIL).equalTo(col("l_email")), "inner");
    Dataset<Row> records = byId.unionByName(byEmailRows.select(SOURCE, SOURCE_ID)).distinct();
    return new Matches(records, byEmailRows.select(EMAIL).distinct());
  }

  /** Record rows without the suppressed records' rows (rows without an id stay, to be counted as skipped). */
  public static Dataset<Row> apply(Dataset<Row> recordRows, Dataset<Row> suppressedRecords) {
    Dataset<Row> s = suppressedRecords.select(col(SOURCE).as("s_source"), col(SOURCE_ID).as("s_id"));
    return recordRows.join(s,
        recordRows.col(SOURCE).equalTo(s.col("s_source")).and(recordRows.col(SOURCE_ID).equalTo(s.col("s_id"))),
        "left_anti");
  }
}
