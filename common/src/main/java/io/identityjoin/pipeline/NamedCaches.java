package io.identityjoin.pipeline;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The run's caches, each under a name. Spark names the blocks of an unnamed cache after the text of
 * its plan, literals included, and its scheduler logs that name at INFO ("Submitting ResultStage
 * ... (*(1) Project [... email INSET ...])"): configured values such as blocked addresses, which are
 * also input values, would reach the driver log. A cache made through a temporary view is named
 * after the view instead. Public API only (temporary views, {@code Catalog.cacheTable}), so it
 * behaves the same on Databricks.
 */
public final class NamedCaches {
  private static final AtomicLong NEXT = new AtomicLong();

  private final Map<Dataset<Row>, String> views = new IdentityHashMap<>();

  /**
   * Caches {@code ds} (memory and disk, lazily, as {@code Dataset.cache} does) under a name made of
   * {@code role} and a counter, and returns {@code ds}: its queries use the cache.
   */
  public synchronized Dataset<Row> cache(Dataset<Row> ds, String role) {
    String view = "identity_join_" + role + "_" + NEXT.incrementAndGet();
    ds.createOrReplaceTempView(view);
    ds.sparkSession().catalog().cacheTable(view, StorageLevel.MEMORY_AND_DISK());
    views.put(ds, view);
    return ds;
  }

  /**
   * Drops the cache of {@code ds} (one that {@link #cache} returned) and its view, before the run
   * ends: for a cache nothing reads any more. Caches already filled from it keep their data.
   */
  public synchronized void release(Dataset<Row> ds) {
    String view = views.remove(ds);
    if (view != null) {
      ds.sparkSession().catalog().dropTempView(view);
    }
  }

  /** Drops every cache and its view. */
  public synchronized void release(org.apache.spark.sql.SparkSession spark) {
    views.values().forEach(v -> spark.catalog().dropTempView(v));
    views.clear();
  }
}
