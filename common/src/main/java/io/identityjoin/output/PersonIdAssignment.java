package io.identityjoin.output;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.core.PersonId;
import io.identityjoin.core.SourceRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Rule 7 across runs: a person keeps its {@code person_id} from one run to the next. Given this
 * run's identity map with provisional ids ({@link PersonId}: {@code p} + the person's smallest
 * record vertex) and what the previous run published:
 * <ol>
 *   <li>every previous person has an <em>heir</em>: the new person holding most of its records; on
 *       a tie, the one holding its smallest record (smallest {@code xxhash64(source, source_id)}).
 *       A previous person whose records went to several new persons split: only the heir may keep
 *       its id;</li>
 *   <li>a new person that is the heir of one or more previous persons keeps the id of the oldest of
 *       them: smallest {@code first_seen_run} (unknown counts as oldest), then the one sharing more
 *       records with it, then the smaller id. The others merged into it;</li>
 *   <li>any other new person (brand new, or split off) gets its provisional id, unless that id was
 *       ever issued before (it is in the previous identity map or the {@code person_merges}
 *       ledger), in which case {@code p} + {@code xxhash64(provisional id, k)} for the smallest
 *       {@code k = 1, 2} that was not. So an id never comes back meaning someone else.</li>
 * </ol>
 * {@code first_seen_run} is the run that issued the id; {@code last_changed_run} the last run in
 * which the person's set of records changed (a record joined or left, a person merged in or split
 * off). Both depend only on the input and the previous tables, never on partitioning.
 */
public final class PersonIdAssignment {

  public static final String FIRST_SEEN_RUN = "first_seen_run";
  public static final String LAST_CHANGED_RUN = "last_changed_run";
  /** Columns whose values name runs: two runs on the same input differ only there. */
  public static final List<String> RUN_COLUMNS = List.of(FIRST_SEEN_RUN, LAST_CHANGED_RUN);

  /** Columns of {@link #overlaps}. */
  public static final String OLD_ID = "old_id";
  public static final String NEW_ID = "new_id";
  public static final String SHARED = "shared_records";
  public static final String HEIR = "is_heir";
  /** Column of {@link #ids}: the id the person keeps or is given. */
  public static final String STABLE_ID = "stable_id";

  /**
   * What earlier runs published.
   *
   * @param identityMap the previous identity_map: {@code person_id, source, source_id,
   *     first_seen_run, last_changed_run} (the last two may be null: tables written before they existed)
   * @param issuedIds column {@code person_id}: every id ever issued (previous ids and the ledger's)
   */
  public record Previous(Dataset<Row> identityMap, Dataset<Row> issuedIds) {

    /** Issued ids are the identity map's and every id the ledger names. */
    public static Previous of(Dataset<Row> identityMap, Optional<Dataset<Row>> personMerges) {
      Dataset<Row> issued = identityMap.select(IdentityMap.PERSON_ID);
      if (personMerges.isPresent()) {
        Dataset<Row> l = personMerges.get();
        issued = issued.union(l.select(col(PersonMerges.OLD_PERSON_ID).as(IdentityMap.PERSON_ID)))
            .union(l.where(col(PersonMerges.NEW_PERSON_ID).isNotNull())
                .select(col(PersonMerges.NEW_PERSON_ID).as(IdentityMap.PERSON_ID)));
      }
      return new Previous(identityMap, issued.distinct());
    }
  }

  private PersonIdAssignment() {}

  /**
   * @param provisional identity map as {@link IdentityMap#of} builds it
   * @return the same rows with stable {@code person_id}s and {@code first_seen_run, last_changed_run}
   *     appended
   */
  public static Dataset<Row> assign(Dataset<Row> provisional, Optional<Previous> previous, String runId) {
    if (previous.isEmpty()) {
      return provisional.withColumn(FIRST_SEEN_RUN, lit(runId)).withColumn(LAST_CHANGED_RUN, lit(runId));
    }
    return apply(provisional, ids(provisional, previous.get(), runId));
  }

  /**
   * The assignment itself, one row per new person: {@code new_id} (its provisional id),
   * {@code stable_id} and its {@code first_seen_run, last_changed_run}. Needs only who is in which
   * person: {@code members} has {@code person_id} (provisional), {@code source, source_id} per
   * record, e.g. {@link IdentityMap#members}.
   */
  public static Dataset<Row> ids(Dataset<Row> members, Previous previous, String runId) {
    return idsFromMatches(matches(previous.identityMap(), members), previous, runId);
  }

  /**
   * The same from the {@link #matches} of the previous map with this run's members (provisional
   * ids): a caller that also writes the ledger computes them once, keeps them, and passes them here
   * and to {@link #stableOverlaps}. Reads no record: a new person's size is the sum of its matches.
   */
  public static Dataset<Row> idsFromMatches(Dataset<Row> matches, Previous previous, String runId) {
    Dataset<Row> oldPersons = previous.identityMap().groupBy(col(IdentityMap.PERSON_ID).as(OLD_ID)).agg(
        count(lit(1)).as("old_records"),
        max(FIRST_SEEN_RUN).as("old_first_seen"),
        max(LAST_CHANGED_RUN).as("old_last_changed"));
    Dataset<Row> kept = matches.where(col(HEIR)).join(oldPersons, OLD_ID)
        .withColumn("rank", row_number().over(Window.partitionBy(NEW_ID)
            .orderBy(col("old_first_seen").asc_nulls_first(), col(SHARED).desc(), col(OLD_ID).asc())))
        .where(col("rank").equalTo(1))
        .drop("rank", HEIR);
    Dataset<Row> persons = matches.groupBy(NEW_ID).agg(sum(SHARED).as("new_records"))
        .join(kept, new String[] {NEW_ID}, "left");
    Dataset<Row> fresh = freshIds(persons.where(col(OLD_ID).isNull()).select(NEW_ID), previous.issuedIds());
    Column unchanged = col("new_records").equalTo(col(SHARED)).and(col("old_records").equalTo(col(SHARED)));
    return persons.join(fresh, new String[] {NEW_ID}, "left").select(
        col(NEW_ID),
        coalesce(col(OLD_ID), col("fresh_id")).as(STABLE_ID),
        when(col(OLD_ID).isNull(), lit(runId)).otherwise(col("old_first_seen")).as(FIRST_SEEN_RUN),
        when(col(OLD_ID).isNotNull().and(unchanged), col("old_last_changed")).otherwise(lit(runId))
            .as(LAST_CHANGED_RUN));
  }

