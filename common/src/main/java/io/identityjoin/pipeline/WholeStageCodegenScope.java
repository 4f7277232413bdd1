package io.identityjoin.pipeline;

import io.identityjoin.config.ExecutionSettings;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

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
  private final Optional<String> before;
  private final boolean changed;
  private boolean closed;

  private WholeStageCodegenScope(RuntimeConfig conf, Optional<String> before, boolean changed) {
    this.conf = conf;
    this.before = before;
    this.changed = changed;
  }

  /**
   * @param rowsRead rows read from all sources together (before suppression and guards)
   */
  public static WholeStageCodegenScope forRun(SparkSession spark, ExecutionSettings settings, long rowsRead) {
    RuntimeConfig conf = spark.conf();
    Option<String> current = conf.getOption(CONF);
    Optional<String> before = current.isDefined() ? Optional.of(current.get()) : Optional.empty();
    Optional<Boolean> wanted = switch (settings.wholeStageCodegen()) {
      case ON -> Optional.of(true);
      case OFF -> Optional.of(false);
      case AUTO -> rowsRead < settings.wholeStageCodegenMinRows() ? Optional.of(false) : Optional.empty();
    };
    if (wanted.isEmpty()) {
      return new WholeStageCodegenScope(conf, before, false);
    }
    LOG.info("whole-stage code generation {} for this run ({} rows read; execution.whole-stage-codegen = {}, "
        + "whole-stage-codegen-min-rows = {})", wanted.get() ? "on" : "off", String.format(Locale.ROOT, "%,d",
        rowsRead), settings.wholeStageCodegen().configName(), settings.wholeStageCodegenMinRows());
    conf.set(CONF, wanted.get().toString());
    return new WholeStageCodegenScope(conf, before, true);
  }

  /** Whether the run's queries use whole-stage code generation. */
  public boolean enabled() {
    return Boolean.parseBoolean(conf.get(CONF, "true"));
  }

  /** Puts the session's setting back; a second call does nothing. */
  @Override
  public void close() {
    if (closed || !changed) {
      closed = true;
      return;
    }
    closed = true;
    if (before.isPresent()) {
      conf.set(CONF, before.get());
    } else {
      conf.unset(CONF);
    }
  }
}
