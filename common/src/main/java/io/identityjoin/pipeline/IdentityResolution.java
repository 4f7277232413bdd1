package io.identityjoin.pipeline;

import static org.apache.spark.sql.functions.current_timestamp;

import io.identityjoin.config.GuardSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.core.AnchorProtection;
import io.identityjoin.core.BlockedValues;
import io.identityjoin.core.ComponentLookup;
import io.identityjoin.core.EmailLinks;
import io.identityjoin.core.ExternalIdLinks;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.HubCap;
import io.identityjoin.core.LinkConflicts;
import io.identityjoin.core.PersonComponents;
import io.identityjoin.core.SourceRecords;
import io.identityjoin.core.Suppression;
import io.identityjoin.graph.ConnectedComponents;
import io.identityjoin.output.IdentityMap;
import io.identityjoin.output.PersonIdAssignment;
import io.identityjoin.output.PersonAssembly;
import io.identityjoin.output.PersonMerges;
import io.identityjoin.output.UserIdentities;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The identity rules end to end, from the sources' tables (as {@link io.identityjoin.read.SourceReader}
 * returns them) to the two output tables and the run's counts. Reads and writes nothing itself;
 * it caches what it uses more than once and materializes stage by stage so that the stage
 * timings mean something.
 */
public final class IdentityResolution {

  /**
   * The tables to write, cached, the counts of the run and what the guards did. Call
   * {@link #release()} after writing.
   */
  public record Result(Dataset<Row> identityMap, Dataset<Row> userIdentities, Dataset<Row> personMerges,
      RunSummary summary, GuardReport guards, NamedCaches cached, CodegenScope codegen,
      CacheCompressionScope compression, Optional<ComponentLookup> lookup) {
    /** Drops the caches and puts the session's code generation and cache compression settings back. */
    public void release() {
      try {
        cached.release(identityMap.sparkSession());
        lookup.ifPresent(ComponentLookup::release);
      } finally {
        codegen.close();
        compression.close();
      }
    }
  }

  private IdentityResolution() {}

  /**
   * @param tables source name to its table (columns as the reader selected them), for every source
   *     in {@code settings}
   */
  public static Result run(Map<String, Dataset<Row>> tables, Settings settings, String runId, StageClock clock) {
    return run(tables, Optional.empty(), settings, runId, clock);
  }

  /**
   * @param suppressionList the suppression list as {@link Suppression#list} returns it, if any:
   *     its records are removed before linking (see {@link Suppression})
   */
  public static Result run(Map<String, Dataset<Row>> tables, Optional<Dataset<Row>> suppressionList,
      Settings settings, String runId, StageClock clock) {
    return run(tables, suppressionList, settings, runId, clock, Optional.empty());
  }

  /**
   * @param previous what earlier runs published: ids are kept from it ({@link PersonIdAssignment})
   *     and {@code personMerges} lists what changed; empty for a first run
   */
  public static Result run(Map<String, Dataset<Row>> tables, Optional<Dataset<Row>> suppressionList,
      Settings settings, String runId, StageClock clock, Optional<PersonIdAssignment.Previous> previous) {
    NamedCaches cached = new NamedCaches();
    GuardSettings guards = settings.guards();
    Dataset<Row> rows = recordRows(tables, settings);
    // From here on, until the caller releases the result (after writing), caches are compressed as
    // the settings say, and (once the rows are counted) codegen is.
    CacheCompressionScope compression = CacheCompressionScope.forRun(rows.sparkSession(), settings.execution());
    CodegenScope codegen = null;
    try {
      Dataset<Row> read = clock.time("read", () -> cached.cache(BlockedValues.flag(rows, guards), "read"));
      // The per-source row counts fill the cache (as a count would) and are all the summary needs of it.
      Map<String, long[]> rowCounts = clock.time("read", () -> RunCounts.rowsPerSource(read));
      long rowsRead = rowCounts.values().stream().mapToLong(c -> c[0]).sum();
      codegen = CodegenScope.forRun(read.sparkSession(), settings.execution(), rowsRead);
      Dataset<Row> input = InputPartitions.atMost(read, rowsRead, settings.execution().rowsPerInputPartition());
      return resolve(read, input, rowCounts, suppressionList, settings, runId, clock, previous, cached, codegen,
          compression);
    } catch (RuntimeException | Error e) {
      if (codegen != null) {
        codegen.close();
      }
      compression.close();
      throw e;
    }
  }

