package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class JobDescriptionTest {

  /** One Spark job (an RDD count: no adaptive stages). */
  private static long job(SparkSession spark) {
    return spark.sparkContext().range(0L, 3L, 1L, 1).count();
  }

  @Test
  void aRunsSparkJobsAreNamedAfterItsStageAndStepAndTheNameIsRestoredAfterwards(SparkSession spark)
      throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        seen.add(String.valueOf(start.properties().getProperty(JobDescription.PROPERTY)));
      }
    };
    spark.sparkContext().addSparkListener(listener);
    try {
      new StageClock().time("guards", () -> {
        job(spark);
        JobDescription.during("hub e-mails", () -> job(spark));
        job(spark);
      });
      job(spark);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertEquals(List.of("identity-join guards", "identity-join guards: hub e-mails", "identity-join guards", "null"),
        seen);
    assertNull(spark.sparkContext().getLocalProperty(JobDescription.PROPERTY));
  }
}
