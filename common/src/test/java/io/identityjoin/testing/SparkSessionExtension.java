package io.identityjoin.testing;

import io.identityjoin.fs.NioLocalFileSystem;
import io.identityjoin.fs.NioLocalFs;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One local SparkSession per test JVM, injected into test methods and constructors
 * (after Zingg's TestSparkBaseLite). Never stopped by a test: the JVM's end stops it.
 */
public final class SparkSessionExtension implements BeforeAllCallback, ParameterResolver {

  private static SparkSession session;

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("identity-join-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "4")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/identity-join-test-warehouse")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          // As bin/ sets them for local mode: permissions and link checks without a process each.
          .config("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName())
          .config("spark.hadoop.fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName())
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    session();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return session();
  }
}
