package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.CapturedLog;
import io.identityjoin.testing.SparkSessionExtension;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run's session settings: put back after the run, and a setting the session refuses skipped with a warning. */
@ExtendWith(SparkSessionExtension.class)
class SessionSettingTest {

  private static final String KEY = "spark.sql.inMemoryColumnarStorage.batchSize";

  @Test
  void aTakenSettingIsPutBackAsTheSessionHadIt(SparkSession spark) {
    RuntimeConfig conf = spark.conf();
    conf.unset(KEY);
    String sparksDefault = conf.get(KEY);
    SessionSetting unsetBefore = SessionSetting.set(conf, KEY, "123");
    assertTrue(unsetBefore.applied());
    assertEquals("123", conf.get(KEY));
    unsetBefore.restore();
    assertEquals(sparksDefault, conf.get(KEY));

    conf.set(KEY, "456");
    SessionSetting setBefore = SessionSetting.set(conf, KEY, "789");
    assertEquals("789", conf.get(KEY));
    setBefore.restore();
    setBefore.restore();
    assertEquals("456", conf.get(KEY));
    conf.unset(KEY);
  }

  /**
   * Spark itself refuses a static SQL setting and a core one through the session's conf (as a
   * platform that lets jobs set only some settings refuses others): the run's change is skipped.
   */
  @Test
  void aSettingTheSessionRefusesIsSkippedWithAWarningNamingIt(SparkSession spark) {
    RuntimeConfig conf = spark.conf();
    for (String refused : new String[] {"spark.sql.warehouse.dir", "spark.executor.memory"}) {
      String before = conf.getOption(refused).isDefined() ? conf.get(refused) : null;
      assertThrows(Exception.class, () -> conf.set(refused, "/somewhere/else"), refused);

      SessionSetting s;
      String log;
      try (CapturedLog captured = new CapturedLog()) {
        s = SessionSetting.set(conf, refused, "/somewhere/else");
        log = captured.text();
      }
      assertFalse(s.applied(), refused);
      assertEquals(before, conf.getOption(refused).isDefined() ? conf.get(refused) : null, refused);
      s.restore();
      assertEquals(before, conf.getOption(refused).isDefined() ? conf.get(refused) : null, refused);
      assertTrue(log.contains("WARN " + SessionSetting.class.getName() + ": the Spark session refused " + refused
          + " = /somewhere/else ("), log);
      assertTrue(log.contains("Cannot modify the value of"), log);
    }
  }
}
