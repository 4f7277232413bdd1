package io.identityjoin.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Sets {@code identity-join.hadoop-conf} on the session for one run and puts the previous values
 * back on close. Spark hands a session's settings to every Hadoop configuration it builds for
 * reading and writing (Parquet, Delta, the file-system calls of the writers), so this reaches
 * s3a:// without touching the SparkContext's Hadoop configuration, which a shared Databricks
 * cluster or another session may be using.
 */
final class HadoopConfScope implements AutoCloseable {

  private final RuntimeConfig conf;
  private final Map<String, Optional<String>> previous = new LinkedHashMap<>();

  private HadoopConfScope(RuntimeConfig conf) {
    this.conf = conf;
  }

  static HadoopConfScope apply(SparkSession spark, Map<String, String> settings) {
    HadoopConfScope scope = new HadoopConfScope(spark.conf());
    settings.forEach((key, value) -> {
      Option<String> before = scope.conf.getOption(key);
      scope.previous.putIfAbsent(key, before.isDefined() ? Optional.of(before.get()) : Optional.empty());
      scope.conf.set(key, value);
    });
    return scope;
  }

  @Override
  public void close() {
    previous.forEach((key, value) -> {
      if (value.isPresent()) {
        conf.set(key, value.get());
      } else {
        conf.unset(key);
      }
    });
  }
}
