package io.identityjoin.config;

import java.util.Optional;

/**
 * The suppression list ({@code identity-join.suppression}): a table of e-mail addresses and/or
 * (source, id) pairs whose records are kept out of linking and out of the outputs. At least the
 * e-mail column or both the source and id columns are set.
 */
public record SuppressionSettings(
    TableFormat format,
    String path,
    Optional<String> emailColumn,
    Optional<String> sourceColumn,
    Optional<String> idColumn) {

  public static final String KEY = SettingsLoader.ROOT + ".suppression";

  /** The config key of a field of the suppression block, for error messages. */
  public String key(String field) {
    return KEY + "." + field;
  }
}
