package io.identityjoin.pipeline;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.SourceRecords;
import io.identityjoin.output.IdentityMap;
import io.identityjoin.output.PersonAssembly;
import io.identityjoin.output.UserIdentities;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The counts a run reports, with one aggregation per table (the read rows, the records,
 * identity_map, user_identities): the run summary, the guard report and the person-id changes all
 * read from here. Each aggregation is a Spark job that has to be planned, compiled and run, and on
 * a small input that, not the rows, is what a run costs.
 *
 * @param rows per source: rows read, rows without an id, rows whose e-mail is unusable
 * @param records per source: records, records with an e-mail, records with a linkable external id
 * @param vertexCollisions records whose vertex hash another (source, id) pair shares
 * @param rules per source, identity_map rows per match rule
 * @param flagged records of identity_map carrying each guard flag (all sources)
 * @param persons user_identities' row count, persons with more than one record, the largest
 *     record count, distinct person ids
 */
record RunCounts(Map<String, long[]> rows, Map<String, long[]> records, long vertexCollisions,
    Map<String, Map<String, Long>> rules, Map<String, Long> flagged, long[] persons, PersonIdChanges.Persons ids) {

  private static final List<String> COUNTED_FLAGS = List.of(GuardFlags.BLOCKED_EMAIL, GuardFlags.BLOCKED_EXTERNAL_ID,
      GuardFlags.DANGLING_EXTERNAL_ID, GuardFlags.EMAIL_CONFLICT);

  /**
   * Per source: rows read, rows without an id, rows whose e-mail is unusable. Counted as the read
   * rows are cached (the job that fills the cache), so the cache can be dropped once the link rows
   * are kept.
   */
  static Map<String, long[]> rowsPerSource(Dataset<Row> read) {
    Map<String, long[]> rows = new HashMap<>();
    // No distinct counts over every row here: what they would count, the records, are counted below.
    for (Row r : read.groupBy(SourceRecords.SOURCE).agg(
        count(lit(1)),
        sum(when(col(SourceRecords.SOURCE_ID).isNull(), 1).otherwise(0)),
        sum(when(col(SourceRecords.EMAIL_UNUSABLE), 1).otherwise(0))).collectAsList()) {
      rows.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
    }
    return rows;
  }

  /**
   * Per source, the records the link rows form: distinct record vertices of the rows with an id (a
   * record with history rows has several). Counted from the link rows, apart from identity_map, so
   * that the output's check ({@link OutputInvariant}) compares identity_map with what it was built from.
   */
  static Map<String, Long> recordsPerSource(Dataset<Row> linkRows) {
    Map<String, Long> records = new HashMap<>();
    // One distinct count of longs: Spark de-duplicates (source, vertex) in hash maps, no string sort.
    for (Row r : SourceRecords.withId(linkRows).groupBy(SourceRecords.SOURCE)
        .agg(countDistinct(SourceRecords.VERTEX)).collectAsList()) {
      records.put(r.getString(0), r.getLong(1));
    }
    return records;
  }

  /**
   * @param rows as {@link #rowsPerSource} counted them
   * @param records as {@link #recordsPerSource} counted them
   * @param assembled identity_map with the records' counted columns ({@link PersonAssembly#identityMap}):
   *     one row per record, so its one aggregation counts the records and the match rules together
   * @param identityMapFilled run once identity_map's cache is filled (its aggregation is the job that
   *     fills it) and before user_identities' is: what identity_map was computed from can go then
   */
  static RunCounts of(Map<String, long[]> rows, Map<String, Long> records, Dataset<Row> assembled,
      Dataset<Row> userIdentities, String runId, Runnable identityMapFilled) {
    // Blocked and hub ids are counted by the guards, not as dangling.
    Map<String, long[]> recordCounts = new HashMap<>();
    records.forEach((source, n) -> recordCounts.put(source, new long[] {n, 0, 0}));
    long collisions = 0;
    List<Column> columns = new ArrayList<>(List.of(count(lit(1)), count(col(SourceRecords.EMAIL)),
        sum(when(col(IdentityMap.HAS_EXTERNAL_ID), 1).otherwise(0)),
        sum(when(col(IdentityMap.VERTEX_COLLISION), 1).otherwise(0))));
    // identity_map has one row per record: its flags count flagged records.
    for (String flag : COUNTED_FLAGS) {
      columns.add(sum(when(array_contains(col(GuardFlags.FLAGS), flag), 1).otherwise(0)));
    }
    Map<String, Map<String, Long>> rules = new HashMap<>();
    Map<String, Long> flagged = new LinkedHashMap<>();
    COUNTED_FLAGS.forEach(f -> flagged.put(f, 0L));
    for (Row r : assembled.groupBy(SourceRecords.SOURCE, IdentityMap.MATCH_RULE)
        .agg(columns.get(0), columns.subList(1, columns.size()).toArray(Column[]::new)).collectAsList()) {
      String source = r.getString(0);
      rules.computeIfAbsent(source, k -> new LinkedHashMap<>()).put(r.getString(1), r.getLong(2));
      // The records themselves are counted from the link rows (recordsPerSource), not from here.
      long[] c = recordCounts.computeIfAbsent(source, k -> new long[3]);
      c[1] += r.getLong(3);
      c[2] += r.getLong(4);
      collisions += r.getLong(5);
      for (int i = 0; i < COUNTED_FLAGS.size(); i++) {
        flagged.merge(COUNTED_FLAGS.get(i), r.getLong(6 + i), Long::sum);
      }
    }
    identityMapFilled.run();
    List<Column> personColumns = new ArrayList<>(List.of(count(lit(1)),
        sum(when(col(UserIdentities.RECORD_COUNT).gt(1), 1).otherwise(0)),
        max(col(UserIdentities.RECORD_COUNT)), countDistinct(IdentityMap.PERSON_ID)));
    personColumns.addAll(PersonIdChanges.Persons.columns(runId));
    Row p = userIdentities.agg(personColumns.get(0), personColumns.subList(1, personColumns.size())
        .toArray(Column[]::new)).first();
    long[] persons = {p.getLong(0), value(p, 1), value(p, 2), p.getLong(3)};
    return new RunCounts(rows, recordCounts, collisions, rules, flagged, persons, PersonIdChanges.Persons.of(p, 4));
  }

  long flagged(String flag) {
    return flagged.getOrDefault(flag, 0L);
  }

  private static long value(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getLong(i);
  }
}
