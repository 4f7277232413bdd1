package io.identityjoin.core;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.config.GuardSettings;
import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.Settings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Guard: a value carried by too many records does not link. An address on more than
 * {@code max-records-per-email} records, or an external id given by more than
 * {@code max-records-per-external-id} records of one source to one anchor id, is a shared inbox, a
 * placeholder or a bug, not a person. Such a value is withheld like a blocked one (records keep
 * it in the output, flagged {@code hub_email} or {@code hub_external_id}) and listed with its count.
 */
public final class HubCap {

  public static final String EMAIL_HUB = "email_hub";
  public static final String EXTERNAL_ID_HUB = "external_id_hub";
  /** Column of the hub lists: how many records carry the value. */
  public static final String RECORDS = "records";

  private HubCap() {}

  /** {@code (email, records)}: linkable addresses carried by more records than the cap. */
  public static Dataset<Row> emailHubs(Dataset<Row> linkRows, GuardSettings guards) {
    return SourceRecords.withId(linkRows).where(col(SourceRecords.EMAIL).isNotNull())
        .groupBy(SourceRecords.EMAIL).agg(countDistinct(SourceRecords.VERTEX).as(RECORDS))
        .where(col(RECORDS).gt(guards.maxRecordsPerEmail()));
  }

  /**
   * {@code (source, external_id, records)}: external ids that name an anchor record and are
   * carried by more records of one source than the cap.
   */
  public static Dataset<Row> externalIdHubs(Dataset<Row> linkRows, Settings settings) {
    Dataset<Row> anchorIds = linkRows.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()))
        .select(col(SourceRecords.SOURCE_ID).as("anchor_id"));
    Dataset<Row> counted = SourceRecords.withId(linkRows).where(col(SourceRecords.EXTERNAL_ID).isNotNull())
        .groupBy(SourceRecords.SOURCE, SourceRecords.EXTERNAL_ID)
        .agg(countDistinct(SourceRecords.VERTEX).as(RECORDS))
        .where(col(RECORDS).gt(settings.guards().maxRecordsPerExternalId()));
    return counted.join(anchorIds, counted.col(SourceRecords.EXTERNAL_ID).equalTo(anchorIds.col("anchor_id")),
        "left_semi");
  }

  /**
   * Link rows with hub values withheld: a hub e-mail moves to {@link BlockedValues#GUARDED_EMAIL}, a
   * hub external id becomes null; {@value #EMAIL_HUB} and {@value #EXTERNAL_ID_HUB} say which.
   *
   * <p>The hub lists are counted before this (they are kept), and almost always short or empty. An
   * empty list is not joined at all, and a list whose rows fit under the broadcast threshold is
   * broadcast: Spark estimates a kept aggregation by its input, every link row, so left to the
   * estimate the rows were sorted by e-mail for a sort-merge join with a handful of addresses (at
   * 4M records that sort was 60 % of the stage).
   *
   * @param emailHubCount rows of {@code emailHubs}; {@code externalIdHubCount} those of {@code externalIdHubs}
   */
  public static Dataset<Row> withheld(Dataset<Row> linkRows, Dataset<Row> emailHubs, long emailHubCount,
      Dataset<Row> externalIdHubs, long externalIdHubCount, long broadcastThresholdBytes) {
    Dataset<Row> withMail = linkRows;
    if (emailHubCount > 0) {
      Dataset<Row> mails = emailHubs.select(col(SourceRecords.EMAIL).as("hub_email"));
      withMail = LinkJoin.join(linkRows, mails, linkRows.col(SourceRecords.EMAIL).equalTo(mails.col("hub_email")),
          "left", strategyFor(emailHubCount, broadcastThresholdBytes), broadcastThresholdBytes);
    } else {
      withMail = linkRows.withColumn("hub_email", lit(null).cast("string"));
    }
    Dataset<Row> withBoth;
    if (externalIdHubCount > 0) {
      Dataset<Row> ids = externalIdHubs.select(col(SourceRecords.SOURCE).as("hub_source"),
          col(SourceRecords.EXTERNAL_ID).as("hub_external_id"));
      withBoth = LinkJoin.join(withMail, ids,
          withMail.col(SourceRecords.SOURCE).equalTo(ids.col("hub_source"))
              .and(withMail.col(SourceRecords.EXTERNAL_ID).equalTo(ids.col("hub_external_id"))),
          "left", strategyFor(externalIdHubCount, broadcastThresholdBytes), broadcastThresholdBytes);
    } else {
      withBoth = withMail.withColumn("hub_external_id", lit(null).cast("string"));
    }
    Column emailHub = col("hub_email").isNotNull();
    Column idHub = col("hub_external_id").isNotNull();
    return withBoth.select(
        col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(SourceRecords.VERTEX),
        when(not(emailHub), col(SourceRecords.EMAIL)).as(SourceRecords.EMAIL),
        col(SourceRecords.EMAIL_UNUSABLE),
        when(not(idHub), col(SourceRecords.EXTERNAL_ID)).as(SourceRecords.EXTERNAL_ID),
        col(BlockedValues.EMAIL_BLOCKED), col(BlockedValues.EXTERNAL_ID_BLOCKED),
        coalesce(col(BlockedValues.GUARDED_EMAIL), when(emailHub, col(SourceRecords.EMAIL))).as(BlockedValues.GUARDED_EMAIL),
        col(BlockedValues.BLOCKED_EXTERNAL_ID),
        emailHub.as(EMAIL_HUB),
        idHub.as(EXTERNAL_ID_HUB));
  }

  /** A hub list's row, as a broadcast holds it, is at most this big (a value and its counts). */
  static final long HUB_ROW_BYTES = 512;

  /** Broadcast when the counted rows fit under the threshold; otherwise as the sizes say. */
  static JoinStrategy strategyFor(long rows, long broadcastThresholdBytes) {
    return rows <= broadcastThresholdBytes / HUB_ROW_BYTES ? JoinStrategy.BROADCAST : JoinStrategy.AUTO;
  }
}
