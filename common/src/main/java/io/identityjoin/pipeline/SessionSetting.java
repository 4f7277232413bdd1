package io.identityjoin.pipeline;

import java.util.Optional;
import org.apache.spark.sql.RuntimeConfig;
import scala.Option;

/** One Spark setting of the session changed for a run, and put back as it was by {@link #restore}. */
public final class SessionSetting {

  private final RuntimeConfig conf;
  private final String key;
  private final Optional<String> before;
  private boolean restored;

  private SessionSetting(RuntimeConfig conf, String key, Optional<String> before) {
    this.conf = conf;
    this.key = key;
    this.before = before;
  }

  /** Sets {@code key} to {@code value}, remembering what the session had (a value, or none). */
  public static SessionSetting set(RuntimeConfig conf, String key, String value) {
    Option<String> current = conf.getOption(key);
    SessionSetting s = new SessionSetting(conf, key, current.isDefined() ? Optional.of(current.get()) : Optional.empty());
    conf.set(key, value);
    return s;
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
