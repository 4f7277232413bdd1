package io.identityjoin.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.core.SourceRecords;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The records whose person changed between two identity maps, as a dry run reports them:
 * {@code source, source_id, old_person_id, new_person_id, change} with change {@code moved} (now
 * under another id), {@code added} (a new record) or {@code removed} (the record is gone).
 * Records under the same id in both maps are left out.
 */
public final class RecordMoves {

  public static final String CHANGE = "change";

  private RecordMoves() {}

  public static Dataset<Row> of(Dataset<Row> previousMap, Dataset<Row> currentMap) {
    Dataset<Row> prev = previousMap.select(col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID),
        col(IdentityMap.PERSON_ID).as(PersonMerges.OLD_PERSON_ID));
    Dataset<Row> cur = currentMap.select(col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID),
        col(IdentityMap.PERSON_ID).as(PersonMerges.NEW_PERSON_ID));
    return prev.join(cur, new String[] {SourceRecords.SOURCE, SourceRecords.SOURCE_ID}, "full_outer")
        .where(col(PersonMerges.OLD_PERSON_ID).isNull().or(col(PersonMerges.NEW_PERSON_ID).isNull())
            .or(col(PersonMerges.OLD_PERSON_ID).notEqual(col(PersonMerges.NEW_PERSON_ID))))
        .withColumn(CHANGE, when(col(PersonMerges.OLD_PERSON_ID).isNull(), lit("added"))
            .when(col(PersonMerges.NEW_PERSON_ID).isNull(), lit("removed")).otherwise(lit("moved")));
  }
}
