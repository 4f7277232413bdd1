package io.identityjoin.pipeline;

import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Names the Spark jobs a piece of the run starts, so that Spark's UI (and its listeners, e.g.
 * {@code bin/bench --profile}) shows "identity-join guards: hub e-mails" rather than the call site
 * of a checkpoint. Spark's job description is a thread-local property of the context; it is set
 * for the duration of the work and restored afterwards, and nested names are joined with ": ".
 */
public final class JobDescription {

  /** Spark's local property that {@link SparkContext#setJobDescription} sets. */
  public static final String PROPERTY = "spark.job.description";
  static final String PREFIX = "identity-join ";

  private JobDescription() {}

  /** Runs {@code work} with its jobs described as {@code name}, under the enclosing description if any. */
  public static <T> T during(String name, Supplier<T> work) {
    scala.Option<SparkSession> session = SparkSession.getActiveSession();
    if (session.isEmpty()) {
      return work.get();
    }
    SparkContext sc = session.get().sparkContext();
    String before = sc.getLocalProperty(PROPERTY);
    sc.setLocalProperty(PROPERTY, before != null && before.startsWith(PREFIX) ? before + ": " + name : PREFIX + name);
    try {
      return work.get();
    } finally {
      sc.setLocalProperty(PROPERTY, before);
    }
  }
}
