package io.identityjoin.config;

import io.identityjoin.IdentityJoinException;
import java.util.Locale;

/**
 * How a source's link join is executed. AUTO broadcasts the side whose estimated size is under
 * {@code joins.broadcast-threshold}, and sort-merges otherwise.
 */
public enum JoinStrategy {
  AUTO("auto"),
  BROADCAST("broadcast"),
  SORT_MERGE("sort-merge");

  private final String configName;

  JoinStrategy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  static JoinStrategy parse(String value, String key) {
    for (JoinStrategy s : values()) {
      if (s.configName.equals(value.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IdentityJoinException(key + ": unknown join strategy '" + value
        + "' (expected auto, broadcast or sort-merge)");
  }
}
