package io.identityjoin.core;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.config.GuardSettings;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Guard: a blocked e-mail or external id never links. Junk such as {@code test@test.com},
 * {@code noreply@…} or an external id {@code 0} is shared by unrelated people; linking on it makes
 * one person of them all. The value stays in the output (the record shows it, flagged); it is only
 * withheld from the link rules, so a record whose external id is blocked falls back to e-mail.
 */
public final class BlockedValues {

  /** True where the record row's normalized e-mail is blocked. */
  public static final String EMAIL_BLOCKED = "email_blocked";
  /** True where the record row's external id is blocked. */
  public static final String EXTERNAL_ID_BLOCKED = "external_id_blocked";
  /** The e-mail a guard withheld from linking (blocked or a hub), kept to be shown in the output. */
  public static final String GUARDED_EMAIL = "guarded_email";
  /** The blocked external id, kept to be reported. */
  public static final String BLOCKED_EXTERNAL_ID = "blocked_external_id";

  private BlockedValues() {}

  /** Record rows (see {@link SourceRecords}) with {@value #EMAIL_BLOCKED} and {@value #EXTERNAL_ID_BLOCKED}. */
  public static Dataset<Row> flag(Dataset<Row> recordRows, GuardSettings guards) {
    return recordRows.select(col("*"),
        matches(col(SourceRecords.EMAIL), guards.blockedEmails(), guards.blockedEmailPatterns()).as(EMAIL_BLOCKED),
        matches(lower(col(SourceRecords.EXTERNAL_ID)), guards.blockedExternalIds(), guards.blockedExternalIdPatterns())
            .as(EXTERNAL_ID_BLOCKED));
  }

  /**
   * Flagged rows as the link rules see them: a blocked e-mail moves to {@value #GUARDED_EMAIL}, a
   * blocked external id moves to {@value #BLOCKED_EXTERNAL_ID}.
   */
  public static Dataset<Row> withheld(Dataset<Row> flagged) {
    // One projection: chained withColumn calls would stack a plan node each.
    return flagged.select(
        col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(SourceRecords.VERTEX),
        when(not(col(EMAIL_BLOCKED)), col(SourceRecords.EMAIL)).as(SourceRecords.EMAIL),
        col(SourceRecords.EMAIL_UNUSABLE),
        when(not(col(EXTERNAL_ID_BLOCKED)), col(SourceRecords.EXTERNAL_ID)).as(SourceRecords.EXTERNAL_ID),
        col(EMAIL_BLOCKED), col(EXTERNAL_ID_BLOCKED),
        when(col(EMAIL_BLOCKED), col(SourceRecords.EMAIL)).as(GUARDED_EMAIL),
        when(col(EXTERNAL_ID_BLOCKED), col(SourceRecords.EXTERNAL_ID)).as(BLOCKED_EXTERNAL_ID));
  }

  /** False for null; else whether the value is one of {@code exact} or any pattern finds a match. */
  static Column matches(Column value, List<String> exact, List<String> patterns) {
    Column hit = lit(false);
    if (!exact.isEmpty()) {
      hit = hit.or(value.isin(exact.toArray()));
    }
    for (String p : patterns) {
      hit = hit.or(value.rlike(p));
    }
    return coalesce(hit, lit(false));
  }
}
