package io.identityjoin.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code person_merges} ledger: what a run did to the ids of the run before, so that tables
 * keyed by {@code person_id} downstream can follow. One row per (old id, new id) pair whose records
 * moved, with {@code old_person_id, new_person_id, reason, run_id, at}:
 * <ul>
 *   <li>{@code merge}: the old id is no longer used; its heir (see {@link PersonIdAssignment}) is now
 *       {@code new_person_id} — remap old to new;</li>
 *   <li>{@code split}: some of the old person's records now belong to {@code new_person_id}, another
 *       person (the old id lives on with its heir, unless it also has a merge row);</li>
 *   <li>{@code deleted}: the old id is no longer used because none of its records is left;
 *       {@code new_person_id} is null.</li>
 * </ul>
 * So every id that stopped being used has exactly one {@code merge} or {@code deleted} row. A run
 * that changes no person adds no row. Computed from the two identity maps alone, so a lost append
 * can be recomputed from two versions of the table.
 */
public final class PersonMerges {

  public static final String OLD_PERSON_ID = "old_person_id";
  public static final String NEW_PERSON_ID = "new_person_id";
  public static final String REASON = "reason";
  public static final String RUN_ID = "run_id";
  public static final String AT = "at";

  public static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(OLD_PERSON_ID, DataTypes.StringType, true),
      DataTypes.createStructField(NEW_PERSON_ID, DataTypes.StringType, true),
      DataTypes.createStructField(REASON, DataTypes.StringType, true),
      DataTypes.createStructField(RUN_ID, DataTypes.StringType, true),
      DataTypes.createStructField(AT, DataTypes.TimestampType, true)));

  private PersonMerges() {}

  /**
   * @param previousMap the previous identity_map ({@code person_id, source, source_id})
   * @param currentMap this run's identity_map with its stable ids
   * @param at when the change is published (e.g. {@code current_timestamp()})
   */
  public static Dataset<Row> of(Dataset<Row> previousMap, Dataset<Row> currentMap, String runId, Column at) {
    return fromOverlaps(previousMap, PersonIdAssignment.overlaps(previousMap, currentMap), runId, at);
  }

  /**
   * The same from the two maps' {@link PersonIdAssignment#overlaps}, which it reads three times: a
   * caller that has them materialized passes them here.
   */
  public static Dataset<Row> fromOverlaps(Dataset<Row> previousMap, Dataset<Row> overlaps, String runId, Column at) {
    String oldId = PersonIdAssignment.OLD_ID;
    String newId = PersonIdAssignment.NEW_ID;
    Dataset<Row> survivors = overlaps.where(col(oldId).equalTo(col(newId))).select(col(oldId).as("survivor"));
    Dataset<Row> moved = overlaps.where(col(oldId).notEqual(col(newId)))
        .join(survivors, col(oldId).equalTo(col("survivor")), "left")
        .select(col(oldId).as(OLD_PERSON_ID), col(newId).as(NEW_PERSON_ID),
            when(col(PersonIdAssignment.HEIR).and(col("survivor").isNull()), lit("merge")).otherwise(lit("split"))
                .as(REASON));
    Dataset<Row> deleted = previousMap.select(col(IdentityMap.PERSON_ID).as(OLD_PERSON_ID)).distinct()
        .join(overlaps.select(col(oldId)), col(OLD_PERSON_ID).equalTo(col(oldId)), "left_anti")
        .select(col(OLD_PERSON_ID), lit(null).cast("string").as(NEW_PERSON_ID), lit("deleted").as(REASON));
    return moved.unionByName(deleted).select(col(OLD_PERSON_ID), col(NEW_PERSON_ID), col(REASON),
        lit(runId).as(RUN_ID), at.cast("timestamp").as(AT));
  }

  /** The ledger of a run with nothing before it. */
  public static Dataset<Row> empty(SparkSession spark) {
    return spark.createDataFrame(List.of(), SCHEMA);
  }
}
