package io.identityjoin.output;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.Settings;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.SourceRecords;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
    Column source = col(SourceRecords.SOURCE);
    // One list of (source, id) per person, split per source afterwards: one object aggregate per
    // group instead of a set per source (a record is one (source, id) pair, so nothing repeats).
    // Spark's object aggregates fall back to sorting past 128 groups per task, and each buffer is
    // serialized there, so their number is what this aggregation costs.
    // first_seen_run and last_changed_run are per person (PersonIdAssignment): grouping by them keeps them.
    // A blocked address is shown on its record but never names the person.
    Column email = when(not(array_contains(col(GuardFlags.FLAGS), GuardFlags.BLOCKED_EMAIL)), col(SourceRecords.EMAIL));
    // The rows are shuffled by person before the grouping: almost every person's records sit in
    // different partitions of identity_map, so a partial aggregation before the shuffle merges next to
    // nothing and ships a serialized list buffer per record (4M records, one JVM: 0.82x the time).
    Dataset<Row> byPerson = identityMap
        .select(col(IdentityMap.PERSON_ID), col(PersonIdAssignment.FIRST_SEEN_RUN),
            col(PersonIdAssignment.LAST_CHANGED_RUN), source, col(SourceRecords.SOURCE_ID), col(SourceRecords.EMAIL),
            col(GuardFlags.FLAGS))
        .repartition(col(IdentityMap.PERSON_ID));
    Dataset<Row> grouped = byPerson.groupBy(IdentityMap.PERSON_ID, PersonIdAssignment.FIRST_SEEN_RUN,
            PersonIdAssignment.LAST_CHANGED_RUN).agg(
        coalesce(min(when(source.equalTo(settings.anchor()), email)), min(email)).as(SourceRecords.EMAIL),
        count(lit(1)).as(RECORD_COUNT),
        collect_list(struct(source.as("s"), col(SourceRecords.SOURCE_ID).as("i"))).as(RECORDS));
    List<Column> head = List.of(col(IdentityMap.PERSON_ID), col(PersonIdAssignment.FIRST_SEEN_RUN),
        col(PersonIdAssignment.LAST_CHANGED_RUN), col(SourceRecords.EMAIL), col(RECORD_COUNT));
    // Each source's sorted ids are computed once, in a projection of their own, and the smallest id
    // taken from them after: written as one projection, Spark evaluated the filter and transform
    // twice per source and person (their lambda variables make the two copies look different to
    // its common-subexpression elimination, and higher-order functions run interpreted).
    List<Column> split = new ArrayList<>(head);
    List<Column> columns = new ArrayList<>(head);
    for (String name : settings.sourceNames()) {
      split.add(sort_array(transform(filter(col(RECORDS), r -> r.getField("s").equalTo(name)),
          r -> r.getField("i"))).as(name + "_ids"));
      columns.add(array_min(col(name + "_ids")).as(name + "_id"));
      columns.add(col(name + "_ids"));
    }
    columns.add(pmod(xxhash64(col(IdentityMap.PERSON_ID)), lit(settings.output().personBuckets())).as(PERSON_BUCKET));
    return grouped.select(split.toArray(Column[]::new)).select(columns.toArray(Column[]::new));
  }

  private static final String RECORDS = "records_";
}
