package io.identityjoin.output;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.Settings;
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
 *   <li>{@code email}: the smallest anchor e-mail of the person, else the smallest of any source;</li>
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
    List<Column> aggs = new ArrayList<>();
    aggs.add(coalesce(min(when(source.equalTo(settings.anchor()), col(SourceRecords.EMAIL))),
        min(col(SourceRecords.EMAIL))).as(SourceRecords.EMAIL));
    aggs.add(count(lit(1)).as(RECORD_COUNT));
    for (String name : settings.sourceNames()) {
      Column idHere = when(source.equalTo(name), col(SourceRecords.SOURCE_ID));
      aggs.add(min(idHere).as(name + "_id"));
      aggs.add(sort_array(collect_set(idHere)).as(name + "_ids"));
    }
    // first_seen_run and last_changed_run are per person (PersonIdAssignment): grouping by them keeps them.
    return identityMap.groupBy(IdentityMap.PERSON_ID, PersonIdAssignment.FIRST_SEEN_RUN,
            PersonIdAssignment.LAST_CHANGED_RUN)
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
        .withColumn(PERSON_BUCKET, pmod(xxhash64(col(IdentityMap.PERSON_ID)), lit(settings.output().personBuckets())));
  }
}
