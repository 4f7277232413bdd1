package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.SourceSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rule 1: a record is a (source, id) pair, id = the id column cast to string and trimmed. This
 * turns a source's rows into record rows with the columns
 * {@code source, source_id, vertex, email, email_unusable, external_id}:
 * <ul>
 *   <li>{@code source_id} is null for rows with a null or blank id (skipped, and counted);</li>
 *   <li>{@code vertex} is the record's graph vertex, {@code xxhash64(source, source_id)}; the same id
 *       text in two sources is two vertices;</li>
 *   <li>several rows with one (source, id) stay several rows here: all their e-mails and
 *       external ids apply to the one record they form.</li>
 * </ul>
 */
public final class SourceRecords {

  public static final String SOURCE = "source";
  public static final String SOURCE_ID = "source_id";
  public static final String VERTEX = "vertex";
  public static final String EMAIL = "email";
  public static final String EMAIL_UNUSABLE = "email_unusable";
  public static final String EXTERNAL_ID = "external_id";

  private SourceRecords() {}

  /** Record rows of one source, from the columns {@link io.identityjoin.read.SourceReader} selected. */
  public static Dataset<Row> of(Dataset<Row> table, SourceSettings source) {
    String[] cols = table.columns();
    Column id = nullIfBlank(Whitespace.trim(table.col(quote(cols[0])).cast("string")));
    int next = 1;
    Column email = lit(null).cast("string");
    Column unusable = lit(false);
    if (source.emailColumn().isPresent()) {
      Column raw = table.col(quote(cols[next++]));
      email = EmailNormalizer.normalize(raw);
      unusable = EmailNormalizer.isUnusable(raw);
    }
    Column externalId = lit(null).cast("string");
    if (source.externalIdColumn().isPresent()) {
      externalId = nullIfBlank(Whitespace.trim(table.col(quote(cols[next])).cast("string")));
    }
    return table.select(
            lit(source.name()).as(SOURCE),
            id.as(SOURCE_ID),
            email.as(EMAIL),
            unusable.as(EMAIL_UNUSABLE),
            externalId.as(EXTERNAL_ID))
        .withColumn(VERTEX, vertex())
        .select(SOURCE, SOURCE_ID, VERTEX, EMAIL, EMAIL_UNUSABLE, EXTERNAL_ID);
  }

  /**
   * A record's vertex from its {@code source} and {@code source_id} columns: {@code xxhash64(source,
   * source_id)}, null without an id.
   */
  public static Column vertex() {
    return when(col(SOURCE_ID).isNotNull(), xxhash64(col(SOURCE), col(SOURCE_ID)));
  }

  /** Rows that form records: those with a non-blank id. */
  public static Dataset<Row> withId(Dataset<Row> recordRows) {
    return recordRows.where(col(SOURCE_ID).isNotNull());
  }

  static Column nullIfBlank(Column text) {
    return when(text.notEqual(""), text);
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
