package io.identityjoin.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.identityjoin.IdentityJoinException;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parses HOCON into {@link Settings}: {@code --set} overrides beat the {@code --config} file,
 * which beats {@code application.conf}, which beats {@code reference.conf}. Every problem is an
 * {@link IdentityJoinException} that names the key.
 */
public final class SettingsLoader {

  public static final String ROOT = "identity-join";

  /** Source names become folder names and column names ({@code <source>_id}). */
  private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private SettingsLoader() {}

  /** Loads the layered config: overrides (key=value) over the file (may be null) over defaults. */
  public static Settings load(File configFile, List<String> overrides) {
    Config file = ConfigFactory.empty();
    if (configFile != null) {
      if (!configFile.isFile()) {
        throw new IdentityJoinException("--config: no such file '" + configFile + "'");
      }
      try {
        file = ConfigFactory.parseFile(configFile, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new IdentityJoinException("--config " + configFile + ": " + e.getMessage(), e);
      }
    }
    Config layered = overrides(overrides)
        .withFallback(file)
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReference(SettingsLoader.class.getClassLoader()));
    try {
      return fromConfig(layered.resolve());
    } catch (ConfigException e) {
      throw new IdentityJoinException(e.getMessage(), e);
    }
  }

  /** {@code key=value} pairs; a key without the {@code identity-join.} prefix gets it. */
  static Config overrides(List<String> pairs) {
    Config config = ConfigFactory.empty();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IdentityJoinException("--set " + pair + ": expected key=value");
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1);
      if (!key.startsWith(ROOT + ".")) {
        key = ROOT + "." + key;
      }
      try {
        config = config.withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + pair));
      } catch (ConfigException e) {
        throw new IdentityJoinException("--set " + pair + ": " + e.getMessage(), e);
      }
    }
    return config;
  }

  /** Parses and validates an already resolved config holding an {@code identity-join} block. */
  public static Settings fromConfig(Config root) {
    if (!root.hasPath(ROOT)) {
      throw new IdentityJoinException("the config has no '" + ROOT + "' block");
    }
    Config c = root.getConfig(ROOT);
    Config defaults = c.getConfig("source-defaults");

    if (!c.hasPath("sources") || c.getObject("sources").isEmpty()) {
      throw new IdentityJoinException(ROOT + ".sources: no sources configured");
    }
    List<SourceSettings> sources = new ArrayList<>();
    // ConfigObject keeps no order; sort for deterministic column order in user_identities.
    for (String name : c.getObject("sources").keySet().stream().sorted().toList()) {
      sources.add(source(name, c.getValue("sources." + name), defaults));
    }

    String anchor = requiredString(c, "anchor");
    if (sources.stream().noneMatch(s -> s.name().equals(anchor))) {
      throw new IdentityJoinException(ROOT + ".anchor: '" + anchor + "' is not among the sources ("
          + String.join(", ", sources.stream().map(SourceSettings::name).toList()) + ")");
    }
    // Put the anchor first: it is the reference every other source links to.
    sources.sort((a, b) -> Boolean.compare(!a.name().equals(anchor), !b.name().equals(anchor)));
    SourceSettings anchorSource = sources.get(0);
    if (anchorSource.externalIdColumn().isPresent()) {
      throw new IdentityJoinException(anchorSource.key("external-id-column")
          + ": the anchor source cannot have an external-id column (external ids point at the anchor's ids)");
    }

    long broadcastThreshold = bytes(c, "joins.broadcast-threshold");
    OutputSettings output = output(c);
    checkPartitionColumn(output, sources);
    Settings.ComponentsSettings components = new Settings.ComponentsSettings(
        nonNegativeLong(c, "components.driver-finish-max-edges"),
        positiveInt(c, "components.checkpoint-every"),
        positiveInt(c, "components.max-rounds"));

    Optional<Settings.SampleSettings> sample = Optional.empty();
    if (c.getBoolean("sample.generate-if-absent")) {
      sample = Optional.of(new Settings.SampleSettings(
          requiredString(c, "sample.dir"),
          positiveLong(c, "sample.persons"),
          c.getLong("sample.seed")));
    }
    return new Settings(anchor, sources, broadcastThreshold, output, components, sample, suppression(c),
        hadoopConf(c), guards(c), execution(c));
  }

  /** The optional suppression list: a table of e-mails and/or (source, id) pairs. */
  private static Optional<SuppressionSettings> suppression(Config c) {
    if (!c.hasPath("suppression.path") || c.getString("suppression.path").isBlank()) {
      return Optional.empty();
    }
    String prefix = ROOT + ".";
    SuppressionSettings s = new SuppressionSettings(
        TableFormat.parse(requiredString(c, "suppression.format"), SuppressionSettings.KEY + ".format"),
        requiredString(c, "suppression.path"),
        optionalString(c, "suppression.email-column", prefix),
        optionalString(c, "suppression.source-column", prefix),
        optionalString(c, "suppression.id-column", prefix));
    if (s.sourceColumn().isPresent() != s.idColumn().isPresent()) {
      throw new IdentityJoinException(SuppressionSettings.KEY + ": source-column and id-column go together "
          + "(a record is a (source, id) pair)");
    }
    if (s.emailColumn().isEmpty() && s.idColumn().isEmpty()) {
      throw new IdentityJoinException(SuppressionSettings.KEY + ": set email-column, or source-column and "
          + "id-column, or all three");
    }
    return Optional.of(s);

  }

  /**
   * {@code hadoop-conf}: Hadoop keys with their values, whether written quoted
   * ({@code "fs.s3a.endpoint" = ...}) or nested ({@code fs.s3a.endpoint = ...}). A leading
   * {@code spark.hadoop.} is dropped, so keys copied from spark-submit lines work too. A key whose
   * {@code ${?ENV}} value is unset is simply absent.
   */
  static Map<String, String> hadoopConf(Config c) {
    Map<String, String> conf = new TreeMap<>();
    if (c.hasPath("hadoop-conf")) {
      flatten(c.getObject("hadoop-conf"), "", conf);
    }
    return conf;
  }

  private static void flatten(ConfigObject object, String prefix, Map<String, String> into) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String key = prefix + e.getKey();
      ConfigValue v = e.getValue();
      switch (v.valueType()) {
        case OBJECT -> flatten((ConfigObject) v, key + ".", into);
        case NULL -> { }
        case LIST -> throw new IdentityJoinException(ROOT + ".hadoop-conf.\"" + key
            + "\": expected a string, number or boolean, got a list");
        default -> into.put(key.startsWith("spark.hadoop.") ? key.substring("spark.hadoop.".length()) : key,
            String.valueOf(v.unwrapped()));
      }
    }
  }


  /** The execution block as reference.conf (and application.conf) set it: what a run gets by default. */
  public static ExecutionSettings defaultExecution() {
    return execution(defaults());
  }

  private static ExecutionSettings execution(Config c) {
    return new ExecutionSettings(
        ExecutionSettings.WholeStageCodegen.parse(requiredString(c, "execution.whole-stage-codegen"),
            ROOT + ".execution.whole-stage-codegen"),
        nonNegativeLong(c, "execution.whole-stage-codegen-min-rows"),
        positiveLong(c, "execution.rows-per-write-task"),
        positiveLong(c, "execution.rows-per-input-partition"),
        bool(c, "execution.compress-caches", ROOT + "."),
        nonNegativeLong(c, "execution.side-by-side-max-rows"));
  }

  /** The guards as reference.conf (and application.conf) set them: what a run gets by default. */
  public static GuardSettings defaultGuards() {
    return guards(defaults());
  }

  /** reference.conf under application.conf, resolved: the {@code identity-join} block. */
  private static Config defaults() {
    return ConfigFactory.defaultApplication()
        .withFallback(ConfigFactory.defaultReference(SettingsLoader.class.getClassLoader())).resolve()
        .getConfig(ROOT);
  }

  private static GuardSettings guards(Config c) {
    String p = ROOT + ".guards.";
    Config g = c.getConfig("guards");
    List<String> emailPatterns = patterns(g, "blocked-email-patterns", p);
    List<String> idPatterns = patterns(g, "blocked-external-id-patterns", p);
    long maxAnchors = cap(g, "max-anchor-ids-per-person", p);
    return new GuardSettings(
        lowerCased(g.getStringList("blocked-emails")), emailPatterns,
        lowerCased(g.getStringList("blocked-external-ids")), idPatterns,
        cap(g, "max-records-per-email", p), cap(g, "max-records-per-external-id", p),
        maxAnchors == Long.MAX_VALUE ? 0 : maxAnchors);
  }

  private static List<String> lowerCased(List<String> values) {
    return values.stream().map(v -> v.trim().toLowerCase(java.util.Locale.ROOT)).toList();
  }

  private static List<String> patterns(Config g, String key, String prefix) {
    List<String> values = g.getStringList(key);
    for (String v : values) {
      try {
        Pattern.compile(v);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IdentityJoinException(prefix + key + ": '" + v + "' is not a regular expression: "
            + e.getDescription(), e);
      }
    }
    return values;
  }

  /** A positive record count, or "unlimited". */
  private static long cap(Config g, String key, String prefix) {
    if (g.getString(key).trim().equalsIgnoreCase("unlimited")) {
      return Long.MAX_VALUE;
    }
    long v;
    try {
      v = g.getLong(key);
    } catch (ConfigException.WrongType e) {
      throw new IdentityJoinException(prefix + key + ": expected a positive number or \"unlimited\"", e);
    }
    if (v <= 0) {
      throw new IdentityJoinException(prefix + key + ": must be positive or \"unlimited\", got " + v);
    }
    return v;
  }

  private static SourceSettings source(String name, ConfigValue value, Config defaults) {
    String prefix = ROOT + ".sources." + name;
    if (!SOURCE_NAME.matcher(name).matches()) {
      throw new IdentityJoinException(prefix + ": a source name must start with a letter and hold only "
          + "letters, digits and '_' (it names folders and columns)");
    }
    if (name.equals("person")) {
      throw new IdentityJoinException(prefix + ": 'person' is reserved (its id column would clash with person_id)");
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw new IdentityJoinException(prefix + ": expected an object { format, path, id-column, ... }");
    }
    Config s = ((ConfigObject) value).toConfig().withFallback(defaults);
    String keyPrefix = prefix + ".";
    TableFormat format = TableFormat.parse(requiredString(s, "format", keyPrefix), keyPrefix + "format");
    String path = requiredString(s, "path", keyPrefix);
    String idColumn = requiredString(s, "id-column", keyPrefix);
    Optional<String> email = optionalString(s, "email-column", keyPrefix);
    Optional<String> externalId = optionalString(s, "external-id-column", keyPrefix);
    JoinStrategy strategy = JoinStrategy.parse(requiredString(s, "join-strategy", keyPrefix), keyPrefix + "join-strategy");
    Map<String, String> options = new LinkedHashMap<>();
    if (s.hasPath("options")) {
      for (Map.Entry<String, ConfigValue> e : s.getObject("options").entrySet()) {
        options.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
      }
    }
    if (bool(s, "ignore-corrupt-files", keyPrefix)) {
      options.put(SourceSettings.IGNORE_CORRUPT_FILES_OPTION, "true");
    }
    return new SourceSettings(name, format, path, idColumn, email, externalId, strategy, options);
  }

  private static OutputSettings output(Config c) {
    String path = requiredString(c, "output.path");
    TableFormat format = TableFormat.parse(requiredString(c, "output.format"), ROOT + ".output.format");
    Optional<String> partitionBy = optionalString(c, "output.user-identities-partition-by", ROOT + ".");
    int buckets = positiveInt(c, "output.person-buckets");
    EmailMode email = EmailMode.parse(requiredString(c, "output.email"), ROOT + ".output.email");
    Optional<String> saltEnv = optionalString(c, "output.email-salt-env", ROOT + ".");
    if (saltEnv.isPresent() && email != EmailMode.SHA256) {
      throw new IdentityJoinException(ROOT + ".output.email-salt-env: a salt only applies to output.email = sha256");
    }
    return new OutputSettings(path, format, partitionBy, buckets, email, saltEnv);
  }

  /** user_identities can only be partitioned by one of its scalar columns. */
  private static void checkPartitionColumn(OutputSettings output, List<SourceSettings> sources) {
    output.userIdentitiesPartitionBy().ifPresent(column -> {
      List<String> allowed = new ArrayList<>(List.of("person_bucket"));
      if (output.email() == EmailMode.PLAIN) {
        allowed.add("email");
      }
      sources.forEach(s -> allowed.add(s.name() + "_id"));
      if (!allowed.contains(column)) {
        throw new IdentityJoinException(ROOT + ".output.user-identities-partition-by: '" + column
            + "' is not a column of user_identities (one of " + String.join(", ", allowed) + ", or \"\" for none)");
      }
    });
  }

  private static String requiredString(Config c, String key) {
    return requiredString(c, key, ROOT + ".");
  }

  private static String requiredString(Config c, String key, String keyPrefix) {
    if (!c.hasPath(key)) {
      throw new IdentityJoinException(keyPrefix + key + ": missing (required)");
    }
    String v;
    try {
      v = c.getString(key);
    } catch (ConfigException.WrongType e) {
      throw new IdentityJoinException(keyPrefix + key + ": expected a string", e);
    }
    if (v.isBlank()) {
      throw new IdentityJoinException(keyPrefix + key + ": must not be blank");
    }
    return v.trim();
  }

  private static Optional<String> optionalString(Config c, String key, String keyPrefix) {
    if (!c.hasPath(key)) {
      return Optional.empty();
    }
    String v = c.getString(key);
    return v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static boolean bool(Config c, String key, String keyPrefix) {
    try {
      return c.hasPath(key) && c.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw new IdentityJoinException(keyPrefix + key + ": expected true or false", e);
    }
  }

  private static long bytes(Config c, String key) {
    try {
      return c.getBytes(key);
    } catch (ConfigException e) {
      throw new IdentityJoinException(ROOT + "." + key + ": expected a size such as 64MiB", e);
    }
  }

  private static int positiveInt(Config c, String key) {
    int v = c.getInt(key);
    if (v <= 0) {
      throw new IdentityJoinException(ROOT + "." + key + ": must be positive, got " + v);
    }
    return v;
  }

  private static long positiveLong(Config c, String key) {
    long v = c.getLong(key);
    if (v <= 0) {
      throw new IdentityJoinException(ROOT + "." + key + ": must be positive, got " + v);
    }
    return v;
  }

  private static long nonNegativeLong(Config c, String key) {
    long v = c.getLong(key);
    if (v < 0) {
      throw new IdentityJoinException(ROOT + "." + key + ": must not be negative, got " + v);
    }
    return v;
  }
}
