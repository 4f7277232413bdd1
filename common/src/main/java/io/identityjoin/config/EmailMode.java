package io.identityjoin.config;

import io.identityjoin.IdentityJoinException;
import java.util.Locale;

/**
 * How the output tables carry e-mail addresses ({@code output.email}): as they are, as a SHA-256
 * hash of the normalized address, or not at all. Linking always uses the addresses themselves.
 */
public enum EmailMode {
  PLAIN("plain"),
  SHA256("sha256"),
  DROP("drop");

  private final String configName;

  EmailMode(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  static EmailMode parse(String value, String key) {
    for (EmailMode m : values()) {
      if (m.configName.equals(value.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IdentityJoinException(key + ": unknown e-mail mode '" + value + "' (expected plain, sha256 or drop)");
  }
}
