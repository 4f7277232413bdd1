package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.SourceSettings;
import java.util.ArrayList;
import java.util.List;
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
  /**
   * A source's values inside {@link #of}, under the same name cast to text, then trimmed (the
   * e-mail also lower-cased), before its checks.
   */
  private static final String ID_VALUE = "__id";
  private static final String EMAIL_VALUE = "__email";
  private static final String EXTERNAL_ID_VALUE = "__external_id";

  private SourceRecords() {}

  /** Record rows of one source, from the columns {@link io.identityjoin.read.SourceReader} selected. */
  public static Dataset<Row> of(Dataset<Row> table, SourceSettings source) {
    // Each value is cast and trimmed once, in projections of its own, and the checks read the
    // trimmed values: written as one expression, Spark evaluated an id's trim twice (for the blank
    // check and for the value) and an external id's too, as it does not share work between a
    // condition and its branches. Spark keeps the projections apart, since each later one reads
    // the values more than once (CollapseProject does not copy an expensive expression into two
    // places); in generated code they are one loop over the rows.
    String[] cols = table.columns();
    boolean hasEmail = source.emailColumn().isPresent();
    boolean hasExternalId = source.externalIdColumn().isPresent();
    List<Column> values = new ArrayList<>(List.of(table.col(quote(cols[0])).cast("string").as(ID_VALUE)));
    int next = 1;
    if (hasEmail) {
      values.add(table.col(quote(cols[next++])).as(EMAIL_VALUE));
    }
    if (hasExternalId) {
      values.add(table.col(quote(cols[next])).cast("string").as(EXTERNAL_ID_VALUE));
    }
    List<Column> trimmed = new ArrayList<>(List.of(Whitespace.trim(col(ID_VALUE)).as(ID_VALUE)));
    if (hasEmail) {
      trimmed.add(EmailNormalizer.cleaned(col(EMAIL_VALUE)).as(EMAIL_VALUE));
    }
    if (hasExternalId) {
      trimmed.add(Whitespace.trim(col(EXTERNAL_ID_VALUE)).as(EXTERNAL_ID_VALUE));
    }
    Column email = hasEmail ? EmailNormalizer.usableOrNull(col(EMAIL_VALUE)) : lit(null).cast("string");
    Column unusable = hasEmail ? EmailNormalizer.isUnusableCleaned(col(EMAIL_VALUE)) : lit(false);
    Column externalId = hasExternalId ? nullIfBlank(col(EXTERNAL_ID_VALUE)) : lit(null).cast("string");
    return table.select(values.toArray(Column[]::new))
        .select(trimmed.toArray(Column[]::new))
        .select(
            lit(source.name()).as(SOURCE),
            nullIfBlank(col(ID_VALUE)).as(SOURCE_ID),
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

  /**
   * The name {@link #emailHash} goes by in the e-mail joins and windows (dropped before their
   * results leave them).
   */
  static final String EMAIL_HASH = "email_hash";

  /**
   * The 64-bit hash of a row's {@code email}, put before the address in the keys of the e-mail joins
   * and windows: Spark sorts on the first key's 8-byte prefix, which addresses often share
   * ({@code john.smi...}) and hashes almost never do.
   */
  static Column emailHash() {
    return xxhash64(col(EMAIL));
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
