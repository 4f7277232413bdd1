package io.identityjoin.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import io.identityjoin.core.BlockedValues;
import io.identityjoin.core.ExternalIdLinks;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.HubCap;
import io.identityjoin.core.LinkConflicts;
import io.identityjoin.core.SourceRecords;
import io.identityjoin.output.IdentityMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the guards did in a run, for the report and the summary: counts, and the values and records
 * behind them (at most {@value #LIST_LIMIT} of each list, largest first). Records are named
 * {@code source/source_id}. These lists hold e-mail and id values: they go to report.html, never to
 * run_summary.json (which holds {@link Counts} only).
 */
public record GuardReport(
    Counts counts,
    List<ValueCount> blockedEmails,
    List<ValueCount> blockedExternalIds,
    List<ValueCount> hubEmails,
    List<ValueCount> hubExternalIds,
    List<DroppedLink> droppedLinks,
    List<Dangling> dangling,
    List<Conflict> conflicts) {

  public static final int LIST_LIMIT = 100;

  /** The same report with every e-mail value passed through {@code shown} (e.g. the output's hashing). */
  public GuardReport withEmails(UnaryOperator<String> shown) {
    UnaryOperator<List<ValueCount>> values = l -> l.stream()
        .map(v -> new ValueCount(v.source(), shown.apply(v.value()), v.records())).toList();
    return new GuardReport(counts, values.apply(blockedEmails), blockedExternalIds, values.apply(hubEmails),
        hubExternalIds,
        droppedLinks.stream().map(d -> new DroppedLink(d.from(), d.to(), shown.apply(d.email()))).toList(),
        dangling,
        conflicts.stream().map(c -> new Conflict(c.record(), c.externalId(), shown.apply(c.email()),
            c.emailAnchorId())).toList());
  }

  /** A value and how many records carry it; {@code source} is null for e-mails (all sources). */
  public record ValueCount(String source, String value, long records) {}

  /** An e-mail link dropped by anchor protection. */
  public record DroppedLink(String from, String to, String email) {}

  /** A record whose external id names no anchor record. */
  public record Dangling(String record, String externalId) {}

  /** A record linked by external id to one anchor record while its e-mail is another one's. */
  public record Conflict(String record, String externalId, String email, String emailAnchorId) {}

  /** Records, values and links the guards touched. */
  public record Counts(long blockedEmailRecords, long blockedExternalIdRecords, long hubEmails, long hubEmailRecords,
      long hubExternalIds, long hubExternalIdRecords, long droppedEmailLinks, long danglingExternalIdRecords,
      long emailConflictRecords) {

    public static Counts none() {
      return new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("blocked_email_records", blockedEmailRecords);
      m.put("blocked_external_id_records", blockedExternalIdRecords);
      m.put("hub_emails", hubEmails);
      m.put("hub_email_records", hubEmailRecords);
      m.put("hub_external_ids", hubExternalIds);
      m.put("hub_external_id_records", hubExternalIdRecords);
      m.put("dropped_email_links", droppedEmailLinks);
      m.put("dangling_external_id_records", danglingExternalIdRecords);
      m.put("email_conflict_records", emailConflictRecords);
      return m;
    }
  }

  /**
   * @param linkRows record rows after the guards (a dropped link's records are named from them,
   *     {@link IdentityMap#records})
   * @param rowCount the row count of a dataset (known ones are not counted again); lists of
   *     datasets without rows are not collected
   * @param runCounts the run's counts: flagged records are counted there, from identity_map's flags
   */
  static GuardReport collect(Dataset<Row> linkRows, Dataset<Row> emailHubs,
      Dataset<Row> externalIdHubs, Dataset<Row> droppedLinks, Dataset<Row> dangling, Dataset<Row> conflicts,
      ToLongFunction<Dataset<Row>> rowCount, RunCounts runCounts) {
    Dataset<Row> rows = SourceRecords.withId(linkRows);
    long hubEmails = rowCount.applyAsLong(emailHubs);
    long hubIds = rowCount.applyAsLong(externalIdHubs);
    long droppedCount = rowCount.applyAsLong(droppedLinks);
    boolean anyDangling = rowCount.applyAsLong(dangling) > 0;
    boolean anyConflict = rowCount.applyAsLong(conflicts) > 0;
    Counts counts = new Counts(runCounts.flagged(GuardFlags.BLOCKED_EMAIL),
        runCounts.flagged(GuardFlags.BLOCKED_EXTERNAL_ID), hubEmails, hubEmails == 0 ? 0 : sumRecords(emailHubs),
        hubIds, hubIds == 0 ? 0 : sumRecords(externalIdHubs), droppedCount,
        anyDangling ? runCounts.flagged(GuardFlags.DANGLING_EXTERNAL_ID) : 0,
        anyConflict ? runCounts.flagged(GuardFlags.EMAIL_CONFLICT) : 0);

    Column none = lit(null).cast("string").as(SourceRecords.SOURCE);
    List<ValueCount> blockedEmails = counts.blockedEmailRecords() == 0 ? List.of() : valueCounts(
        rows.where(col(BlockedValues.EMAIL_BLOCKED)).groupBy(col(BlockedValues.GUARDED_EMAIL).as("value"))
            .agg(countDistinct(SourceRecords.VERTEX).as(HubCap.RECORDS))
            .select(none, col("value"), col(HubCap.RECORDS)));
    List<ValueCount> blockedIds = counts.blockedExternalIdRecords() == 0 ? List.of() : valueCounts(
        rows.where(col(BlockedValues.EXTERNAL_ID_BLOCKED))
            .groupBy(col(SourceRecords.SOURCE), col(BlockedValues.BLOCKED_EXTERNAL_ID).as("value"))
            .agg(countDistinct(SourceRecords.VERTEX).as(HubCap.RECORDS)));
    List<ValueCount> emailHubList = hubEmails == 0 ? List.of() : valueCounts(
        emailHubs.select(none, col(SourceRecords.EMAIL).as("value"), col(HubCap.RECORDS)));
    List<ValueCount> idHubList = hubIds == 0 ? List.of() : valueCounts(
        externalIdHubs.select(col(SourceRecords.SOURCE), col(SourceRecords.EXTERNAL_ID).as("value"),
            col(HubCap.RECORDS)));

    Column name = concat(col(SourceRecords.SOURCE), lit("/"), col(SourceRecords.SOURCE_ID));
    List<DroppedLink> dropped = List.of();
    if (droppedCount > 0) {
      Dataset<Row> records = IdentityMap.records(linkRows);
      Dataset<Row> from = records.select(col(SourceRecords.VERTEX).as("from_vertex"), name.as("from_record"));
      Dataset<Row> to = records.select(col(SourceRecords.VERTEX).as("to_vertex"), name.as("to_record"));
      dropped = droppedLinks
          .join(from, col(ExternalIdLinks.SRC).equalTo(col("from_vertex")))
          .join(to, col(ExternalIdLinks.DST).equalTo(col("to_vertex")))
          .orderBy(col(ExternalIdLinks.VALUE), col("from_record"), col("to_record"))
          .limit(LIST_LIMIT).collectAsList().stream()
          .map(r -> new DroppedLink(r.getAs("from_record"), r.getAs("to_record"), r.getAs(ExternalIdLinks.VALUE)))
          .toList();
    }
    List<Dangling> danglingList = !anyDangling ? List.of()
        : dangling.select(name.as("record"), col(SourceRecords.EXTERNAL_ID)).orderBy("record", SourceRecords.EXTERNAL_ID)
            .limit(LIST_LIMIT).collectAsList().stream()
            .map(r -> new Dangling(r.getString(0), r.getString(1))).toList();
    List<Conflict> conflictList = !anyConflict ? List.of()
        : conflicts.select(name.as("record"), col(SourceRecords.EXTERNAL_ID), col(SourceRecords.EMAIL),
                col(LinkConflicts.EMAIL_ANCHOR_ID)).orderBy("record", LinkConflicts.EMAIL_ANCHOR_ID)
            .limit(LIST_LIMIT).collectAsList().stream()
            .map(r -> new Conflict(r.getString(0), r.getString(1), r.getString(2), r.getString(3))).toList();
    return new GuardReport(counts, blockedEmails, blockedIds, emailHubList, idHubList, dropped, danglingList,
        conflictList);
  }

  private static long sumRecords(Dataset<Row> hubs) {
    Row r = hubs.agg(org.apache.spark.sql.functions.sum(HubCap.RECORDS)).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  private static List<ValueCount> valueCounts(Dataset<Row> sourceValueRecords) {
    return sourceValueRecords.orderBy(col(HubCap.RECORDS).desc(), col("value"), col(SourceRecords.SOURCE))
        .limit(LIST_LIMIT).collectAsList().stream()
        .map(r -> new ValueCount(r.getString(0), r.getString(1), r.getLong(2))).toList();
  }
}
