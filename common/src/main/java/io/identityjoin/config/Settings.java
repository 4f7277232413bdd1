package io.identityjoin.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a run needs, parsed and validated once from HOCON by {@link SettingsLoader}.
 *
 * @param sources in the order they were configured; the anchor is one of them
 * @param broadcastThresholdBytes a join side estimated under this size is broadcast (AUTO)
 * @param suppression records and addresses kept out of linking and output (deletion requests)
 * @param hadoopConf Hadoop settings ({@code fs.s3a.endpoint}, ...) set on the session for the run
 *     ({@code identity-join.hadoop-conf}); empty when none
 * @param guards over-merge guards ({@code identity-join.guards})
 * @param execution how Spark executes the run's queries ({@code identity-join.execution})
 */
public record Settings(
    String anchor,
    List<SourceSettings> sources,
    long broadcastThresholdBytes,
    OutputSettings output,
    ComponentsSettings components,
    Optional<SampleSettings> sample,
    Optional<SuppressionSettings> suppression,
    Map<String, String> hadoopConf,
    GuardSettings guards,
    ExecutionSettings execution) {

  public Settings {
    sources = List.copyOf(sources);
    hadoopConf = Map.copyOf(hadoopConf);
  }

  /** As the canonical constructor, with reference.conf's execution settings. */
  public Settings(String anchor, List<SourceSettings> sources, long broadcastThresholdBytes, OutputSettings output,
      ComponentsSettings components, Optional<SampleSettings> sample, Optional<SuppressionSettings> suppression,
      Map<String, String> hadoopConf, GuardSettings guards) {
    this(anchor, sources, broadcastThresholdBytes, output, components, sample, suppression, hadoopConf, guards,
        SettingsLoader.defaultExecution());
  }

  /** Settings without a suppression list or Hadoop settings, with reference.conf's guards. */
  public Settings(String anchor, List<SourceSettings> sources, long broadcastThresholdBytes, OutputSettings output,
      ComponentsSettings components, Optional<SampleSettings> sample) {
    this(anchor, sources, broadcastThresholdBytes, output, components, sample, Optional.empty(), Map.of(),
        SettingsLoader.defaultGuards(), SettingsLoader.defaultExecution());
  }

  public SourceSettings source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no source named " + name));
  }

  public SourceSettings anchorSource() {
    return source(anchor);
  }

  public List<String> sourceNames() {
    return sources.stream().map(SourceSettings::name).toList();
  }

  /** The sources whose records can have an external-ID link (rule 3): not the anchor, with an external-id column. */
  public List<SourceSettings> externalIdSources() {
    return sources.stream().filter(s -> !s.name().equals(anchor) && s.externalIdColumn().isPresent()).toList();
  }

  /**
   * Connected components tuning ({@code identity-join.components}).
   *
   * @param driverFinishMaxEdges when at most this many unresolved edges remain, finish with a
   *     union-find on the driver; 0 keeps every round distributed
   */
  public record ComponentsSettings(long driverFinishMaxEdges, int checkpointEvery, int maxRounds) {}

  /** The embedded sample is generated under {@code dir} before reading, if it is absent. */
  public record SampleSettings(String dir, long persons, long seed) {}
}
