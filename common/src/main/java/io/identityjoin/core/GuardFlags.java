package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code flags} of each record in identity_map: which guards or findings touched it. A flag
 * never removes a record; it says why a value did not link or what to look at.
 */
public final class GuardFlags {

  public static final String FLAGS = "flags";
  public static final String BLOCKED_EMAIL = "blocked_email";
  public static final String BLOCKED_EXTERNAL_ID = "blocked_external_id";
  public static final String HUB_EMAIL = "hub_email";
  public static final String HUB_EXTERNAL_ID = "hub_external_id";
  public static final String DANGLING_EXTERNAL_ID = "dangling_external_id";
  public static final String EMAIL_CONFLICT = "email_conflict";
  public static final String DROPPED_EMAIL_LINK = "dropped_email_link";

  private GuardFlags() {}

  /**
   * {@code (vertex, flags)}: the sorted flags of every record that has any.
   *
   * @param linkRows record rows after {@link BlockedValues} and {@link HubCap}, or one row per record with
   *     their flag columns ({@code IdentityMap.records}: fewer rows, the same flags)
   * @param dangling output of {@link LinkConflicts#dangling}
   * @param conflicts output of {@link LinkConflicts#emailConflicts}
   * @param droppedLinks output of {@link AnchorProtection#droppedLinks} ({@code src, dst, value})
   */
  public static Dataset<Row> of(Dataset<Row> linkRows, Dataset<Row> dangling, Dataset<Row> conflicts,
      Dataset<Row> droppedLinks) {
    Dataset<Row> rows = SourceRecords.withId(linkRows);
    Dataset<Row> flags = flagged(rows, col(BlockedValues.EMAIL_BLOCKED), BLOCKED_EMAIL)
        .unionByName(flagged(rows, col(BlockedValues.EXTERNAL_ID_BLOCKED), BLOCKED_EXTERNAL_ID))
        .unionByName(flagged(rows, col(HubCap.EMAIL_HUB), HUB_EMAIL))
        .unionByName(flagged(rows, col(HubCap.EXTERNAL_ID_HUB), HUB_EXTERNAL_ID))
        .unionByName(dangling.select(col(SourceRecords.VERTEX), lit(DANGLING_EXTERNAL_ID).as("flag")))
        .unionByName(conflicts.select(col(SourceRecords.VERTEX), lit(EMAIL_CONFLICT).as("flag")))
        .unionByName(droppedLinks.select(col(ExternalIdLinks.SRC).as(SourceRecords.VERTEX),
            lit(DROPPED_EMAIL_LINK).as("flag")))
        .unionByName(droppedLinks.select(col(ExternalIdLinks.DST).as(SourceRecords.VERTEX),
            lit(DROPPED_EMAIL_LINK).as("flag")));
    return flags.groupBy(SourceRecords.VERTEX).agg(sort_array(collect_set("flag")).as(FLAGS));
  }

  private static Dataset<Row> flagged(Dataset<Row> rows, Column condition, String flag) {
    return rows.where(condition).select(col(SourceRecords.VERTEX), lit(flag).as("flag"));
  }
}
