package io.identityjoin.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a run read, linked and produced: printed at the end and written as
 * {@code run_summary.json} beside the tables. Counts only, never an e-mail or id value.
 */
public record RunSummary(
    String runId,
    String anchor,
    String outputPath,
    String outputFormat,
    List<SourceCounts> sources,
    long externalIdLinks,
    long emailLinks,
    long persons,
    long personsWithSeveralRecords,
    long largestPerson,
    int componentRounds,
    boolean componentsFinishedOnDriver,
    Map<String, Double> stageSeconds,
    Safeguards safeguards,
    PersonIdChanges personIds,
    GuardReport.Counts guards) {

  /**
   * Per-source counts. {@code matchRules} maps anchor/external_id/email/unmatched to records.
   * {@code recordsRead} counts the distinct non-blank ids read, {@code records} those kept
   * (read minus {@code recordsSuppressed}).
   */
  public record SourceCounts(
      String source,
      long rowsRead,
      long rowsSkippedBlankId,
      long records,
      long rowsWithUnusableEmail,
      long recordsWithEmail,
      long recordsWithExternalId,
      Map<String, Long> matchRules,
      long recordsRead,
      long recordsSuppressed) {

    /** Records whose external id named no anchor record (they fell back to e-mail). */
    public long recordsWithDanglingExternalId() {
      return recordsWithExternalId - matchRules.getOrDefault("external_id", 0L);
    }
  }

  /**
   * What the run kept out and checked: listed addresses found in the input (their records are
   * suppressed), unreadable files skipped per source ({@code ignore-corrupt-files}), and the output
   * invariant once the job has checked it.
   */
  public record Safeguards(long suppressedAddressesFound, Map<String, Long> corruptFilesSkipped,
      Optional<OutputInvariant.Result> invariant) {
    public static final Safeguards NONE = new Safeguards(0, Map.of(), Optional.empty());

    public Safeguards {
      corruptFilesSkipped = Map.copyOf(corruptFilesSkipped);
    }

    public Safeguards withCorruptFilesSkipped(Map<String, Long> skipped) {
      return new Safeguards(suppressedAddressesFound, skipped, invariant);
    }

    public Safeguards withInvariant(OutputInvariant.Result result) {
      return new Safeguards(suppressedAddressesFound, corruptFilesSkipped, Optional.of(result));
    }
  }

  public RunSummary withSafeguards(Safeguards s) {
    return new RunSummary(runId, anchor, outputPath, outputFormat, sources, externalIdLinks, emailLinks, persons,
        personsWithSeveralRecords, largestPerson, componentRounds, componentsFinishedOnDriver, stageSeconds, s,
        personIds, guards);
  }

  public long recordsSuppressed() {
    return sources.stream().mapToLong(SourceCounts::recordsSuppressed).sum();
  }

  public long recordsTotal() {
    return sources.stream().mapToLong(SourceCounts::records).sum();
  }

  public RunSummary withStageSeconds(Map<String, Double> seconds) {
    return new RunSummary(runId, anchor, outputPath, outputFormat, sources, externalIdLinks, emailLinks, persons,
        personsWithSeveralRecords, largestPerson, componentRounds, componentsFinishedOnDriver,
        new LinkedHashMap<>(seconds), safeguards, personIds, guards);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("anchor", anchor);
    m.put("output", Map.of("path", outputPath, "format", outputFormat));
    m.put("records", recordsTotal());
    List<Map<String, Object>> perSource = sources.stream().map(s -> {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("source", s.source());
      sm.put("rows_read", s.rowsRead());
      sm.put("rows_skipped_blank_id", s.rowsSkippedBlankId());
      sm.put("records", s.records());
      sm.put("rows_with_unusable_email", s.rowsWithUnusableEmail());
      sm.put("records_with_email", s.recordsWithEmail());
      sm.put("records_with_external_id", s.recordsWithExternalId());
      sm.put("records_with_dangling_external_id", s.recordsWithDanglingExternalId());
      sm.put("match_rules", new LinkedHashMap<>(s.matchRules()));
      sm.put("records_read", s.recordsRead());
      sm.put("records_suppressed", s.recordsSuppressed());
      sm.put("corrupt_files_skipped", safeguards.corruptFilesSkipped().getOrDefault(s.source(), 0L));
      return sm;
    }).toList();
    m.put("sources", perSource);
    m.put("links", Map.of("external_id", externalIdLinks, "email", emailLinks));
    Map<String, Object> persons = new LinkedHashMap<>();
    persons.put("persons", this.persons);
    persons.put("with_several_records", personsWithSeveralRecords);
    persons.put("largest", largestPerson);
    m.put("persons", persons);
    m.put("person_ids", personIds.toMap());
    m.put("components", Map.of("rounds", componentRounds, "finished_on_driver", componentsFinishedOnDriver));
    m.put("guards", guards.toMap());
    m.put("stage_seconds", new LinkedHashMap<>(stageSeconds));
    Map<String, Object> guards = new LinkedHashMap<>();
    guards.put("records_suppressed", recordsSuppressed());
    guards.put("suppressed_addresses_found", safeguards.suppressedAddressesFound());
    guards.put("corrupt_files_skipped", safeguards.corruptFilesSkipped().values().stream().mapToLong(Long::longValue)
        .sum());
    safeguards.invariant().ifPresent(inv -> {
      Map<String, Object> im = new LinkedHashMap<>();
      im.put("holds", inv.holds());
      im.put("identity_map_rows", inv.mapRows());
      im.put("sources", inv.sources().stream().map(c -> {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("source", c.source());
        cm.put("records_read", c.recordsRead());
        cm.put("records_suppressed", c.recordsSuppressed());
        cm.put("identity_map_rows", c.mapRows());
        cm.put("duplicate_rows", c.duplicateRows());
        return cm;
      }).toList());
      guards.put("invariant", im);
    });
    m.put("safeguards", guards);
    return m;
  }

  public String toJson() {
    return PrettyJson.of(toMap());
  }

  /** The summary as people read it at the end of a run. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "identity-join run %s: %,d records from %d sources -> %,d persons%n",
        runId, recordsTotal(), sources.size(), persons));
    b.append(String.format(Locale.ROOT, "%-14s %10s %8s %10s %8s %10s %8s %8s %10s%n", "source", "rows", "skipped",
        "records", "bad-mail", "anchor", "ext-id", "email", "unmatched"));
    for (SourceCounts s : sources) {
      Map<String, Long> r = s.matchRules();
      b.append(String.format(Locale.ROOT, "%-14s %,10d %,8d %,10d %,8d %,10d %,8d %,8d %,10d%n", s.source(),
          s.rowsRead(), s.rowsSkippedBlankId(), s.records(), s.rowsWithUnusableEmail(), r.getOrDefault("anchor", 0L),
          r.getOrDefault("external_id", 0L), r.getOrDefault("email", 0L), r.getOrDefault("unmatched", 0L)));
    }
    b.append(String.format(Locale.ROOT, "links: %,d by external id, %,d by e-mail; persons with several records: %,d;"
        + " largest person: %,d records; components: %d rounds%s%n", externalIdLinks, emailLinks,
        personsWithSeveralRecords, largestPerson, componentRounds, componentsFinishedOnDriver ? " (driver finish)" : ""));
    b.append(String.format(Locale.ROOT, "guards: %,d records with a blocked e-mail, %,d with a blocked external id;"
        + " %,d hub e-mails (%,d records), %,d hub external ids (%,d records); %,d e-mail links dropped;"
        + " %,d records with a dangling external id, %,d with an e-mail conflict%n", guards.blockedEmailRecords(),
        guards.blockedExternalIdRecords(), guards.hubEmails(), guards.hubEmailRecords(), guards.hubExternalIds(),
        guards.hubExternalIdRecords(), guards.droppedEmailLinks(), guards.danglingExternalIdRecords(),
        guards.emailConflictRecords()));
    b.append(String.format(Locale.ROOT, "person ids: %,d created, %,d kept (%,d changed); previous ids: %,d merged,"
        + " %,d split, %,d deleted%n", personIds.created(), personIds.kept(), personIds.changed(), personIds.merged(),
        personIds.split(), personIds.deleted()));
    long corrupt = safeguards.corruptFilesSkipped().values().stream().mapToLong(Long::longValue).sum();
    b.append(String.format(Locale.ROOT, "safeguards: %,d records suppressed (%,d listed addresses found); %,d "
        + "unreadable files skipped; invariant %s%n", recordsSuppressed(), safeguards.suppressedAddressesFound(),
        corrupt, safeguards.invariant().map(OutputInvariant.Result::describe).orElse("not checked")));
    b.append("stages (s):");
    stageSeconds.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.1f", k, v)));
    b.append(String.format(Locale.ROOT, "%noutput: %s (%s)%n", outputPath, outputFormat));
    return b.toString();
  }
}
