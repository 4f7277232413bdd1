package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.storage.DelegatingLogStore;
import org.apache.spark.sql.delta.storage.LogStoreAdaptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources read from and tables written to s3a:// through hadoop-aws, against s3proxy on loopback.
 * The job gets the endpoint and path-style access from its config's hadoop-conf block and the keys
 * from ${?ENV} values there (the jobs pom sets the two variables for the test JVM).
 */
@ExtendWith(SparkSessionExtension.class)
class S3Test {

  static final String ACCESS_KEY_ENV = "IDENTITY_JOIN_TEST_S3_ACCESS_KEY";
  static final String SECRET_KEY_ENV = "IDENTITY_JOIN_TEST_S3_SECRET_KEY";

  @TempDir Path work;

  @Test
  void readsTheSourcesFromS3aAndWritesParquetAndDeltaThere(SparkSession shared) throws Exception {
    String accessKey = System.getenv(ACCESS_KEY_ENV);
    String secretKey = System.getenv(SECRET_KEY_ENV);
    assertNotNull(accessKey, ACCESS_KEY_ENV + " is set by the jobs pom's surefire configuration");
    assertNotNull(secretKey, SECRET_KEY_ENV + " is set by the jobs pom's surefire configuration");

    try (S3ProxyServer s3 = S3ProxyServer.start(work, accessKey, secretKey)) {
      s3.createBucket("lake");
      s3.createBucket("warehouse");

      // The test's own S3 client: a session of its own, so these settings never reach the shared one.
      SparkSession mine = shared.newSession();
      Map.of("fs.s3a.endpoint", s3.endpoint(),
          "fs.s3a.path.style.access", "true",
          "fs.s3a.connection.ssl.enabled", "false",
          "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
          "fs.s3a.access.key", accessKey,
          "fs.s3a.secret.key", secretKey).forEach(mine.conf()::set);
      Configuration conf = mine.sessionState().newHadoopConf();

      // The sample's source tables (Parquet, and Zendesk's Delta table) uploaded through s3a.
      org.apache.hadoop.fs.Path lake = new org.apache.hadoop.fs.Path("s3a://lake/sample");
      assertTrue(FileUtil.copy(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(TestSample.dir().toUri()),
          lake.getFileSystem(conf), lake, false, conf));
      assertTrue(Files.isDirectory(s3.dataDir().resolve("lake/sample/zendesk/user/_delta_log")), s3.log());

      Path jobConf = Files.writeString(work.resolve("s3.conf"),
          IdentityJoinJobTest.config("s3a://lake/sample", "s3a://warehouse/parquet", "parquet") + """
              identity-join.hadoop-conf {
                "fs.s3a.endpoint" = "%s"
                "fs.s3a.path.style.access" = true
                "fs.s3a.connection.ssl.enabled" = false
                "fs.s3a.aws.credentials.provider" = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
                "fs.s3a.access.key" = ${?%s}
                "fs.s3a.secret.key" = ${?%s}
              }
              """.formatted(s3.endpoint(), ACCESS_KEY_ENV, SECRET_KEY_ENV));
      IdentityJoinJobTest.Outcome parquet = IdentityJoinJobTest.run("--config", jobConf.toString());
      assertEquals(0, parquet.code(), parquet.err() + s3.log());
      IdentityJoinJobTest.Outcome delta = IdentityJoinJobTest.run("--config", jobConf.toString(),
          "--set", "output.format=delta", "--set", "output.path=s3a://warehouse/delta");
      assertEquals(0, delta.code(), delta.err() + s3.log());
      assertFalse(shared.conf().getOption("fs.s3a.endpoint").isDefined(),
          "the job's hadoop-conf is taken off the session after the run");

      // Written through s3proxy: the objects are in its filesystem backend.
      Path warehouse = s3.dataDir().resolve("warehouse");
      assertTrue(Files.isRegularFile(warehouse.resolve("delta/identity_map/_delta_log/00000000000000000000.json")));
      assertTrue(Files.isRegularFile(warehouse.resolve("parquet/run_summary.json")));
      try (Stream<Path> files = Files.walk(warehouse.resolve("parquet/identity_map"))) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet")));
      }
      assertFalse(Files.exists(warehouse.resolve("parquet/_staging")), "the Parquet swap finished");

      // Both formats hold the same tables, one row per input record.
      long records = mine.read().option("multiLine", "true").json("s3a://warehouse/delta/run_summary.json")
          .select("records").first().getLong(0);
      assertTrue(records > 1000, "the 300-person sample has ~1,200 records");
      for (String table : CompareCommand.TABLES) {
        Dataset<Row> p = mine.read().parquet("s3a://warehouse/parquet/" + table);
        Dataset<Row> d = mine.read().format("delta").load("s3a://warehouse/delta/" + table);
        CompareCommand.Difference diff = CompareCommand.difference(table, p, d);
        assertTrue(diff.same(), diff.toString());
        if (table.equals(OutputSettings.IDENTITY_MAP)) {
          assertEquals(records, diff.rowsA());
        }
      }

      // Delta commits on s3a go through the single-driver log store (what the README tells users to set).
      DeltaLog log = DeltaLog.forTable(mine, "s3a://warehouse/delta/identity_map");
      org.apache.spark.sql.delta.storage.LogStore store =
          ((DelegatingLogStore) log.store()).getDelegate(new org.apache.hadoop.fs.Path("s3a://warehouse/delta"));
      assertEquals("io.delta.storage.S3SingleDriverLogStore",
          ((LogStoreAdaptor) store).logStoreImpl().getClass().getName());
    }
  }
}
