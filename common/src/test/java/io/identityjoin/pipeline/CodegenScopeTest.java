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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code execution.whole-stage-codegen}: what a run sets (whole-stage code generation, and the
 * expressions interpreted when it is off), what it puts back, and that results do not depend on it.
 */
@ExtendWith(SparkSessionExtension.class)
class CodegenScopeTest {

  private static final String CONF = CodegenScope.CONF;
  private static final String FACTORY_MODE = CodegenScope.FACTORY_MODE;

  @AfterEach
  void sessionDefault(SparkSession spark) {
    spark.conf().unset(CONF);
    spark.conf().unset(FACTORY_MODE);
  }

  @Test
  void referenceConfTurnsItOffForRunsUnderAMillionRows() {
    assertEquals(new ExecutionSettings(WholeStageCodegen.AUTO, 1_000_000), SettingsLoader.defaultExecution());
  }

  @Test
  void aSmallRunHasItOffUntilReleasedAndAFailedRunPutsTheSessionsSettingBack(SparkSession spark) {
    spark.conf().set(CONF, "true");
    Fixtures f = Fixtures.threeSmallSources(spark, new ExecutionSettings(WholeStageCodegen.AUTO, 7));
    Dataset<Row> map = f.runAndRelease(r -> {
      // 6 rows read, under 7: off while the caller verifies and writes the tables.
      assertEquals("false", spark.conf().get(CONF));
      assertFalse(r.codegen().enabled());
      assertTrue(r.codegen().expressionsInterpreted());
    });
    assertEquals("true", spark.conf().get(CONF));
    assertEquals("FALLBACK", spark.conf().get(FACTORY_MODE));
    f.assertRunFailsOverBrokenPrevious(map);
    assertEquals("true", spark.conf().get(CONF));
  }

  @Test
  void autoTurnsItOffUnderTheMinimumAndOtherwiseLeavesTheSessionAsItIs(SparkSession spark) {
    ExecutionSettings auto = new ExecutionSettings(WholeStageCodegen.AUTO, 1_000);
    spark.conf().set(CONF, "true");
    spark.conf().set(FACTORY_MODE, "CODEGEN_ONLY");
    try (CodegenScope under = CodegenScope.forRun(spark, auto, 999)) {
      assertFalse(under.enabled());
      assertTrue(under.expressionsInterpreted());
      assertEquals("false", spark.conf().get(CONF));
      assertEquals("NO_CODEGEN", spark.conf().get(FACTORY_MODE));
    }
    assertEquals("true", spark.conf().get(CONF));
    assertEquals("CODEGEN_ONLY", spark.conf().get(FACTORY_MODE));
    spark.conf().unset(FACTORY_MODE);
    try (CodegenScope at = CodegenScope.forRun(spark, auto, 1_000)) {
      assertTrue(at.enabled());
      assertFalse(at.expressionsInterpreted());
      assertEquals("FALLBACK", spark.conf().get(FACTORY_MODE), "left as the session has it");
    }
    // A session with it off (the user's choice) keeps it off.
    spark.conf().set(CONF, "false");
    try (CodegenScope over = CodegenScope.forRun(spark, auto, 5_000)) {
      assertFalse(over.enabled());
    }
    assertEquals("false", spark.conf().get(CONF));
  }

  @Test
  void onAndOffForceItForTheRunOnly(SparkSession spark) {
    spark.conf().set(CONF, "false");
    try (CodegenScope on = CodegenScope.forRun(spark,
        new ExecutionSettings(WholeStageCodegen.ON, 1_000_000), 10)) {
      assertTrue(on.enabled());
      assertFalse(on.expressionsInterpreted());
    }
    assertEquals("false", spark.conf().get(CONF));

    spark.conf().unset(CONF);
    CodegenScope off = CodegenScope.forRun(spark, new ExecutionSettings(WholeStageCodegen.OFF, 0),
        5_000_000);
    assertFalse(off.enabled());
    assertTrue(off.expressionsInterpreted());
    off.close();
    off.close(); // twice is harmless
    assertTrue(Boolean.parseBoolean(spark.conf().get(CONF, "true")), "back to Spark's default, on");
    assertEquals("FALLBACK", spark.conf().get(FACTORY_MODE), "back to Spark's default");
  }

  @Test
  void theTablesAreTheSameWithAndWithoutIt(SparkSession spark) {
    Map<String, Dataset<Row>> sample = SampleGenerator.tables(spark, SampleOptions.defaults().withPersons(100));
    List<String> on = tables(spark, sample, WholeStageCodegen.ON);
    List<String> off = tables(spark, sample, WholeStageCodegen.OFF);
    assertTrue(on.size() > 300, "identity_map and user_identities rows: " + on.size());
    assertEquals(on, off);
  }

  /** identity_map's and user_identities' rows as sorted text, from a run with codegen as given. */
  private static List<String> tables(SparkSession spark, Map<String, Dataset<Row>> sample, WholeStageCodegen mode) {
    Fixtures f = Fixtures.sampleSources(spark, sample, new ExecutionSettings(mode, 0));
    IdentityResolution.Result r = f.run();
    try {
      assertEquals(mode == WholeStageCodegen.ON, r.codegen().enabled());
      assertEquals(mode == WholeStageCodegen.OFF, r.codegen().expressionsInterpreted());
      return java.util.stream.Stream.concat(r.identityMap().collectAsList().stream(),
          r.userIdentities().collectAsList().stream()).map(Row::toString).sorted().toList();
    } finally {
      r.release();
    }
  }
}
