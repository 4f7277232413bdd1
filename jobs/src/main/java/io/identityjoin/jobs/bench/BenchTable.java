package io.identityjoin.jobs.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's printed tables: one per size, then the growth of the series. */
final class BenchTable {

  private BenchTable() {}

  /** Median of the values; null if any is null (a capped run) or there are none. */
  static Double median(List<Double> values) {
    if (values.isEmpty() || values.stream().anyMatch(v -> v == null)) {
      return null;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static long medianLong(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** The peak live heap, "-" when no full collection ran in the phase (see {@link PhaseMetrics}). */
  static String live(long bytes) {
    return bytes == 0 ? "-" : bytes(bytes);
  }

  static String seconds(Double s) {
    return s == null ? "> cap" : String.format(Locale.ROOT, "%.1f s", s);
  }

  static String format(BenchCommand.SizeResult r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%n%,d records (%,d rows generated%s); median of %d%n", r.records(),
        r.rows(), r.summary() == null ? "" : String.format(Locale.ROOT, ", %,d persons found", r.summary().persons()),
        r.repeat()));
    b.append(String.format(Locale.ROOT, "%-14s %10s %9s %13s %13s %11s %11s%n", "run", "wall s", "x floor",
        "shuffle read", "shuffle write", "peak heap", "peak live"));
    Double floor = r.median(BenchCommand.COPY_FLOOR);
    for (Map.Entry<String, List<PhaseMetrics.Figures>> e : r.figures().entrySet()) {
      List<PhaseMetrics.Figures> f = e.getValue();
      if (f.isEmpty()) {
        String why = e.getKey().equals(BenchCommand.SEED_SQL) && r.recipeCappedAt() != null
            && r.recipeCappedAt() < r.records()
            ? String.format(Locale.ROOT, "> %d  (not run: it hit the cap at %,d records)", r.seedSqlCap(),
                r.recipeCappedAt())
            : "skipped";
        b.append(String.format(Locale.ROOT, "%-14s %10s%n", e.getKey(), why));
        continue;
      }
      Double s = r.median(e.getKey());
      String wall = s == null ? "> " + r.seedSqlCap() : String.format(Locale.ROOT, "%.1f", s);
      String ratio = s == null || floor == null ? "-" : String.format(Locale.ROOT, "%.2f", s / floor);
      b.append(String.format(Locale.ROOT, "%-14s %10s %9s %13s %13s %11s %11s%n", e.getKey(), wall, ratio,
          bytes(medianLong(f.stream().map(PhaseMetrics.Figures::shuffleReadBytes).toList())),
          bytes(medianLong(f.stream().map(PhaseMetrics.Figures::shuffleWriteBytes).toList())),
          bytes(f.stream().mapToLong(PhaseMetrics.Figures::peakHeapBytes).max().orElse(0)),
          live(f.stream().mapToLong(PhaseMetrics.Figures::peakLiveHeapBytes).max().orElse(0))));
    }
    Double ij = r.median(BenchCommand.IDENTITY_JOIN);
    Double seed = r.median(BenchCommand.SEED_SQL);
    Double cc = r.median(BenchCommand.CC);
    Double gx = r.median(BenchCommand.GRAPHX_CC);
    if (ij != null && seed != null) {
      b.append(String.format(Locale.ROOT, "identity-join is %.1fx faster than the seed recipe%n", seed / ij));
    } else if (ij != null && !r.figures().get(BenchCommand.SEED_SQL).isEmpty()) {
      b.append(String.format(Locale.ROOT, "identity-join is more than %.1fx faster than the seed recipe (capped)%n",
          r.seedSqlCap() / ij));
    }
    if (cc != null && gx != null) {
      b.append(String.format(Locale.ROOT, "connected components: %.1fx faster than GraphX on %,d edges; "
          + "same partition: %s%n", gx / cc, r.edges(), r.ccSamePartition()));
    }
    return b.toString();
  }

  /** identity-join's time growth from the smallest to the largest size of the series. */
  @SuppressWarnings("unchecked")
  static String growth(List<Map<String, Object>> results) {
    if (results.size() < 2) {
      return "";
    }
    Map<String, Object> first = results.get(0);
    Map<String, Object> last = results.get(results.size() - 1);
    Double a = (Double) ((Map<String, Object>) first.get("runs")).get(BenchCommand.IDENTITY_JOIN);
    Double z = (Double) ((Map<String, Object>) last.get("runs")).get(BenchCommand.IDENTITY_JOIN);
    if (a == null || z == null) {
      return "";
    }
    double x = ((Number) last.get("records")).doubleValue() / ((Number) first.get("records")).doubleValue();
    return String.format(Locale.ROOT, "%ngrowth: %.1fx the records cost %.2fx the identity-join time%n", x, z / a);
  }

  static String bytes(long n) {
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.0f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.0f MiB", n / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
  }
}