  /**
   * @param cachedRead the cached read rows, released once the link rows are kept
   * @param read the same rows as the run partitions them ({@link InputPartitions})
   */
  private static Result resolve(Dataset<Row> cachedRead, Dataset<Row> read, Map<String, long[]> rowCounts,
      Optional<Dataset<Row>> suppressionList, Settings settings,
      String runId, StageClock clock, Optional<PersonIdAssignment.Previous> previous, NamedCaches cached,
      CodegenScope codegen, CacheCompressionScope compression) {
    Kept kept = new Kept();
    GuardSettings guards = settings.guards();
    Optional<Suppressed> suppressed = suppressionList.map(list -> clock.time("read", () -> {
      Suppression.Matches m = Suppression.matches(read, list);
      Dataset<Row> records = cached.cache(m.records(), "suppressed");
      records.count();
      // Counted now, while the read rows are cached (they are dropped once the link rows are kept).
      return new Suppressed(records, m.addresses().count());
    }));
    Dataset<Row> rows = suppressed.map(m -> Suppression.apply(read, m.records())).orElse(read);

    // Guards before links: blocked values and hub values are withheld from the link rules.
    Dataset<Row> withheld = BlockedValues.withheld(rows);
    long rowsRead = rowCounts.values().stream().mapToLong(c -> c[0]).sum();
    // A small input's jobs leave the cores idle between them (the driver plans and schedules each
    // one): independent tables are kept side by side there (SideBySide).
    SideBySide sideBySide = SideBySide.forInput(rowsRead, settings.execution());
    List<Dataset<Row>> hubs = clock.time("guards", () -> sideBySide.run(List.of(
        () -> kept.keep("hub e-mails", HubCap.emailHubs(withheld, guards, rowsRead, settings.broadcastThresholdBytes())),
        () -> kept.keep("hub external ids", HubCap.externalIdHubs(withheld, settings, rowsRead)))));
    Dataset<Row> emailHubs = hubs.get(0);
    Dataset<Row> externalIdHubs = hubs.get(1);
    // A checkpoint, not a projection of the cached rows even when no value is a hub: every later plan
    // would carry the read cache, and Spark's plan strings (built for every query) grow with each
    // cache nested in another, until they fill the heap (PlanSizeTest).
    Dataset<Row> linkRows = clock.time("guards", () -> kept.keep("link rows",
        HubCap.withheld(withheld, emailHubs, kept.count(emailHubs), externalIdHubs, kept.count(externalIdHubs),
            settings.broadcastThresholdBytes())));

    // Everything later reads the kept link rows (and the suppressed records, cached apart): the read
    // rows' cache goes now rather than at the end of the run.
    cached.release(cachedRead);

    // The external ids with the anchor record each names, or none: the links, and later the dangling
    // ids, are read from this one checkpoint (the links as a filter of it, counted, not stored again).
    Dataset<Row> externalIdMatches = clock.time("link",
        () -> kept.keep("external-id matches", ExternalIdLinks.matches(linkRows, settings)));
    Dataset<Row> externalIdLinks = clock.time("link",
        () -> kept.counted("external-id links", ExternalIdLinks.links(externalIdMatches)));
    Dataset<Row> allEmailLinks = clock.time("link",
        () -> kept.keep("e-mail links", EmailLinks.of(linkRows, externalIdLinks,
            OptionalLong.of(kept.count(externalIdLinks)), settings)));

    ConnectedComponents.Result first = clock.time("components", () -> components(externalIdLinks, allEmailLinks,
        settings));
    Dataset<Row> dropped = clock.time("guards", () -> guards.anchorProtection()
        ? kept.keep("anchor protection", AnchorProtection.droppedLinks(externalIdLinks, allEmailLinks, first.components(),
            guards.maxAnchorIdsPerPerson()))
        : kept.none(allEmailLinks));
    boolean anyDropped = kept.count(dropped) > 0;
    Dataset<Row> emailLinks = anyDropped
        ? kept.keep("e-mail links kept", allEmailLinks.join(dropped, allEmailLinks.col(ExternalIdLinks.SRC).equalTo(dropped.col(ExternalIdLinks.SRC))
            .and(allEmailLinks.col(ExternalIdLinks.DST).equalTo(dropped.col(ExternalIdLinks.DST))), "left_anti"))
        : allEmailLinks;
    ConnectedComponents.Result components = anyDropped
        ? clock.time("components", () -> components(externalIdLinks, emailLinks, settings))
        : first;

    // The evidence (LinkEvidence) is worked out as identity_map is assembled, person by person
    // (PersonAssembly); the findings are kept here.
    List<Dataset<Row>> findings = clock.time("evidence", () -> sideBySide.run(List.of(
        () -> kept.keep("dangling external ids", LinkConflicts.dangling(externalIdMatches)),
        () -> kept.keep("e-mail conflicts", LinkConflicts.emailConflicts(linkRows, externalIdLinks, settings)))));
    Dataset<Row> dangling = findings.get(0);
    Dataset<Row> conflicts = findings.get(1);

    return clock.time("assemble", () -> {
      Dataset<Row> flags = GuardFlags.ofFindings(dangling, conflicts, dropped);
      // IdentityMap.of's rows, assembled per person from the link rows themselves (a record's rows are
      // grouped in the fold, not in a records table first): each partition holds whole persons, their
      // rows in (source, source_id) order, which a first run's user_identities folds without a shuffle.
      // The rows carry the records' two counted columns until published.
      // The driver's labels, when it labelled the whole graph and they fit the broadcast threshold, are
      // looked up rather than joined: the records then go through the person shuffle alone.
      Optional<ComponentLookup> lookup = ComponentLookup.of(linkRows.sparkSession(), components,
          settings.broadcastThresholdBytes());
      Dataset<Row> provisional = lookup.isPresent()
          ? PersonAssembly.identityMap(linkRows, lookup.get(), externalIdLinks, emailLinks, flags, settings.anchor())
          : PersonAssembly.identityMap(linkRows, components.components(), externalIdLinks, emailLinks, flags,
              settings.anchor());
      // With a previous run, the ids are assigned on who is in which person (records and components:
      // one join, inside the checkpoint of the matches) and kept as a leaf, so identity_map's plan holds
      // the provisional plan once. Assigned on the provisional table itself, identity_map's plan held it
      // three times, and the plans built on it (user_identities, person_merges) grew to millions of
      // characters, which Spark renders for every query and every adaptive update: a re-run took twice
      // as long as a first run. This run's records meet the previous run's once (a join of every
      // record), on the provisional ids: the matches give the ids and, mapped through them, the
      // ledger's overlaps.
      Optional<Dataset<Row>> matches = previous.map(p -> kept.keep("matches with the previous run",
          PersonIdAssignment.matches(p.identityMap(),
              IdentityMap.members(IdentityMap.records(linkRows), components.components()))));
      Optional<Dataset<Row>> ids = previous.map(p -> kept.keep("person ids",
          PersonIdAssignment.idsFromMatches(matches.get(), p, runId)));
      // In a first run every person's first_seen_run and last_changed_run are this run: added after
      // the cache instead of stored in it for every record (at 4M records about 190 MiB of the
      // uncompressed cache, see execution.compress-caches).
      Dataset<Row> assembled = ids.isPresent()
          ? cached.cache(PersonIdAssignment.apply(provisional, ids.get()), "identity_map")
          : PersonIdAssignment.assign(cached.cache(provisional, "identity_map"), Optional.empty(), runId);
      Dataset<Row> identityMap = PersonAssembly.published(assembled);
      // A re-run's ids come from a join, which moves the rows: its user_identities shuffles them by person.
      Dataset<Row> userIdentities = cached.cache(ids.isPresent()
          ? UserIdentities.of(identityMap, settings)
          : UserIdentities.ofPersonRuns(identityMap, settings), "user_identities");
      Dataset<Row> personMerges = previous
          .map(p -> PersonMerges.fromOverlaps(p.identityMap(),
              kept.keep("ledger overlaps", PersonIdAssignment.stableOverlaps(matches.get(), ids.get())), runId,
              current_timestamp()))
          .orElseGet(() -> PersonMerges.empty(identityMap.sparkSession()));
      cached.cache(personMerges, "person_merges");
      // Once identity_map is filled, the links and components it was assembled from are read by
      // nothing else (the summary has their counts): their checkpoints go before user_identities' cache
      // fills, the largest job of this stage, instead of staying on the heap through it and the writes.
      RunCounts counts = RunCounts.of(rowCounts, RunCounts.recordsPerSource(linkRows), assembled, userIdentities, runId,
          () -> List.of(externalIdMatches, allEmailLinks, emailLinks, first.components(), components.components())
              .forEach(LocalCheckpoints::release));
      GuardReport guardReport = GuardReport.collect(linkRows, emailHubs, externalIdHubs, dropped, dangling,
          conflicts, kept::count, counts);
      RunSummary summary = summarize(suppressed, counts, kept.count(externalIdLinks), kept.count(emailLinks),
          components, settings, runId, PersonIdChanges.of(counts.ids(), personMerges), guardReport.counts());
      // The guard report was the last reader of the rest of the link stage: those checkpoints go before
      // the verification and the writes. (A re-run's matches, ids and overlaps stay: person_merges is
      // computed from them as it is written.)
      List.of(emailHubs, externalIdHubs, linkRows, dropped, dangling, conflicts).forEach(LocalCheckpoints::release);
      return new Result(identityMap, userIdentities, personMerges, summary, guardReport, cached, codegen,
          compression, lookup);
    });
  }

