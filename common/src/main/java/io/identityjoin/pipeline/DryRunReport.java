package io.identityjoin.pipeline;

import static org.apache.spark.sql.functions.col;

import io.identityjoin.core.SourceRecords;
import io.identityjoin.output.PersonMerges;
import io.identityjoin.output.RecordMoves;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a run would change, computed without publishing: the run's summary (with its person id
 * counts), how many records would move, join or leave, and the first {@code limit} ledger rows and
 * record moves in a stable order. The full lists go beside it as JSON lines
 * ({@link io.identityjoin.write.DryRunReportWriter}).
 */
public record DryRunReport(RunSummary summary, String reportPath, Map<String, Long> recordChanges,
    List<Map<String, Object>> personMerges, List<Map<String, Object>> recordMoves, int limit) {

  /** Rows of each list kept in {@code dry_run.json}; the JSON-lines folders hold them all. */
  public static final int LIMIT = 1000;
  private static final int PRINTED = 20;

  /**
   * @param personMerges the ledger rows the run would append
   * @param recordMoves output of {@link RecordMoves#of}
   */
  public static DryRunReport of(RunSummary summary, Dataset<Row> personMerges, Dataset<Row> recordMoves,
      String reportPath) {
    Map<String, Long> changes = new LinkedHashMap<>();
    for (String c : List.of("moved", "added", "removed")) {
      changes.put(c, 0L);
    }
    for (Row r : recordMoves.groupBy(RecordMoves.CHANGE).count().collectAsList()) {
      changes.put(r.getString(0), r.getLong(1));
    }
    List<Map<String, Object>> merges = rows(personMerges.drop(PersonMerges.AT).orderBy(
        col(PersonMerges.REASON), col(PersonMerges.OLD_PERSON_ID), col(PersonMerges.NEW_PERSON_ID)));
    List<Map<String, Object>> moves = rows(recordMoves.orderBy(col(RecordMoves.CHANGE), col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID)));
    return new DryRunReport(summary, reportPath, changes, merges, moves, LIMIT);
  }

  private static List<Map<String, Object>> rows(Dataset<Row> ordered) {
    String[] names = ordered.columns();
    return ordered.limit(LIMIT).collectAsList().stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        m.put(names[i], r.get(i));
      }
      return m;
    }).toList();
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dry_run", true);
    m.put("run_id", summary.runId());
    m.put("person_ids", summary.personIds().toMap());
    m.put("records", recordChanges);
    m.put("person_merges", personMerges);
    m.put("record_moves", recordMoves);
    m.put("lists_cut_at", limit);
    m.put("summary", summary.toMap());
    return m;
  }

  public String toJson() {
    return PrettyJson.of(toMap());
  }

  /** The summary, then the changes, the first few of each list, and where the report is. */
  public String toText() {
    StringBuilder b = new StringBuilder(summary.toText());
    b.append(String.format(Locale.ROOT, "DRY RUN: nothing was published under %s%n", summary.outputPath()));
    b.append(String.format(Locale.ROOT, "records: %,d would move to another person, %,d are new, %,d are gone%n",
        recordChanges.get("moved"), recordChanges.get("added"), recordChanges.get("removed")));
    appendList(b, "person_merges (reason old -> new)", personMerges, r -> r.get(PersonMerges.REASON) + " "
        + r.get(PersonMerges.OLD_PERSON_ID) + " -> " + r.get(PersonMerges.NEW_PERSON_ID));
    appendList(b, "record moves (change source/source_id old -> new)", recordMoves, r -> r.get(RecordMoves.CHANGE)
        + " " + r.get(SourceRecords.SOURCE) + "/" + r.get(SourceRecords.SOURCE_ID) + " "
        + r.get(PersonMerges.OLD_PERSON_ID) + " -> " + r.get(PersonMerges.NEW_PERSON_ID));
    b.append(String.format(Locale.ROOT, "report: %s%n", reportPath));
    return b.toString();
  }

  private static void appendList(StringBuilder b, String title, List<Map<String, Object>> rows,
      Function<Map<String, Object>, String> line) {
    if (rows.isEmpty()) {
      return;
    }
    b.append(title).append(":\n");
    rows.stream().limit(PRINTED).forEach(r -> b.append("  ").append(line.apply(r)).append('\n'));
    if (rows.size() > PRINTED) {
      b.append("  … (see the report)\n");
    }
  }
}
