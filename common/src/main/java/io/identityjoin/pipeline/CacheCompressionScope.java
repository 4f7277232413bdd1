package io.identityjoin.pipeline;

import io.identityjoin.config.ExecutionSettings;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's compression of cached tables ({@value #CONF}) as {@code identity-join.execution.compress-caches}
 * says, for one run, and the session's own setting put back by {@link #close}.
 *
 * <p>Why off by default: Spark's columnar cache gathers, for every column of every batch, the
 * statistics to choose an encoding, a hash map of the distinct values for the dictionary encoding
 * among them. A run's caches are mostly ids and e-mails, nearly all distinct, so the dictionary is
 * rarely chosen and the map is built for nothing: in a 4M-record run's CPU profile (JFR) it was 40 %
 * of filling the records and identity_map caches and 20–25 % of filling the rows read and
 * user_identities (docs/BENCHMARKS.md). Uncompressed, a cache takes more memory.
 */
public final class CacheCompressionScope implements AutoCloseable {

  public static final String CONF = "spark.sql.inMemoryColumnarStorage.compressed";

  private final RuntimeConfig conf;
  private final SessionSetting setting;

  private CacheCompressionScope(RuntimeConfig conf, SessionSetting setting) {
    this.conf = conf;
    this.setting = setting;
  }

  /** Sets the session's cache compression for the run, until {@link #close}. */
  public static CacheCompressionScope forRun(SparkSession spark, ExecutionSettings settings) {
    RuntimeConfig conf = spark.conf();
    return new CacheCompressionScope(conf, SessionSetting.set(conf, CONF, Boolean.toString(settings.compressCaches())));
  }

  /** Whether the run's caches are compressed. */
  public boolean compressed() {
    return Boolean.parseBoolean(conf.get(CONF, "true"));
  }

  /** Puts the session's setting back; a second call does nothing. */
  @Override
  public void close() {
    setting.restore();
  }
}
