package io.identityjoin.output;

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
import org.apache.spark.sql.Column;
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
   * On {@link #records}: whether two different (source, source_id) pairs share the vertex (a 64-bit
   * hash clash). The run refuses such input rather than merge two people.
   */
  public static final String VERTEX_COLLISION = "vertex_collision";

  /**
   * One row per record vertex with its (source, source_id), its smallest usable e-mail,
   * {@value #HAS_EXTERNAL_ID}, whether any of its rows had a blocked or hub value (the flag columns
   * of {@link BlockedValues} and {@link HubCap}) and {@value #VERTEX_COLLISION}. Grouped by the
   * vertex alone, so the table comes out partitioned by it and the joins of {@link #of}, all on the
   * vertex, move the smaller sides only.
   *
   * @param linkRows record rows after the guards (with {@link BlockedValues#GUARDED_EMAIL})
   */
  public static Dataset<Row> records(Dataset<Row> linkRows) {
    return SourceRecords.withId(linkRows)
        .groupBy(SourceRecords.VERTEX)
        .agg(min(SourceRecords.SOURCE).as(SourceRecords.SOURCE),
            min(SourceRecords.SOURCE_ID).as(SourceRecords.SOURCE_ID),
            coalesce(min(SourceRecords.EMAIL), min(BlockedValues.GUARDED_EMAIL)).as(SourceRecords.EMAIL),
            max(col(SourceRecords.EXTERNAL_ID).isNotNull()).as(HAS_EXTERNAL_ID),
            // Whether any of the record's rows had a value a guard withheld (for the flags and counts).
            max(col(BlockedValues.EMAIL_BLOCKED)).as(BlockedValues.EMAIL_BLOCKED),
            max(col(BlockedValues.EXTERNAL_ID_BLOCKED)).as(BlockedValues.EXTERNAL_ID_BLOCKED),
            max(col(HubCap.EMAIL_HUB)).as(HubCap.EMAIL_HUB),
            max(col(HubCap.EXTERNAL_ID_HUB)).as(HubCap.EXTERNAL_ID_HUB),
            max(SourceRecords.SOURCE).notEqual(min(SourceRecords.SOURCE))
                .or(max(SourceRecords.SOURCE_ID).notEqual(min(SourceRecords.SOURCE_ID))).as(VERTEX_COLLISION))
        .select(SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.VERTEX, SourceRecords.EMAIL,
            HAS_EXTERNAL_ID, BlockedValues.EMAIL_BLOCKED, BlockedValues.EXTERNAL_ID_BLOCKED, HubCap.EMAIL_HUB,
            HubCap.EXTERNAL_ID_HUB, VERTEX_COLLISION);
  }

  /**
   * {@code person_id, source, source_id} of every record: the person each record is in, with the
   * provisional id {@link #of} gives it, from the records and components alone (one join). What the
   * id assignment across runs needs, without the evidence and flags.
   *
   * @param records output of {@link #records}
   * @param components {@code (vertex, component)} of every linked record
   */
  public static Dataset<Row> members(Dataset<Row> records, Dataset<Row> components) {
    Dataset<Row> comp = components.select(col("vertex").as("comp_vertex"), col("component"));
    return records.join(comp, records.col(SourceRecords.VERTEX).equalTo(comp.col("comp_vertex")), "left")
        .select(personId(), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID));
  }

  /** A record's provisional person id: rule 7 on its component, or on its own vertex when unlinked. */
  private static Column personId() {
    return PersonId.of(coalesce(col("component"), col(SourceRecords.VERTEX))).as(PERSON_ID);
  }

  /**
   * identity_map's rows as joins of the tables they come from. A run assembles the same rows person by
   * person instead ({@link PersonAssembly}: one shuffle, and whole persons per partition for
   * user_identities); {@code PersonAssemblyTest} keeps this as the definition both must agree on.
   *
   * @param records output of {@link #records}
   * @param components {@code (vertex, component)} of every linked record
   * @param externalIdLinks output of {@link ExternalIdLinks#of}
   * @param evidence output of {@link LinkEvidence#of}
   * @param findingFlags output of {@link GuardFlags#ofFindings}
   */
  public static Dataset<Row> of(Dataset<Row> records, Dataset<Row> components, Dataset<Row> externalIdLinks,
      Dataset<Row> evidence, Dataset<Row> findingFlags, String anchor) {
    Dataset<Row> linkedByExternalId = externalIdLinks.select(col(ExternalIdLinks.SRC).as("ext_vertex")).distinct();
    Dataset<Row> comp = components.select(col("vertex").as("comp_vertex"), col("component"));
    // linked_to is named on the evidence (the linked records only), the one join not on the record's
    // own vertex, before the evidence meets the records.
    Dataset<Row> target = records.select(col(SourceRecords.VERTEX).as("target_vertex"),
        concat(col(SourceRecords.SOURCE), lit("/"), col(SourceRecords.SOURCE_ID)).as(LINKED_TO));
    Dataset<Row> why = evidence
        .join(target, evidence.col(LinkEvidence.LINKED_VERTEX).equalTo(target.col("target_vertex")), "left")
        .select(col(SourceRecords.VERTEX).as("why_vertex"), col(MATCHED_BY), col(MATCHED_ON), col(LINKED_TO));
    Dataset<Row> flagged = findingFlags.select(col(SourceRecords.VERTEX).as("flag_vertex"),
        col(GuardFlags.FLAGS).as("finding_flags"));
    Dataset<Row> joined = records
        .join(comp, records.col(SourceRecords.VERTEX).equalTo(comp.col("comp_vertex")), "left")
        .join(linkedByExternalId, col(SourceRecords.VERTEX).equalTo(col("ext_vertex")), "left")
        .join(why, col(SourceRecords.VERTEX).equalTo(col("why_vertex")), "left")
        .join(flagged, col(SourceRecords.VERTEX).equalTo(col("flag_vertex")), "left");
    return joined.select(
        personId(),
        col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID),
        col(SourceRecords.EMAIL),
        MatchRule.of(anchor, col("ext_vertex").isNotNull(), col("comp_vertex").isNotNull()).as(MATCH_RULE),
        col(MATCHED_BY),
        col(MATCHED_ON),
        col(LINKED_TO),
        GuardFlags.all(col("finding_flags")).as(GuardFlags.FLAGS));
  }

}
