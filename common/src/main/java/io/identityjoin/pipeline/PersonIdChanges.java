package io.identityjoin.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.output.PersonIdAssignment;
import io.identityjoin.output.PersonMerges;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a run did to person ids: persons {@code created} (new id: brand new or split off),
 * {@code kept} (an id of the previous run, of which {@code changed} gained or lost records), and
 * previous ids {@code merged} into another, {@code split} (some records went to another person) or
 * {@code deleted} (no record left).
 */
public record PersonIdChanges(long created, long kept, long changed, long merged, long split, long deleted) {

  /**
   * @param persons user_identities' counts ({@link Persons#columns}), aggregated with the run's other
   *     counts over that table
   */
  public static PersonIdChanges of(Persons persons, Dataset<Row> personMerges) {
    Map<String, Long> ledger = new LinkedHashMap<>();
    for (Row r : personMerges.groupBy(PersonMerges.REASON)
        .agg(count(lit(1)), countDistinct(col(PersonMerges.OLD_PERSON_ID))).collectAsList()) {
      ledger.put(r.getString(0), r.getString(0).equals("split") ? r.getLong(2) : r.getLong(1));
    }
    return new PersonIdChanges(persons.created(), persons.kept(), persons.changed(), ledger.getOrDefault("merge", 0L),
        ledger.getOrDefault("split", 0L), ledger.getOrDefault("deleted", 0L));
  }

  /** Persons of user_identities new in this run, kept from an earlier one, and kept but changed. */
  public record Persons(long created, long kept, long changed) {

    /** The aggregate columns over user_identities, in the order {@link #of} reads them. */
    static List<Column> columns(String runId) {
      Column newHere = col(PersonIdAssignment.FIRST_SEEN_RUN).eqNullSafe(lit(runId));
      return List.of(
          sum(when(newHere, 1).otherwise(0)),
          sum(when(newHere, 0).otherwise(1)),
          sum(when(not(newHere).and(col(PersonIdAssignment.LAST_CHANGED_RUN).eqNullSafe(lit(runId))), 1)
              .otherwise(0)));
    }

    /** From an aggregated row holding {@link #columns} from index {@code from} on. */
    static Persons of(Row aggregated, int from) {
      return new Persons(value(aggregated, from), value(aggregated, from + 1), value(aggregated, from + 2));
    }
  }

  private static long value(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getLong(i);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("created", created);
    m.put("kept", kept);
    m.put("kept_changed", changed);
    m.put("merged", merged);
    m.put("split", split);
    m.put("deleted", deleted);
    return m;
  }
}