  /**
   * The identity map with its stable ids: every row of {@code provisional} with {@code person_id}
   * replaced by its person's {@code stable_id} from {@code ids} (as {@link #ids} returns them), and
   * {@code first_seen_run, last_changed_run} appended.
   */
  public static Dataset<Row> apply(Dataset<Row> provisional, Dataset<Row> ids) {
    List<Column> out = new ArrayList<>();
    out.add(ids.col(STABLE_ID).as(IdentityMap.PERSON_ID));
    for (String c : provisional.columns()) {
      if (!c.equals(IdentityMap.PERSON_ID)) {
        out.add(provisional.col(c));
      }
    }
    out.add(ids.col(FIRST_SEEN_RUN));
    out.add(ids.col(LAST_CHANGED_RUN));
    return provisional.join(ids, provisional.col(IdentityMap.PERSON_ID).equalTo(ids.col(NEW_ID)))
        .select(out.toArray(Column[]::new));
  }

  /**
   * For every (previous person, new person) pair sharing records: {@code old_id, new_id,
   * shared_records} and {@code is_heir}, true for the one new person that inherits the previous
   * person (most shared records, then the one holding its smallest record).
   */
  public static Dataset<Row> overlaps(Dataset<Row> previousMap, Dataset<Row> currentMap) {
    return matches(previousMap, currentMap).where(col(OLD_ID).isNotNull());
  }

  /**
   * {@link #overlaps}, plus for every new person holding records the previous map does not have a
   * row with a null {@code old_id} counting them (its {@code is_heir} false): every new person
   * has a row, and its {@code shared_records} sum to its size. One pass over this run's records.
   */
  public static Dataset<Row> matches(Dataset<Row> previousMap, Dataset<Row> currentMap) {
    Dataset<Row> prev = previousMap.select(col(IdentityMap.PERSON_ID).as(OLD_ID), col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID));
    Dataset<Row> cur = currentMap.select(col(IdentityMap.PERSON_ID).as(NEW_ID), col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID));
    return cur.join(prev, new String[] {SourceRecords.SOURCE, SourceRecords.SOURCE_ID}, "left")
        .groupBy(OLD_ID, NEW_ID)
        .agg(count(lit(1)).as(SHARED),
            min(xxhash64(col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID))).as("smallest_shared"))
        // New records' rows (null old_id) are windowed per new person, not all in one partition.
        .withColumn(HEIR, col(OLD_ID).isNotNull().and(row_number().over(Window
            .partitionBy(col(OLD_ID), when(col(OLD_ID).isNull(), col(NEW_ID)))
            .orderBy(col(SHARED).desc(), col("smallest_shared").asc())).equalTo(1)))
        .drop("smallest_shared");
  }

  /**
   * The overlaps of the previous map with this run's identity map (stable ids), from the
   * {@link #matches} (or overlaps) on its provisional ids and the {@link #ids}: each
   * {@code new_id} replaced by its person's {@code stable_id}. A person is the same set of records
   * under either id, and no two persons share a stable id, so {@code shared_records} and
   * {@code is_heir} are unchanged: the result equals
   * {@code overlaps(previousMap, apply(provisional, ids))} without joining every record again.
   */
  public static Dataset<Row> stableOverlaps(Dataset<Row> provisionalMatches, Dataset<Row> ids) {
    Dataset<Row> stable = ids.select(col(NEW_ID).as("provisional_id"), col(STABLE_ID));
    Dataset<Row> provisionalOverlaps = provisionalMatches.where(col(OLD_ID).isNotNull());
    return provisionalOverlaps.join(stable, provisionalOverlaps.col(NEW_ID).equalTo(stable.col("provisional_id")))
        .select(col(OLD_ID), col(STABLE_ID).as(NEW_ID), col(SHARED), col(HEIR));
  }

  /**
   * {@code new_id, fresh_id}: the provisional id, or if that was ever issued the first of
   * {@code p + xxhash64(provisional id, k)}, k = 1, 2, that was not. One join, no loop: a person
   * whose every candidate was issued (a 64-bit hash clash twice over) gets no row, so a null id that
   * the run's id check refuses.
   */
  static Dataset<Row> freshIds(Dataset<Row> newIds, Dataset<Row> issuedIds) {
    Dataset<Row> candidates = newIds
        .withColumn("k", explode(array(lit(0), lit(1), lit(2))))
        .withColumn("candidate", when(col("k").equalTo(0), col(NEW_ID))
            .otherwise(PersonId.of(xxhash64(col(NEW_ID), col("k")))));
    Dataset<Row> issued = issuedIds.select(col(IdentityMap.PERSON_ID).as("issued"));
    return candidates.join(issued, col("candidate").equalTo(col("issued")), "left_anti")
        .groupBy(NEW_ID)
        .agg(min(struct(col("k"), col("candidate"))).getField("candidate").as("fresh_id"));
  }
}
