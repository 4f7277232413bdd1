package io.identityjoin.pipeline;

import io.identityjoin.config.ExecutionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's code generation on or off for one run, as {@code identity-join.execution.whole-stage-codegen}
 * says, and the session's own settings put back by {@link #close}. Off means both of Spark's kinds:
 * whole-stage code generation ({@value #CONF}) and the generated projections, predicates and orderings
 * of the operators that run without it ({@value #FACTORY_MODE} {@code = NO_CODEGEN}: Spark's
 * interpreted versions of the same expressions).
 *
 * <p>Why by input size: Spark generates and compiles Java (Janino, then the JIT) for every stage of
 * every query, and a run is over a hundred queries. On a small input that compiling is a large part
 * of the run (1,000 records: 26 s with whole-stage code generation, 16 s without; a warm 67,500-record
 * run 0.8x the time with the expressions interpreted too); the compiled code's speed only counts
 * when there are many rows to run it on (at 2M records the two were even for whole-stage code, and
 * at 1M records for the expressions; docs/BENCHMARKS.md). Results are the same either way: Spark
 * runs the same operators and expressions, interpreted.
 */
public final class CodegenScope implements AutoCloseable {

  public static final String CONF = "spark.sql.codegen.wholeStage";
  /**
   * How Spark creates the expressions' projections, predicates and orderings: {@code FALLBACK} (its
   * default: generated code, interpreted if that fails) or {@code NO_CODEGEN} (interpreted). An
   * internal setting of Spark's, read when a plan's operators are created, on the driver and in tasks
   * alike (Spark passes the query's settings to its tasks).
   */
  public static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";
  static final String INTERPRETED = "NO_CODEGEN";
  private static final Logger LOG = LoggerFactory.getLogger(CodegenScope.class);

  private final RuntimeConfig conf;
  /** The session's settings as the run changed them; empty when the run leaves them as they are. */
  private final List<SessionSetting> changed;

  private CodegenScope(RuntimeConfig conf, List<SessionSetting> changed) {
    this.conf = conf;
    this.changed = changed;
  }

  /**
   * @param rowsRead rows read from all sources together (before suppression and guards)
   */
  public static CodegenScope forRun(SparkSession spark, ExecutionSettings settings, long rowsRead) {
    RuntimeConfig conf = spark.conf();
    List<SessionSetting> changed = new ArrayList<>();
    switch (settings.wholeStageCodegen()) {
      case ON -> changed.add(SessionSetting.set(conf, CONF, "true"));
      case OFF -> off(conf, changed);
      case AUTO -> {
        if (rowsRead < settings.wholeStageCodegenMinRows()) {
          off(conf, changed);
        }
      }
    }
    CodegenScope scope = new CodegenScope(conf, changed);
    if (!changed.isEmpty()) {
      // What the session took (it may refuse a setting, SessionSetting), not what was asked.
      LOG.info("code generation for this run: whole-stage {}, expressions {} ({} rows read; "
          + "execution.whole-stage-codegen = {}, whole-stage-codegen-min-rows = {})", scope.enabled() ? "on" : "off",
          scope.expressionsInterpreted() ? "interpreted" : "compiled", String.format(Locale.ROOT, "%,d", rowsRead),
          settings.wholeStageCodegen().configName(), settings.wholeStageCodegenMinRows());
    }
    return scope;
  }

  private static void off(RuntimeConfig conf, List<SessionSetting> changed) {
    changed.add(SessionSetting.set(conf, CONF, "false"));
    changed.add(SessionSetting.set(conf, FACTORY_MODE, INTERPRETED));
  }

  /** Whether the run's queries use whole-stage code generation. */
  public boolean enabled() {
    return Boolean.parseBoolean(conf.get(CONF, "true"));
  }

  /** Whether the run's expressions are interpreted rather than compiled (outside whole-stage code). */
  public boolean expressionsInterpreted() {
    return INTERPRETED.equalsIgnoreCase(conf.get(FACTORY_MODE, "FALLBACK"));
  }

  /** Puts the session's settings back; a second call does nothing. */
  @Override
  public void close() {
    changed.forEach(SessionSetting::restore);
  }
}
