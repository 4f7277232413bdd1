package io.identityjoin.pipeline;

import java.util.Optional;
import org.apache.spark.sql.RuntimeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * One Spark setting of the session changed for a run, and put back as it was by {@link #restore}.
 * The run's settings change its speed or its files' layout, never its rows; a session that refuses
 * one (a platform that lets jobs set only some settings, or a static one) keeps its own value, and
 * the run goes on without the change, logged with the session's reason.
 */
public final class SessionSetting {

  private static final Logger LOG = LoggerFactory.getLogger(SessionSetting.class);

  private final RuntimeConfig conf;
  private final String key;
  private final Optional<String> before;
  /** The session refused the setting: nothing to put back. */
  private final boolean refused;
  private boolean restored;

  private SessionSetting(RuntimeConfig conf, String key, Optional<String> before, boolean refused) {
    this.conf = conf;
    this.key = key;
    this.before = before;
    this.refused = refused;
    this.restored = refused;
  }

  /**
   * Sets {@code key} to {@code value}, remembering what the session had (a value, or none). If the
   * session refuses, nothing is changed: a warning names the setting and the reason, and
   * {@link #applied} is false.
   */
  public static SessionSetting set(RuntimeConfig conf, String key, String value) {
    Optional<String> before;
    try {
      Option<String> current = conf.getOption(key);
      before = current.isDefined() ? Optional.of(current.get()) : Optional.empty();
      conf.set(key, value);
    } catch (Exception e) {
      // Spark's AnalysisException is checked in Java's terms but not declared: caught as Exception.
      LOG.warn("the Spark session refused {} = {} ({}); the run goes on with the session's own value, which "
          + "changes its speed, not its results", key, value, e.getMessage());
      return new SessionSetting(conf, key, Optional.empty(), true);
    }
    return new SessionSetting(conf, key, before, false);
  }

  /** Whether the session took the setting (and {@link #restore} has something to put back). */
  public boolean applied() {
    return !refused;
  }

  /** Puts the session's own setting back; a second call does nothing. */
  public void restore() {
    if (restored) {
      return;
    }
    restored = true;
    if (before.isPresent()) {
      conf.set(key, before.get());
    } else {
      conf.unset(key);
    }
  }
}