  /** Every source's record rows (rule 1, {@link SourceRecords}) in one Dataset, not cached. */
  public static Dataset<Row> recordRows(Map<String, Dataset<Row>> tables, Settings settings) {
    Dataset<Row> all = null;
    for (SourceSettings source : settings.sources()) {
      Dataset<Row> r = SourceRecords.of(tables.get(source.name()), source);
      all = all == null ? r : all.unionByName(r);
    }
    return all;
  }

  private static ConnectedComponents.Result components(Dataset<Row> externalIdLinks, Dataset<Row> emailLinks,
      Settings settings) {
    ConnectedComponents.Result r = PersonComponents.of(externalIdLinks.unionByName(emailLinks), settings);
    r.components().count();
    return r;
  }

  /**
   * Materialized intermediate tables and their row counts (so nothing is counted twice). They are
   * local checkpoints, not caches: a checkpoint's plan is a leaf, so the plans built on top of it
   * stay small. With caches, each later plan would carry the whole lineage of every input, many
   * times over (the record rows feed the hubs, both link rules, the evidence and the findings), and
   * Spark's planning time grows with that.
   */
  private record Kept(Map<Dataset<Row>, Long> counts) {
    Kept() {
      // Synchronized: SideBySide keeps tables from several threads.
      this(Collections.synchronizedMap(new IdentityHashMap<>()));
    }

