package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rule 3: a non-anchor record whose trimmed external id equals an anchor record's id is linked to
 * that anchor record. An equi-join of the sources that have an external-id column with the anchor
 * ids, executed as each source's {@code join-strategy} says (sources that name the same strategy
 * share one join).
 */
public final class ExternalIdLinks {

  /** Link columns: the non-anchor record, the anchor record it names, and the id that matched. */
  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String VALUE = "value";
  /** Whether the link's src (dst) is an anchor record: kept on the links so no one joins for it. */
  public static final String SRC_ANCHOR = "src_anchor";
  public static final String DST_ANCHOR = "dst_anchor";

  private ExternalIdLinks() {}

  /**
   * Links {@code (src, dst, value, src_anchor = false, dst_anchor = true)} from record rows (see {@link SourceRecords}), one row per
   * distinct (record, anchor record) pair.
   */
  public static Dataset<Row> of(Dataset<Row> recordRows, Settings settings) {
    return links(matches(recordRows, settings));
  }

  /** The links among {@link #matches}: the ids that name an anchor record. */
  public static Dataset<Row> links(Dataset<Row> matches) {
    return matches.where(col(DST).isNotNull())
        .select(col(SRC), col(DST), col(VALUE), lit(false).as(SRC_ANCHOR), lit(true).as(DST_ANCHOR));
  }

  /**
   * {@code (src, source, source_id, value, dst)}: every distinct linkable external id of every record
   * of a source with an external-id column, with the anchor record it names, {@code dst} null when
   * it names none. The join is an outer join so that the ids that name no anchor record (the
   * dangling ones, {@link LinkConflicts#dangling}) come out of the same pass over the record rows
   * as the links.
   */
  public static Dataset<Row> matches(Dataset<Row> recordRows, Settings settings) {
    Dataset<Row> anchorIds = recordRows
        .where(col(SourceRecords.SOURCE).equalTo(settings.anchor()).and(col(SourceRecords.SOURCE_ID).isNotNull()))
        .select(col(SourceRecords.SOURCE_ID).as("anchor_id"), col(SourceRecords.VERTEX).as(DST));
    // The sources are joined with the anchor ids together, one join per join-strategy their settings
    // name (one in all, by default): the anchor ids are then shuffled and sorted once, not once for
    // each source.
    Map<JoinStrategy, List<String>> byStrategy = new LinkedHashMap<>();
    for (SourceSettings source : settings.externalIdSources()) {
      byStrategy.computeIfAbsent(source.joinStrategy(), k -> new ArrayList<>()).add(source.name());
    }
    Dataset<Row> matches = null;
    for (Map.Entry<JoinStrategy, List<String>> group : byStrategy.entrySet()) {
      Dataset<Row> named = recordRows
          .where(col(SourceRecords.SOURCE).isin(group.getValue().toArray())
              .and(col(SourceRecords.SOURCE_ID).isNotNull())
              .and(col(SourceRecords.EXTERNAL_ID).isNotNull()))
          .select(col(SourceRecords.VERTEX).as(SRC), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID),
              col(SourceRecords.EXTERNAL_ID).as(VALUE));
      // De-duplicated after the join, not before it: a sort-merge join leaves its rows partitioned by
      // the id, which the de-duplication groups by, so each side is shuffled once (by the id) rather
      // than twice (by all its columns, then by the id). What repeats is a record's history rows.
      Dataset<Row> joined = LinkJoin.join(named, anchorIds, named.col(VALUE).equalTo(anchorIds.col("anchor_id")),
              "left_outer", group.getKey(), settings.broadcastThresholdBytes())
          .select(col(SRC), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(VALUE), col(DST))
          .distinct();
      matches = matches == null ? joined : matches.unionByName(joined);
    }
    if (matches == null) {
      return recordRows.sparkSession().emptyDataFrame()
          .selectExpr("CAST(NULL AS BIGINT) AS src", "CAST(NULL AS STRING) AS source",
              "CAST(NULL AS STRING) AS source_id", "CAST(NULL AS STRING) AS value", "CAST(NULL AS BIGINT) AS dst")
          .limit(0);
    }
    return matches;
  }
}
