package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.ExecutionSettings;
import io.identityjoin.config.ExecutionSettings.WholeStageCodegen;
import io.identityjoin.config.SettingsLoader;
import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleOptions;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code execution.compress-caches}: what a run sets, what it puts back, that Spark's caches follow it, and that results do not depend on it. */
@ExtendWith(SparkSessionExtension.class)
class CacheCompressionScopeTest {

  private static final String CONF = CacheCompressionScope.CONF;

  @AfterEach
  void sessionDefault(SparkSession spark) {
    spark.conf().unset(CONF);
  }

  private static ExecutionSettings compress(boolean on) {
    return new ExecutionSettings(WholeStageCodegen.AUTO, 1_000_000, ExecutionSettings.DEFAULT_ROWS_PER_WRITE_TASK,
        ExecutionSettings.DEFAULT_ROWS_PER_INPUT_PARTITION, on);
  }

  @Test
  void referenceConfLeavesTheRunsCachesUncompressed() {
    assertFalse(SettingsLoader.defaultExecution().compressCaches());
  }

  @Test
  void aRunSetsItUntilReleasedAndAFailedRunPutsTheSessionsSettingBack(SparkSession spark) {
    spark.conf().set(CONF, "true");
    Fixtures f = Fixtures.threeSmallSources(spark, SettingsLoader.defaultExecution());
    Dataset<Row> map = f.runAndRelease(r -> {
      assertEquals("false", spark.conf().get(CONF));
      assertFalse(r.compression().compressed());
    });
    assertEquals("true", spark.conf().get(CONF));
    f.assertRunFailsOverBrokenPrevious(map);
    assertEquals("true", spark.conf().get(CONF));

    spark.conf().unset(CONF);
    try (CacheCompressionScope on = CacheCompressionScope.forRun(spark, compress(true))) {
      assertTrue(on.compressed());
      on.close();
      on.close(); // twice is harmless
      assertEquals("true", spark.conf().get(CONF), "unset again: Spark's default");
    }
  }

  @Test
  void sparksCachesFollowItAndTheTablesAreTheSame(SparkSession spark) {
    Map<String, Dataset<Row>> sample = SampleGenerator.tables(spark, SampleOptions.defaults().withPersons(300));
    Run compressed = run(spark, sample, true);
    Run plain = run(spark, sample, false);
    assertTrue(compressed.rows().size() > 900, "identity_map and user_identities rows: " + compressed.rows().size());
    assertEquals(compressed.rows(), plain.rows());
    // The same caches hold more bytes uncompressed: the setting reached Spark's cache builder.
    assertTrue(plain.cachedBytes() > compressed.cachedBytes() * 11 / 10,
        "cached bytes: uncompressed " + plain.cachedBytes() + ", compressed " + compressed.cachedBytes());
  }

  private record Run(List<String> rows, long cachedBytes) {}

  /** identity_map's and user_identities' rows as sorted text, and the bytes cached when they are built. */
  private static Run run(SparkSession spark, Map<String, Dataset<Row>> sample, boolean compressCaches) {
    Fixtures f = Fixtures.sampleSources(spark, sample, compress(compressCaches));
    IdentityResolution.Result r = f.run();
    try {
      assertEquals(compressCaches, r.compression().compressed());
      List<String> rows = Stream.concat(r.identityMap().collectAsList().stream(),
          r.userIdentities().collectAsList().stream()).map(Row::toString).sorted().toList();
      return new Run(rows, cachedBytes(spark));
    } finally {
      r.release();
    }
  }

  /** Bytes in memory of the run's cached tables (not its checkpoints), by the names NamedCaches gives them. */
  private static long cachedBytes(SparkSession spark) {
    long sum = 0;
    for (RDDInfo i : spark.sparkContext().getRDDStorageInfo()) {
      if (i.name().startsWith("In-memory table identity_join_")) {
        sum += i.memSize();
      }
    }
    return sum;
  }
}