    Dataset<Row> keep(String name, Dataset<Row> ds) {
      return JobDescription.during(name, () -> {
        // Not eager: the count materializes it (an eager checkpoint would run one more job).
        Dataset<Row> c = ds.localCheckpoint(false);
        counts.put(c, c.count());
        return c;
      });
    }

    /** No rows, with the columns of {@code like}; counted without a job. */
    Dataset<Row> none(Dataset<Row> like) {
      Dataset<Row> empty = like.limit(0);
      counts.put(empty, 0L);
      return empty;
    }

    /** A table over kept ones (a filter or projection of a checkpoint), counted once, not stored again. */
    Dataset<Row> counted(String name, Dataset<Row> ds) {
      return JobDescription.during(name, () -> {
        counts.put(ds, ds.count());
        return ds;
      });
    }

    long count(Dataset<Row> ds) {
      Long n = counts.get(ds);
      return n != null ? n : ds.count();
    }
  }

  /** The suppressed records (cached) and how many listed addresses the input has. */
  private record Suppressed(Dataset<Row> records, long addresses) {}

  private static RunSummary summarize(Optional<Suppressed> suppressed, RunCounts counts,
      long externalIdLinks, long emailLinks, ConnectedComponents.Result components, Settings settings, String runId,
      PersonIdChanges personIds, GuardReport.Counts guards) {
    // Across sources, not within each: a zendesk and a stripe record with one hash are as bad.
    if (counts.vertexCollisions() > 0) {
      // Two (source, id) pairs with one 64-bit hash would silently merge two people: refuse instead.
      throw new IllegalStateException(counts.vertexCollisions()
          + " record vertex hash collisions; please report this input");
    }
    Map<String, long[]> rowCounts = counts.rows();
    Map<String, long[]> recordCounts = counts.records();
    Map<String, Map<String, Long>> rules = counts.rules();
    Map<String, Long> suppressedCounts = new HashMap<>();
    suppressed.ifPresent(m -> m.records().groupBy(SourceRecords.SOURCE).count().collectAsList()
        .forEach(r -> suppressedCounts.put(r.getString(0), r.getLong(1))));
    List<RunSummary.SourceCounts> perSource = new ArrayList<>();
    for (SourceSettings s : settings.sources()) {
      long[] rc = rowCounts.getOrDefault(s.name(), new long[3]);
      long[] rec = recordCounts.getOrDefault(s.name(), new long[3]);
      Map<String, Long> byRule = new LinkedHashMap<>();
      for (String rule : List.of("anchor", "external_id", "email", "unmatched")) {
        byRule.put(rule, rules.getOrDefault(s.name(), Map.of()).getOrDefault(rule, 0L));
      }
      long suppressedRecords = suppressedCounts.getOrDefault(s.name(), 0L);
      // Records read: suppression removes whole records, and nothing else removes any.
      perSource.add(new RunSummary.SourceCounts(s.name(), rc[0], rc[1], rec[0], rc[2], rec[1],
          rec[2], byRule, rec[0] + suppressedRecords, suppressedRecords));
    }
    long[] p = counts.persons();
    if (p[3] != p[0]) {
      // Two persons under one id (or one without) would merge them downstream: refuse instead.
      throw new IllegalStateException((p[0] - p[3]) + " persons without a unique person_id;"
          + " please report this input");
    }
    return new RunSummary(runId, settings.anchor(), settings.output().path(), settings.output().format().sparkName(),
        perSource, externalIdLinks, emailLinks, p[0], p[1], p[2], components.rounds(), components.finishedOnDriver(),
        Map.of(),
        new RunSummary.Safeguards(suppressed.map(Suppressed::addresses).orElse(0L), Map.of(), Optional.empty()),
        personIds, guards);
  }
}
