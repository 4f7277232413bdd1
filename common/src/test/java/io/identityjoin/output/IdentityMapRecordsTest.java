package io.identityjoin.output;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.core.BlockedValues;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.HubCap;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The records table is grouped by the vertex alone; two (source, id) pairs hashing to one vertex
 * must still be caught (the run refuses them), and a record's rows still fold into one row.
 */
@ExtendWith(SparkSessionExtension.class)
class IdentityMapRecordsTest {

  private static Dataset<Row> linkRows(SparkSession spark) {
    return spark.sql("SELECT * FROM VALUES "
        // One record on two history rows: one row, smallest e-mail, flags of either row.
        + "('zendesk', 'z1', 1L, 'b@x.com', 'e1', CAST(NULL AS STRING), false, false, false, false),"
        + "('zendesk', 'z1', 1L, 'a@x.com', CAST(NULL AS STRING), CAST(NULL AS STRING), false, false, true, false),"
        // Two different records with one vertex: a hash clash.
        + "('zendesk', 'z2', 2L, CAST(NULL AS STRING), CAST(NULL AS STRING), 'blocked@x.com', true, false, false, false),"
        + "('stripe', 'cus_9', 2L, 'c@x.com', CAST(NULL AS STRING), CAST(NULL AS STRING), false, false, false, false),"
        // A row without an id forms no record.
        + "('stripe', CAST(NULL AS STRING), CAST(NULL AS BIGINT), 'd@x.com', CAST(NULL AS STRING), CAST(NULL AS STRING), false, false, false, false)"
        + " AS t(source, source_id, vertex, email, external_id, guarded_email, email_blocked, external_id_blocked,"
        + " email_hub, external_id_hub)");
  }

  @Test
  void oneRowPerVertexWithTheRecordsValuesAndFlags(SparkSession spark) {
    Map<Long, Row> byVertex = IdentityMap.records(linkRows(spark)).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<Long>getAs("vertex"), r -> r));
    assertEquals(2, byVertex.size());
    Row z1 = byVertex.get(1L);
    assertEquals("zendesk", z1.getAs("source"));
    assertEquals("z1", z1.getAs("source_id"));
    assertEquals("a@x.com", z1.getAs("email"));
    assertTrue(z1.<Boolean>getAs(IdentityMap.HAS_EXTERNAL_ID));
    assertTrue(z1.<Boolean>getAs("email_hub"));
    assertFalse(z1.<Boolean>getAs(IdentityMap.VERTEX_COLLISION));
  }

  @Test
  void twoRecordsOnOneVertexAreACollision(SparkSession spark) {
    Row clash = IdentityMap.records(linkRows(spark)).where("vertex = 2").first();
    assertTrue(clash.<Boolean>getAs(IdentityMap.VERTEX_COLLISION));
  }

  @Test
  void recordFlagsComeFromTheFlagColumnsSorted(SparkSession spark) {
    List<Row> rows = IdentityMap.records(linkRows(spark))
        .select(GuardFlags.all(array(lit(GuardFlags.DANGLING_EXTERNAL_ID))).as("flags"),
            col("vertex"))
        .orderBy("vertex").collectAsList();
    assertEquals(List.of(GuardFlags.DANGLING_EXTERNAL_ID, GuardFlags.HUB_EMAIL), rows.get(0).getList(0));
    assertEquals(List.of(GuardFlags.BLOCKED_EMAIL, GuardFlags.DANGLING_EXTERNAL_ID), rows.get(1).getList(0));
  }

  @Test
  void aRecordWithoutFlagsOrFindingsHasAnEmptyListNotNull(SparkSession spark) {
    Dataset<Row> records = IdentityMap.records(linkRows(spark))
        .withColumn(BlockedValues.EMAIL_BLOCKED, lit(false)).withColumn(HubCap.EMAIL_HUB, lit(false));
    List<Row> rows = records
        .select(GuardFlags.all(lit(null).cast("array<string>")).as("flags"), col("vertex"))
        .orderBy("vertex").collectAsList();
    assertEquals(List.of(), rows.get(0).getList(0));
    assertEquals(List.of(), rows.get(1).getList(0));
    // Findings alone are flags too.
    assertEquals(List.of(GuardFlags.EMAIL_CONFLICT), records
        .select(GuardFlags.all(array(lit(GuardFlags.EMAIL_CONFLICT)))).orderBy(col("vertex")).first().getList(0));
  }
}
