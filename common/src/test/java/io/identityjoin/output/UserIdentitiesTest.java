package io.identityjoin.output;

import static io.identityjoin.testing.Fixtures.row;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.Settings;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * user_identities folds each person's identity_map rows into one row: ids per source sorted in
 * Spark's string order, the smallest anchor e-mail (else any source's), blocked addresses left out.
 * Checked on hand-made rows and against Spark's own aggregation of the same definition.
 */
@ExtendWith(SparkSessionExtension.class)
class UserIdentitiesTest {

  private static final StructType MAP = DataTypes.createStructType(List.of(
      DataTypes.createStructField("person_id", DataTypes.StringType, false),
      DataTypes.createStructField("first_seen_run", DataTypes.StringType, true),
      DataTypes.createStructField("last_changed_run", DataTypes.StringType, true),
      DataTypes.createStructField("source", DataTypes.StringType, false),
      DataTypes.createStructField("source_id", DataTypes.StringType, false),
      DataTypes.createStructField("email", DataTypes.StringType, true),
      DataTypes.createStructField("flags", DataTypes.createArrayType(DataTypes.StringType, false), false)));

  private static Settings settings(SparkSession spark) {
    return new Fixtures(spark).anchor("segment", row("A", "a@x.com")).source("zendesk", true)
        .source("stripe", false).settings();
  }

  private static Row mapRow(String person, String source, String id, String email, String... flags) {
    return RowFactory.create(person, "r1", "r1", source, id, email, flags);
  }

  /** The definition as Spark's aggregation states it (the code before the fold): the oracle. */
  private static Dataset<Row> aggregated(Dataset<Row> identityMap, Settings settings) {
    Column source = col("source");
    Column email = when(not(array_contains(col(GuardFlags.FLAGS), GuardFlags.BLOCKED_EMAIL)), col("email"));
    Dataset<Row> grouped = identityMap.groupBy("person_id", "first_seen_run", "last_changed_run").agg(
        coalesce(min(when(source.equalTo(settings.anchor()), email)), min(email)).as("email"),
        count(lit(1)).as("record_count"),
        collect_list(struct(source.as("s"), col("source_id").as("i"))).as("records"));
    List<Column> columns = new ArrayList<>(List.of(col("person_id"), col("first_seen_run"), col("last_changed_run"),
        col("email"), col("record_count")));
    for (String name : settings.sourceNames()) {
      Column ids = sort_array(transform(filter(col("records"), r -> r.getField("s").equalTo(name)),
          r -> r.getField("i")));
      columns.add(array_min(ids).as(name + "_id"));
      columns.add(ids.as(name + "_ids"));
    }
    columns.add(pmod(xxhash64(col("person_id")), lit(settings.output().personBuckets())).as("person_bucket"));
    return grouped.select(columns.toArray(Column[]::new));
  }

  @Test
  void onePersonsRowsFoldIntoOneRowWithSortedIdsPerSource(SparkSession spark) {
    Settings settings = settings(spark);
    Dataset<Row> map = spark.createDataFrame(List.of(
        mapRow("p1", "zendesk", "z9", "b@x.com"),
        mapRow("p1", "segment", "S2", "c@x.com"),
        mapRow("p1", "zendesk", "z10", "a@x.com"),
        mapRow("p1", "segment", "S1", "d@x.com"),
        // A blocked address is shown on its record, never as the person's.
        mapRow("p2", "segment", "S3", "0@x.com", GuardFlags.BLOCKED_EMAIL),
        mapRow("p2", "stripe", "cus_1", "z@x.com"),
        mapRow("p3", "stripe", "cus_2", null)), MAP);
    Map<String, Row> users = UserIdentities.of(map, settings).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("person_id"), r -> r));
    assertEquals(3, users.size());
    Row p1 = users.get("p1");
    assertEquals(List.of("S1", "S2"), p1.getList(p1.fieldIndex("segment_ids")));
    assertEquals("S1", p1.getAs("segment_id"));
    // Compared as text: "z10" before "z9".
    assertEquals(List.of("z10", "z9"), p1.getList(p1.fieldIndex("zendesk_ids")));
    assertEquals("z10", p1.getAs("zendesk_id"));
    assertEquals(List.of(), p1.getList(p1.fieldIndex("stripe_ids")));
    assertNull(p1.getAs("stripe_id"));
    assertEquals("c@x.com", p1.getAs("email"), "the smallest anchor address, though a@x.com is smaller");
    assertEquals(4L, (long) p1.<Long>getAs("record_count"));
    assertEquals("z@x.com", users.get("p2").getAs("email"), "the blocked anchor address is left out");
    assertNull(users.get("p3").getAs("email"));
    assertEquals("r1", users.get("p3").getAs("first_seen_run"));
  }

  @Test
  void theFoldGivesSparksAggregationOfTheSameDefinition(SparkSession spark) {
    Settings settings = settings(spark);
    Random random = new Random(7);
    // Ids and addresses whose Java order differs from Spark's (UTF-8 bytes): a character past the
    // surrogates (U+FF5A) and one written with a surrogate pair (U+1D538).
    String[] pieces = {"a", "B", "z", "10", "9", "é", "ｚ", "𝔸", ""};
    String[] sources = {"segment", "zendesk", "stripe"};
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < 400; p++) {
      int records = 1 + random.nextInt(random.nextInt(10) == 0 ? 12 : 3);
      for (int r = 0; r < records; r++) {
        String id = pieces[random.nextInt(pieces.length)] + pieces[random.nextInt(pieces.length)] + p + "-" + r;
        String email = random.nextInt(4) == 0 ? null : pieces[random.nextInt(pieces.length)] + "@x.com";
        String[] flags = random.nextInt(5) == 0 ? new String[] {GuardFlags.BLOCKED_EMAIL} : new String[0];
        rows.add(mapRow("p" + p, sources[random.nextInt(sources.length)], id, email, flags));
      }
    }
    // Spread over several partitions, so each person's rows come from several.
    Dataset<Row> map = spark.createDataFrame(rows, MAP).repartition(5);
    Dataset<Row> folded = UserIdentities.of(map, settings);
    Dataset<Row> expected = aggregated(map, settings);
    assertEquals(List.of(expected.columns()), List.of(folded.columns()));
    assertEquals(400, folded.count());
    assertTrue(folded.exceptAll(expected).isEmpty() && expected.exceptAll(folded).isEmpty(),
        "fold and aggregation differ: " + folded.exceptAll(expected).limit(5).collectAsList());
  }

  @Test
  void aRecordOfASourceTheSettingsDoNotNameIsAnError(SparkSession spark) {
    Dataset<Row> map = spark.createDataFrame(List.of(mapRow("p1", "hubspot", "h1", null)), MAP);
    SparkException e = assertThrows(SparkException.class,
        () -> UserIdentities.of(map, settings(spark)).collectAsList());
    assertTrue(String.valueOf(e.getMessage()).contains("source 'hubspot'"), e.getMessage());
  }

  @Test
  void theFoldsEmailOrderIsSparksStringOrder(SparkSession spark) {
    List<String> strings = List.of("", "a", "ab", "b", "é", "ｚ", "𝔸", "𝔸a", "ｚ𝔸");
    List<String> spark0 = spark.createDataset(strings, org.apache.spark.sql.Encoders.STRING()).orderBy("value")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    List<String> ours = new ArrayList<>(strings);
    // The fold compares addresses as UTF8String does, not as Java's String does.
    ours.sort((a, b) -> UTF8String.fromString(a).compareTo(UTF8String.fromString(b)));
    assertEquals(spark0, ours);
  }
}
