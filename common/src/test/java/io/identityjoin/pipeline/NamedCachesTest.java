package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class NamedCachesTest {

  @Test
  void aNamedCacheIsUsedByTheDatasetsQueriesAndItsBlocksAreNotNamedAfterThePlansLiterals(SparkSession spark) {
    Dataset<Row> ds = spark.range(1000).selectExpr("id", "id IN (7, 8) OR CAST(id AS STRING) = 'secret@example.com' AS hit");
    NamedCaches caches = new NamedCaches();
    caches.cache(ds, "probe");
    assertEquals(1000, ds.count());
    assertTrue(spark.sharedState().cacheManager().lookupCachedData(ds).isDefined(), "the Dataset's own plan hits the cache");
    String plan = ds.where("hit").queryExecution().executedPlan().toString();
    assertTrue(plan.contains("Scan In-memory table identity_join_probe_"), "a query on the Dataset reads the cache: " + plan);
    // count() filled the cache: its blocks exist, named after the view.
    boolean named = false;
    for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      assertFalse(info.name().contains("secret@example.com"), info.name());
      named |= info.name().contains("identity_join_probe_");
    }
    assertTrue(named, "the cached blocks carry the view's name");

    caches.release(spark);
    assertFalse(spark.sharedState().cacheManager().lookupCachedData(ds).isDefined());
    assertFalse(spark.catalog().tableExists("identity_join_probe_1"));
  }

  @Test
  void oneCacheCanBeDroppedEarlyAndACacheFilledFromItKeepsItsRows(SparkSession spark) {
    Dataset<Row> source = spark.range(500).selectExpr("id", "id % 7 AS k");
    NamedCaches caches = new NamedCaches();
    caches.cache(source, "early");
    assertEquals(500, source.count());
    Dataset<Row> derived = caches.cache(source.groupBy("k").count(), "derived");
    assertEquals(7, derived.count());

    caches.release(source);
    assertFalse(spark.sharedState().cacheManager().lookupCachedData(source).isDefined(), "the dropped cache is gone");
    assertTrue(spark.sharedState().cacheManager().lookupCachedData(derived).isDefined(), "the other stays");
    assertEquals(500L, derived.agg(org.apache.spark.sql.functions.sum("count")).first().getLong(0));
    caches.release(source); // twice: nothing left to drop, no error

    caches.release(spark);
    assertFalse(spark.sharedState().cacheManager().lookupCachedData(derived).isDefined());
  }
}
