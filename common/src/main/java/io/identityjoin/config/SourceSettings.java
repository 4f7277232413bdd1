package io.identityjoin.config;

import java.util.Map;
import java.util.Optional;

/**
 * One source's user table: where it is and which columns carry the id, the e-mail and the
 * external id. Parsed from {@code identity-join.sources.<name>} over {@code source-defaults}.
 */
public record SourceSettings(
    String name,
    TableFormat format,
    String path,
    String idColumn,
    Optional<String> emailColumn,
    Optional<String> externalIdColumn,
    JoinStrategy joinStrategy,
    Map<String, String> readerOptions) {

  public SourceSettings {
    readerOptions = Map.copyOf(readerOptions);
  }

  /** Spark's reader option that skips unreadable files; set by {@code ignore-corrupt-files = true}. */
  public static final String IGNORE_CORRUPT_FILES_OPTION = "ignoreCorruptFiles";

  /** True when unreadable files of this source are skipped (and counted) rather than failing the run. */
  public boolean ignoresCorruptFiles() {
    return readerOptions.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase(IGNORE_CORRUPT_FILES_OPTION)
        && e.getValue().trim().equalsIgnoreCase("true"));
  }

  /** The config key of a field of this source, for error messages. */
  public String key(String field) {
    return "identity-join.sources." + name + "." + field;
  }
}
