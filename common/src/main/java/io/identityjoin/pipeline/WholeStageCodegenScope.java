package io.identityjoin.pipeline;

import io.identityjoin.config.ExecutionSettings;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's whole-stage code generation ({@value #CONF}) on or off for one run, as
 * {@code identity-join.execution} says, and the session's own setting put back by {@link #close}.
 *
 * <p>Why by input size: Spark generates and compiles Java (Janino, then the JIT) for every stage of
 * every query, and a run is over a hundred queries. On a small input that compiling is a large part
 * of the run (1,000 records: 26 s with it, 16 s without); the compiled code's speed only counts
 * when there are many rows to run it on (at 2M records the two were even here; docs/BENCHMARKS.md).
 * Results are the same either way: Spark runs the same operators, interpreted.
 */
public final class WholeStageCodegenScope implements AutoCloseable {

  public static final String CONF = "spark.sql.codegen.wholeStage";
  private static final Logger LOG = LoggerFactory.getLogger(WholeStageCodegenScope.class);

  private final RuntimeConfig conf;
  /** The session's setting as the run changed it; empty when the run leaves it as it is. */
  private final Optional<SessionSetting> changed;

  private WholeStageCodegenScope(RuntimeConfig conf, Optional<SessionSetting> changed) {
    this.conf = conf;
    this.changed = changed;
  }

  /**
   * @param rowsRead rows read from all sources together (before suppression and guards)
   */
  public static WholeStageCodegenScope forRun(SparkSession spark, ExecutionSettings settings, long rowsRead) {
    RuntimeConfig conf = spark.conf();
    Optional<Boolean> wanted = switch (settings.wholeStageCodegen()) {
      case ON -> Optional.of(true);
      case OFF -> Optional.of(false);
      case AUTO -> rowsRead < settings.wholeStageCodegenMinRows() ? Optional.of(false) : Optional.empty();
    };
    if (wanted.isEmpty()) {
      return new WholeStageCodegenScope(conf, Optional.empty());
    }
    LOG.info("whole-stage code generation {} for this run ({} rows read; execution.whole-stage-codegen = {}, "
        + "whole-stage-codegen-min-rows = {})", wanted.get() ? "on" : "off", String.format(Locale.ROOT, "%,d",
        rowsRead), settings.wholeStageCodegen().configName(), settings.wholeStageCodegenMinRows());
    return new WholeStageCodegenScope(conf, Optional.of(SessionSetting.set(conf, CONF, wanted.get().toString())));
  }

  /** Whether the run's queries use whole-stage code generation. */
  public boolean enabled() {
    return Boolean.parseBoolean(conf.get(CONF, "true"));
  }

  /** Puts the session's setting back; a second call does nothing. */
  @Override
  public void close() {
    changed.ifPresent(SessionSetting::restore);
  }
}
