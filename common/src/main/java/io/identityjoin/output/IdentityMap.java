package io.identityjoin.output;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import io.identityjoin.core.ExternalIdLinks;
import io.identityjoin.core.MatchRule;
import io.identityjoin.core.PersonId;
import io.identityjoin.core.SourceRecords;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code identity_map} table: one row per record — {@code person_id, source, source_id,
 * email, match_rule}. No record is dropped: records outside the link graph are persons of their
 * own. A record with several usable e-mails (history rows) shows the smallest one.
 */
public final class IdentityMap {

  public static final String PERSON_ID = "person_id";
  public static final String MATCH_RULE = "match_rule";

  private IdentityMap() {}

  /** One row per (source, source_id) with its vertex and its smallest usable e-mail. */
  public static Dataset<Row> records(Dataset<Row> recordRows) {
    return SourceRecords.withId(recordRows)
        .groupBy(SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.VERTEX)
        .agg(min(SourceRecords.EMAIL).as(SourceRecords.EMAIL));
  }

  /**
   * @param records output of {@link #records}
   * @param components {@code (vertex, component)} of every linked record
   * @param externalIdLinks output of {@link ExternalIdLinks#of}
   */
  public static Dataset<Row> of(Dataset<Row> records, Dataset<Row> components, Dataset<Row> externalIdLinks,
      String anchor) {
    Dataset<Row> linkedByExternalId = externalIdLinks.select(col(ExternalIdLinks.SRC).as("ext_vertex")).distinct();
    Dataset<Row> comp = components.select(col("vertex").as("comp_vertex"), col("component"));
    Dataset<Row> joined = records
        .join(comp, records.col(SourceRecords.VERTEX).equalTo(comp.col("comp_vertex")), "left")
        .join(linkedByExternalId, col(SourceRecords.VERTEX).equalTo(col("ext_vertex")), "left");
    return joined.select(
        PersonId.of(coalesce(col("component"), col(SourceRecords.VERTEX))).as(PERSON_ID),
        col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID),
        col(SourceRecords.EMAIL),
        MatchRule.of(anchor, col("ext_vertex").isNotNull(), col("comp_vertex").isNotNull()).as(MATCH_RULE));
  }

}
