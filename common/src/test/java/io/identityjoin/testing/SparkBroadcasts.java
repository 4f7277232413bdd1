package io.identityjoin.testing;

import org.apache.spark.sql.SparkSession;

/** Runs test code with Spark's own broadcast thresholds off, and puts the session's back. */
public final class SparkBroadcasts {

  private static final String[] THRESHOLDS = {"spark.sql.autoBroadcastJoinThreshold",
      "spark.sql.adaptive.autoBroadcastJoinThreshold"};

  private SparkBroadcasts() {}

  /** With both thresholds at -1, whatever is broadcast was asked for by the code under test. */
  public static void off(SparkSession spark, Runnable body) {
    String[] before = new String[THRESHOLDS.length];
    for (int i = 0; i < THRESHOLDS.length; i++) {
      before[i] = spark.conf().get(THRESHOLDS[i], null);
      spark.conf().set(THRESHOLDS[i], "-1");
    }
    try {
      body.run();
    } finally {
      for (int i = 0; i < THRESHOLDS.length; i++) {
        if (before[i] == null) {
          spark.conf().unset(THRESHOLDS[i]);
        } else {
          spark.conf().set(THRESHOLDS[i], before[i]);
        }
      }
    }
  }
}
