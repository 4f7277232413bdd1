package io.identityjoin.core;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.GuardSettings;
import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.Settings;
import java.util.List;
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

  /**
   * {@code (email, records)}: linkable addresses carried by more records than the cap.
   *
   * @param rows how many rows {@code linkRows} has at most (bounds the candidates, see {@link #overCap})
   */
  public static Dataset<Row> emailHubs(Dataset<Row> linkRows, GuardSettings guards, long rows,
      long broadcastThresholdBytes) {
    return overCap(SourceRecords.withId(linkRows).where(col(SourceRecords.EMAIL).isNotNull()),
        List.of(SourceRecords.EMAIL), guards.maxRecordsPerEmail(), rows, broadcastThresholdBytes);
  }

  /**
   * {@code (source, external_id, records)}: external ids that name an anchor record and are
   * carried by more records of one source than the cap.
   */
  public static Dataset<Row> externalIdHubs(Dataset<Row> linkRows, Settings settings, long rows) {
    Dataset<Row> anchorIds = linkRows.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()))
        .select(col(SourceRecords.SOURCE_ID).as("anchor_id"));
    Dataset<Row> counted = overCap(SourceRecords.withId(linkRows).where(col(SourceRecords.EXTERNAL_ID).isNotNull()),
        List.of(SourceRecords.SOURCE, SourceRecords.EXTERNAL_ID), settings.guards().maxRecordsPerExternalId(), rows,
        settings.broadcastThresholdBytes());
    return counted.join(anchorIds, counted.col(SourceRecords.EXTERNAL_ID).equalTo(anchorIds.col("anchor_id")),
        "left_semi");
  }

  /**
   * {@code (keys..., records)} for the key values carried by more than {@code cap} distinct records.
   * The rows are counted per 64-bit hash of the keys first, so that the shuffle carries a long per
   * row instead of the e-mail or id text (which Spark copies into every aggregation key it builds),
   * and rows rather than distinct records, which takes one shuffle where a distinct count takes
   * two. A value has at least as many rows as records, and two values sharing a hash can only raise
   * the count, so every value over the cap has its hash among the candidates. The rows of the
   * candidate hashes are then counted again by value and by distinct record, exactly, so no value
   * is a hub because of another one's hash or of one record's history rows. There are at most
   * {@code rows / cap} candidates: they are broadcast when that many hashes fit under the
   * threshold (below about 200 million rows with the defaults), and sort-merged otherwise.
   */
  static Dataset<Row> overCap(Dataset<Row> rows, List<String> keys, long cap, long maxRows,
      long broadcastThresholdBytes) {
    Column[] keyColumns = keys.stream().map(k -> col(k)).toArray(Column[]::new);
    Column hash = xxhash64(keyColumns);
    Dataset<Row> candidates = rows.groupBy(hash.as(KEY_HASH)).agg(count(lit(1)).as(RECORDS))
        .where(col(RECORDS).gt(cap))
        .select(col(KEY_HASH));
    boolean fits = LinkJoin.fitsBroadcast(maxRows / Math.max(1, cap), HASH_BYTES, broadcastThresholdBytes);
    return rows.join(fits ? broadcast(candidates) : candidates, hash.equalTo(candidates.col(KEY_HASH)), "left_semi")
        .groupBy(keyColumns)
        .agg(countDistinct(SourceRecords.VERTEX).as(RECORDS))
        .where(col(RECORDS).gt(cap));
  }

  /** A broadcast candidate hash, as Spark's hash relation of longs holds it, is at most this big. */
  static final long HASH_BYTES = 32;

  private static final String KEY_HASH = "key_hash";

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
    Dataset<Row> withMail = markHubs(linkRows, emailHubs, emailHubCount, List.of(SourceRecords.EMAIL),
        broadcastThresholdBytes);
    Dataset<Row> withBoth = markHubs(withMail, externalIdHubs, externalIdHubCount,
        List.of(SourceRecords.SOURCE, SourceRecords.EXTERNAL_ID), broadcastThresholdBytes);
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

  /**
   * {@code rows} left-joined on {@code keys} with the hub list's {@code hub_<key>} columns: the last of
   * them is null for a row whose value is no hub. An empty list is not joined (the columns are null).
   */
  private static Dataset<Row> markHubs(Dataset<Row> rows, Dataset<Row> hubs, long hubCount, List<String> keys,
      long broadcastThresholdBytes) {
    if (hubCount == 0) {
      return rows.withColumn("hub_" + keys.get(keys.size() - 1), lit(null).cast("string"));
    }
    Dataset<Row> list = hubs.select(keys.stream().map(k -> col(k).as("hub_" + k)).toArray(Column[]::new));
    Column on = keys.stream().map(k -> rows.col(k).equalTo(list.col("hub_" + k))).reduce(Column::and).orElseThrow();
    return LinkJoin.join(rows, list, on, "left", strategyFor(hubCount, broadcastThresholdBytes),
        broadcastThresholdBytes);
  }

  /** A hub list's row, as a broadcast holds it, is at most this big (a value and its counts). */
  static final long HUB_ROW_BYTES = 512;

  /** Broadcast when the counted rows fit under the threshold; otherwise as the sizes say. */
  static JoinStrategy strategyFor(long rows, long broadcastThresholdBytes) {
    return LinkJoin.fitsBroadcast(rows, HUB_ROW_BYTES, broadcastThresholdBytes)
        ? JoinStrategy.BROADCAST : JoinStrategy.AUTO;
  }
}
