package io.identityjoin.output;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.Settings;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.SourceRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The {@code user_identities} table, the SQL recipe's master table made right: one row per person
 * with {@code person_id, first_seen_run, last_changed_run, email, record_count, <source>_id,
 * <source>_ids..., person_bucket}.
 * <ul>
 *   <li>{@code email}: the smallest anchor e-mail of the person, else the smallest of any source
 *       (blocked addresses left out);</li>
 *   <li>{@code <source>_id}: the smallest of the person's ids in that source (compared as text), so a
 *       person with several picks the same one every run; {@code <source>_ids}: all of them, sorted;</li>
 *   <li>{@code person_bucket}: {@code pmod(xxhash64(person_id), output.person-buckets)}, the default
 *       partition column.</li>
 * </ul>
 */
public final class UserIdentities {

  public static final String PERSON_BUCKET = "person_bucket";
  public static final String RECORD_COUNT = "record_count";

  private UserIdentities() {}

  public static Dataset<Row> of(Dataset<Row> identityMap, Settings settings) {
    // Each person's records next to each other, in (source, source_id) order: one shuffle by person and
    // a sort, then one pass that folds each person's run of rows into its row (PersonFold). Spark's
    // aggregation did the same work less directly: a list of (source, id) per person is an object
    // aggregate, which falls back to sorting past 128 groups per task and builds and serializes a
    // buffer per person, and splitting the list per source ran interpreted higher-order functions.
    // At 4M records the fold took 0.59x the aggregation's time (same rows; docs/BENCHMARKS.md).
    Dataset<Row> byPerson = personRows(identityMap)
        .repartition(col(IdentityMap.PERSON_ID))
        .sortWithinPartitions(IdentityMap.PERSON_ID, SourceRecords.SOURCE, SourceRecords.SOURCE_ID);
    return fold(byPerson, settings);
  }

  /**
   * The same rows from an identity_map whose partitions already hold each person's rows next to each
   * other in (source, source_id) order, as {@link PersonAssembly#identityMap} leaves them (and any
   * projection of it, such as the first run's added columns, keeps them): no shuffle, no sort.
   */
  public static Dataset<Row> ofPersonRuns(Dataset<Row> identityMap, Settings settings) {
    return fold(personRows(identityMap), settings);
  }

  /** The columns the fold reads, with blocked addresses left out (a row's order is kept). */
  private static Dataset<Row> personRows(Dataset<Row> identityMap) {
    // A blocked address is shown on its record but never names the person.
    Column email = when(not(array_contains(col(GuardFlags.FLAGS), GuardFlags.BLOCKED_EMAIL)), col(SourceRecords.EMAIL));
    // first_seen_run and last_changed_run are per person (PersonIdAssignment): the fold keeps the first.
    return identityMap.select(col(IdentityMap.PERSON_ID), col(PersonIdAssignment.FIRST_SEEN_RUN),
        col(PersonIdAssignment.LAST_CHANGED_RUN), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID),
        email.as(SourceRecords.EMAIL));
  }

  private static Dataset<Row> fold(Dataset<Row> byPerson, Settings settings) {
    List<String> sources = settings.sourceNames();
    PersonFold fold = new PersonFold(sources.toArray(String[]::new), settings.anchor());
    return byPerson.mapPartitions(fold, Encoders.row(schema(sources)))
        .withColumn(PERSON_BUCKET,
            pmod(xxhash64(col(IdentityMap.PERSON_ID)), lit(settings.output().personBuckets())));
  }

  /** The columns before {@value #PERSON_BUCKET}, nullable as Spark's aggregation made them. */
  private static StructType schema(List<String> sources) {
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField(IdentityMap.PERSON_ID, DataTypes.StringType, true),
        DataTypes.createStructField(PersonIdAssignment.FIRST_SEEN_RUN, DataTypes.StringType, true),
        DataTypes.createStructField(PersonIdAssignment.LAST_CHANGED_RUN, DataTypes.StringType, true),
        DataTypes.createStructField(SourceRecords.EMAIL, DataTypes.StringType, true),
        DataTypes.createStructField(RECORD_COUNT, DataTypes.LongType, false)));
    for (String name : sources) {
      fields.add(DataTypes.createStructField(name + "_id", DataTypes.StringType, true));
      fields.add(DataTypes.createStructField(name + "_ids", DataTypes.createArrayType(DataTypes.StringType, true),
          true));
    }
    return DataTypes.createStructType(fields);
  }

  /**
   * Folds each person's consecutive rows {@code (person_id, first_seen_run, last_changed_run, source,
   * source_id, email)}, sorted by (person_id, source, source_id), into the person's row: ids per source
   * in the order they come (Spark's string order, as {@code sort_array} would give), the smallest id
   * first; the smallest anchor e-mail, else the smallest of any source.
   */
  private static final class PersonFold implements MapPartitionsFunction<Row, Row> {
    private final String[] sources;
    private final String anchor;

    PersonFold(String[] sources, String anchor) {
      this.sources = sources;
      this.anchor = anchor;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < sources.length; i++) {
        index.put(sources[i], i);
      }
      return new Iterator<>() {
        private Row next = rows.hasNext() ? rows.next() : null;

        @Override
        public boolean hasNext() {
          return next != null;
        }

        @Override
        public Row next() {
          if (next == null) {
            throw new NoSuchElementException();
          }
          String person = next.getString(0);
          Object[] values = new Object[5 + 2 * sources.length];
          values[0] = person;
          values[1] = next.getString(1);
          values[2] = next.getString(2);
          List<List<String>> ids = new ArrayList<>(sources.length);
          for (int i = 0; i < sources.length; i++) {
            ids.add(new ArrayList<>(1));
          }
          // Compared as Spark compares strings (their UTF-8 bytes), not as Java does (UTF-16 units).
          UTF8String anchorEmail = null;
          UTF8String anyEmail = null;
          long records = 0;
          do {
            String source = next.getString(3);
            Integer i = index.get(source);
            if (i == null) {
              throw new IllegalStateException("identity_map has a record of source '" + source
                  + "', which the settings do not name (sources: " + String.join(", ", sources) + ")");
            }
            ids.get(i).add(next.getString(4));
            String email = next.getString(5);
            if (email != null) {
              UTF8String e = UTF8String.fromString(email);
              if (anyEmail == null || e.compareTo(anyEmail) < 0) {
                anyEmail = e;
              }
              if (source.equals(anchor) && (anchorEmail == null || e.compareTo(anchorEmail) < 0)) {
                anchorEmail = e;
              }
            }
            records++;
            next = rows.hasNext() ? rows.next() : null;
          } while (next != null && next.getString(0).equals(person));
          UTF8String personEmail = anchorEmail != null ? anchorEmail : anyEmail;
          values[3] = personEmail == null ? null : personEmail.toString();
          values[4] = records;
          for (int i = 0; i < sources.length; i++) {
            List<String> of = ids.get(i);
            values[5 + 2 * i] = of.isEmpty() ? null : of.get(0);
            values[6 + 2 * i] = of.toArray(String[]::new);
          }
          return RowFactory.create(values);
        }
      };
    }
  }
}
