package io.identityjoin.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import io.identityjoin.core.SourceRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The check a run makes on its own output before publishing it: every input record with a
 * non-blank id that was not suppressed appears exactly once in identity_map. Per source, the
 * records read minus the records suppressed equal identity_map's rows, and no (source, source_id)
 * is there twice. A run whose output fails it publishes nothing.
 */
public final class OutputInvariant {

  /** One source's side of the check. */
  public record SourceCheck(String source, long recordsRead, long recordsSuppressed, long mapRows,
      long duplicateRows) {
    public boolean holds() {
      return recordsRead - recordsSuppressed == mapRows && duplicateRows == 0;
    }
  }

  /** The outcome: counts only. */
  public record Result(List<SourceCheck> sources) {
    public Result {
      sources = List.copyOf(sources);
    }

    public boolean holds() {
      return sources.stream().allMatch(SourceCheck::holds);
    }

    public long mapRows() {
      return sources.stream().mapToLong(SourceCheck::mapRows).sum();
    }

    /** Throws, with the counts of every source that fails, unless the invariant holds. */
    public void requireHolds() {
      if (!holds()) {
        throw new OutputInvariantException(this);
      }
    }

    public String describe() {
      if (holds()) {
        return String.format(Locale.ROOT, "holds: every record read and not suppressed is in identity_map once "
            + "(%,d rows)", mapRows());
      }
      StringBuilder b = new StringBuilder("FAILS:");
      for (SourceCheck s : sources) {
        if (!s.holds()) {
          b.append(String.format(Locale.ROOT, " source '%s': %,d records read - %,d suppressed, but %,d identity_map "
              + "rows (%,d duplicate);", s.source(), s.recordsRead(), s.recordsSuppressed(), s.mapRows(),
              s.duplicateRows()));
        }
      }
      return b.toString();
    }
  }

  /** Raised when the output breaks the invariant; nothing has been published. */
  public static final class OutputInvariantException extends IllegalStateException {
    private final Result result;

    OutputInvariantException(Result result) {
      super("identity_map fails its invariant, nothing was published: " + result.describe());
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }

  private OutputInvariant() {}

  /**
   * @param sources the run's per-source counts: records read and records suppressed (from the input)
   * @param identityMap the identity_map about to be published
   */
  public static Result check(List<RunSummary.SourceCounts> sources, Dataset<Row> identityMap) {
    Map<String, long[]> out = new HashMap<>();
    // Distinct records are counted by their 64-bit hash, the record's vertex, not by the id's text:
    // the shuffle behind the distinct count carries a long per row instead of a string. The count is
    // exact: a run refuses input in which two (source, source_id) pairs share a hash (RunCounts'
    // vertex collisions) before it gets here, and two rows of one record always share theirs. A row
    // without an id is left out of the distinct count, so it counts as a duplicate, as before.
    Column record = SourceRecords.vertex();
    for (Row r : identityMap.groupBy(SourceRecords.SOURCE)
        .agg(count(lit(1)), countDistinct(record)).collectAsList()) {
      out.put(r.getString(0), new long[] {r.getLong(1), r.getLong(1) - r.getLong(2)});
    }
    List<SourceCheck> checks = new ArrayList<>();
    for (RunSummary.SourceCounts s : sources) {
      long[] o = out.remove(s.source());
      checks.add(new SourceCheck(s.source(), s.recordsRead(), s.recordsSuppressed(), o == null ? 0 : o[0],
          o == null ? 0 : o[1]));
    }
    // Rows of a source that was not read are wrong too.
    out.forEach((source, o) -> checks.add(new SourceCheck(source, 0, 0, o[0], o[1])));
    return new Result(checks);
  }
}
