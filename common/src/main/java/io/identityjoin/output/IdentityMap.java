package io.identityjoin.output;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.identityjoin.core.BlockedValues;
import io.identityjoin.core.HubCap;
import io.identityjoin.core.ExternalIdLinks;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.LinkEvidence;
import io.identityjoin.core.MatchRule;
import io.identityjoin.core.PersonId;
import io.identityjoin.core.SourceRecords;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code identity_map} table: one row per record — {@code person_id, source, source_id,
 * email, match_rule, matched_by, matched_on, linked_to, flags}. No record is dropped: records outside the link
 * graph are persons of their own. A record with several usable e-mails (history rows) shows the
 * smallest one that could link, else the smallest a guard withheld. {@code matched_by},
 * {@code matched_on} and {@code linked_to} come from {@link LinkEvidence}; {@code linked_to} names a record as
 * {@code source/source_id}. {@code flags} (never null) from {@link GuardFlags}.
 */
public final class IdentityMap {

  public static final String PERSON_ID = "person_id";
  public static final String MATCH_RULE = "match_rule";
  public static final String MATCHED_BY = LinkEvidence.MATCHED_BY;
  public static final String MATCHED_ON = LinkEvidence.MATCHED_ON;
  public static final String LINKED_TO = "linked_to";

  private IdentityMap() {}

  /** On {@link #records}: whether any row of the record has a linkable external id. */
  public static final String HAS_EXTERNAL_ID = "has_external_id";

  /**
   * One row per (source, source_id) with its vertex, its smallest usable e-mail,
   * {@value #HAS_EXTERNAL_ID}, and whether any of its rows had a blocked or hub value (the flag
   * columns of {@link BlockedValues} and {@link HubCap}).
   *
   * @param linkRows record rows after the guards (with {@link BlockedValues#GUARDED_EMAIL})
   */
  public static Dataset<Row> records(Dataset<Row> linkRows) {
    return SourceRecords.withId(linkRows)
        .groupBy(SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.VERTEX)
        .agg(coalesce(min(SourceRecords.EMAIL), min(BlockedValues.GUARDED_EMAIL)).as(SourceRecords.EMAIL),
            max(col(SourceRecords.EXTERNAL_ID).isNotNull()).as(HAS_EXTERNAL_ID),
            // Whether any of the record's rows had a value a guard withheld (for the flags and counts).
            max(col(BlockedValues.EMAIL_BLOCKED)).as(BlockedValues.EMAIL_BLOCKED),
            max(col(BlockedValues.EXTERNAL_ID_BLOCKED)).as(BlockedValues.EXTERNAL_ID_BLOCKED),
            max(col(HubCap.EMAIL_HUB)).as(HubCap.EMAIL_HUB),
            max(col(HubCap.EXTERNAL_ID_HUB)).as(HubCap.EXTERNAL_ID_HUB));
  }

  /**
   * @param records output of {@link #records}
   * @param components {@code (vertex, component)} of every linked record
   * @param externalIdLinks output of {@link ExternalIdLinks#of}
   * @param evidence output of {@link LinkEvidence#of}
   * @param flags output of {@link GuardFlags#of}
   */
  public static Dataset<Row> of(Dataset<Row> records, Dataset<Row> components, Dataset<Row> externalIdLinks,
      Dataset<Row> evidence, Dataset<Row> flags, String anchor) {
    Dataset<Row> linkedByExternalId = externalIdLinks.select(col(ExternalIdLinks.SRC).as("ext_vertex")).distinct();
    Dataset<Row> comp = components.select(col("vertex").as("comp_vertex"), col("component"));
    Dataset<Row> why = evidence.select(col(SourceRecords.VERTEX).as("why_vertex"), col(LinkEvidence.LINKED_VERTEX),
        col(MATCHED_BY), col(MATCHED_ON));
    Dataset<Row> target = records.select(col(SourceRecords.VERTEX).as("target_vertex"),
        concat(col(SourceRecords.SOURCE), lit("/"), col(SourceRecords.SOURCE_ID)).as(LINKED_TO));
    Dataset<Row> flagged = flags.select(col(SourceRecords.VERTEX).as("flag_vertex"), col(GuardFlags.FLAGS));
    Dataset<Row> joined = records
        .join(comp, records.col(SourceRecords.VERTEX).equalTo(comp.col("comp_vertex")), "left")
        .join(linkedByExternalId, col(SourceRecords.VERTEX).equalTo(col("ext_vertex")), "left")
        .join(why, col(SourceRecords.VERTEX).equalTo(col("why_vertex")), "left")
        .join(flagged, col(SourceRecords.VERTEX).equalTo(col("flag_vertex")), "left")
        // Last: the only join on another key, so the joins above keep one partitioning by vertex.
        .join(target, col(LinkEvidence.LINKED_VERTEX).equalTo(col("target_vertex")), "left");
    return joined.select(
        PersonId.of(coalesce(col("component"), col(SourceRecords.VERTEX))).as(PERSON_ID),
        col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID),
        col(SourceRecords.EMAIL),
        MatchRule.of(anchor, col("ext_vertex").isNotNull(), col("comp_vertex").isNotNull()).as(MATCH_RULE),
        col(MATCHED_BY),
        col(MATCHED_ON),
        col(LINKED_TO),
        coalesce(col(GuardFlags.FLAGS), array().cast("array<string>")).as(GuardFlags.FLAGS));
  }

}
