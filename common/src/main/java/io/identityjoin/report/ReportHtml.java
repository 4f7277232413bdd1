package io.identityjoin.report;

import io.identityjoin.pipeline.GuardReport;
import io.identityjoin.pipeline.RunSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: one self-contained page (inline CSS and SVG charts, no script, no link out) that
 * tells what a run did — match rates, person sizes, the largest persons with the evidence that
 * joined them, the guards that fired, what stayed unmatched, and where the time went. Figures that
 * also appear in run_summary.json carry a {@code data-figure} attribute.
 */
public final class ReportHtml {

  static final List<String> RULES = List.of("anchor", "external_id", "email", "unmatched");
  /** Upper bounds of the person-size buckets; the last bucket is open. */
  private static final long[] SIZE_BOUNDS = {1, 2, 3, 4, 5, 10, 20, 50, 100, 1_000};

  private ReportHtml() {}

  public static String render(RunReport report) {
    RunSummary s = report.summary();
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>identity-join report ").append(esc(s.runId())).append("</title><style>")
        .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}")
        .append("h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}")
        .append("h3{font-size:15px;margin-bottom:4px}table{border-collapse:collapse;margin:8px 0 16px}")
        .append("td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px;text-align:left}")
        .append("td.n{text-align:right}th{background:#f3f3f3}.muted{color:#777}.flag{color:#b00}")
        .append(".cards span{display:inline-block;margin:0 18px 8px 0}.cards b{font-size:18px}")
        .append("</style></head><body>\n");
    b.append("<h1>identity-join run ").append(esc(s.runId())).append("</h1>\n");
    b.append("<p class=\"muted\">anchor <b>").append(esc(s.anchor())).append("</b>; output ")
        .append(esc(s.outputPath())).append(" (").append(esc(s.outputFormat())).append(")</p>\n");
    b.append("<div class=\"cards\" id=\"overview\">")
        .append(card("records", s.recordsTotal(), "records"))
        .append(card("sources", s.sources().size(), "sources"))
        .append(card("persons", s.persons(), "persons"))
        .append(card("persons_with_several_records", s.personsWithSeveralRecords(), "with several records"))
        .append(card("largest_person", s.largestPerson(), "records in the largest"))
        .append(card("external_id_links", s.externalIdLinks(), "external-ID links"))
        .append(card("email_links", s.emailLinks(), "e-mail links"))
        .append("</div>\n");
    matchRates(b, s);
    personSizes(b, report);
    largestPersons(b, report);
    guards(b, report.guards(), s.guards());
    unmatched(b, s);
    timings(b, s);
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void matchRates(StringBuilder b, RunSummary s) {
    b.append("<section id=\"match-rates\"><h2>Match rate by source and rule</h2>\n");
    List<String> sources = new ArrayList<>();
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    RULES.forEach(r -> shares.put(r, new ArrayList<>()));
    for (RunSummary.SourceCounts c : s.sources()) {
      sources.add(c.source());
      for (String rule : RULES) {
        shares.get(rule).add(c.records() == 0 ? 0.0 : 100.0 * c.matchRules().getOrDefault(rule, 0L) / c.records());
      }
    }
    if (!sources.isEmpty()) {
      b.append(ReportCharts.matchRates(sources, shares)).append('\n');
    }
    b.append("<table><tr><th>source</th><th>records</th>");
    RULES.forEach(r -> b.append("<th>").append(r).append("</th>"));
    b.append("<th>matched</th></tr>\n");
    for (RunSummary.SourceCounts c : s.sources()) {
      String key = c.source() + ".";
      b.append("<tr><td>").append(esc(c.source())).append("</td>").append(num(key + "records", c.records()));
      for (String rule : RULES) {
        b.append(num(key + rule, c.matchRules().getOrDefault(rule, 0L)));
      }
      long matched = c.records() - c.matchRules().getOrDefault("unmatched", 0L);
      b.append("<td class=\"n\">").append(percent(matched, c.records())).append("</td></tr>\n");
    }
    b.append("</table><p class=\"muted\">matched: anchor records and records linked to another record.</p>")
        .append("</section>\n");
  }

  private static void personSizes(StringBuilder b, RunReport report) {
    b.append("<section id=\"person-sizes\"><h2>Person sizes</h2>\n");
    List<String> buckets = new ArrayList<>();
    List<Long> persons = new ArrayList<>();
    long lower = 1;
    for (int i = 0; i <= SIZE_BOUNDS.length; i++) {
      long upper = i < SIZE_BOUNDS.length ? SIZE_BOUNDS[i] : Long.MAX_VALUE;
      long n = 0;
      for (Map.Entry<Long, Long> e : report.personsBySize().entrySet()) {
        if (e.getKey() >= lower && e.getKey() <= upper) {
          n += e.getValue();
        }
      }
      if (n > 0) {
        buckets.add(upper == Long.MAX_VALUE ? "> " + fmt(lower - 1)
            : lower == upper ? fmt(lower) : fmt(lower) + "–" + fmt(upper));
        persons.add(n);
      }
      lower = upper + 1;
    }
    if (!buckets.isEmpty()) {
      b.append(ReportCharts.personSizes(buckets, persons)).append('\n');
    }
    b.append("<table><tr><th>records in the person</th><th>persons</th></tr>\n");
    for (int i = 0; i < buckets.size(); i++) {
      b.append("<tr><td>").append(esc(buckets.get(i))).append("</td>").append(num(null, persons.get(i)))
          .append("</tr>\n");
    }
    b.append("</table></section>\n");
  }

  private static void largestPersons(StringBuilder b, RunReport report) {
    b.append("<section id=\"largest-persons\"><h2>The ").append(RunReport.LARGEST)
        .append(" largest persons and their evidence</h2>\n<p class=\"muted\">Each record says which value ")
        .append("(matched by) joined it to which record (linked to); following linked to leads to the ")
        .append("person's anchor record. <code>bin/identity-join explain --source S --id ID</code> prints the ")
        .append("chain for one record.</p>\n");
    for (RunReport.Person p : report.largestPersons()) {
      b.append("<h3>").append(esc(p.personId())).append(" — ").append(fmt(p.recordCount())).append(" records");
      if (p.members().size() < p.recordCount()) {
        b.append(" <span class=\"muted\">(first ").append(p.members().size()).append(" shown)</span>");
      }
      b.append("</h3>\n<table><tr><th>record</th><th>e-mail</th><th>rule</th><th>matched by</th>")
          .append("<th>linked to</th><th>flags</th></tr>\n");
      for (RunReport.Member m : p.members()) {
        b.append("<tr><td>").append(esc(m.source() + "/" + m.sourceId())).append("</td><td>").append(esc(m.email()))
            .append("</td><td>").append(esc(m.matchRule())).append("</td><td>").append(esc(m.matchedBy()))
            .append("</td><td>").append(esc(m.linkedTo())).append("</td><td class=\"flag\">")
            .append(esc(String.join(", ", m.flags()))).append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("</section>\n");
  }

  private static void guards(StringBuilder b, GuardReport g, GuardReport.Counts c) {
    b.append("<section id=\"guards\"><h2>Guards that fired</h2>\n<table>")
        .append(row("guards.blocked_email_records", "records with a blocked e-mail", c.blockedEmailRecords()))
        .append(row("guards.blocked_external_id_records", "records with a blocked external id",
            c.blockedExternalIdRecords()))
        .append(row("guards.hub_emails", "hub e-mails (over max-records-per-email)", c.hubEmails()))
        .append(row("guards.hub_email_records", "records carrying a hub e-mail", c.hubEmailRecords()))
        .append(row("guards.hub_external_ids", "hub external ids (over max-records-per-external-id)",
            c.hubExternalIds()))
        .append(row("guards.hub_external_id_records", "records carrying a hub external id", c.hubExternalIdRecords()))
        .append(row("guards.dropped_email_links", "e-mail links dropped (max-anchor-ids-per-person)",
            c.droppedEmailLinks()))
        .append(row("guards.dangling_external_id_records", "records with an external id naming no anchor record",
            c.danglingExternalIdRecords()))
        .append(row("guards.email_conflict_records", "records whose e-mail names another anchor record than "
            + "their external id", c.emailConflictRecords()))
        .append("</table>\n");
    values(b, "Blocked e-mails", g.blockedEmails());
    values(b, "Blocked external ids", g.blockedExternalIds());
    values(b, "Hub e-mails", g.hubEmails());
    values(b, "Hub external ids", g.hubExternalIds());
    if (!g.droppedLinks().isEmpty()) {
      b.append("<h3>Dropped e-mail links</h3><table><tr><th>record</th><th>e-mail</th><th>record</th></tr>\n");
      g.droppedLinks().forEach(d -> b.append("<tr><td>").append(esc(d.from())).append("</td><td>")
          .append(esc(d.email())).append("</td><td>").append(esc(d.to())).append("</td></tr>\n"));
      b.append("</table>").append(more(g.droppedLinks().size(), c.droppedEmailLinks()));
    }
    if (!g.dangling().isEmpty()) {
      b.append("<h3>Dangling external ids</h3><table><tr><th>record</th><th>external id</th></tr>\n");
      g.dangling().forEach(d -> b.append("<tr><td>").append(esc(d.record())).append("</td><td>")
          .append(esc(d.externalId())).append("</td></tr>\n"));
      b.append("</table>").append(more(g.dangling().size(), c.danglingExternalIdRecords()));
    }
    if (!g.conflicts().isEmpty()) {
      b.append("<h3>E-mail conflicts</h3><table><tr><th>record</th><th>external id (followed)</th>")
          .append("<th>e-mail</th><th>anchor id with that e-mail</th></tr>\n");
      g.conflicts().forEach(x -> b.append("<tr><td>").append(esc(x.record())).append("</td><td>")
          .append(esc(x.externalId())).append("</td><td>").append(esc(x.email())).append("</td><td>")
          .append(esc(x.emailAnchorId())).append("</td></tr>\n"));
      b.append("</table>").append(more(g.conflicts().size(), c.emailConflictRecords()));
    }
    b.append("</section>\n");
  }

  /** A list of values with their record counts (the largest {@value GuardReport#LIST_LIMIT}). */
  private static void values(StringBuilder b, String title, List<GuardReport.ValueCount> values) {
    if (values.isEmpty()) {
      return;
    }
    b.append("<h3>").append(esc(title)).append("</h3><table><tr><th>source</th><th>value</th><th>records</th></tr>\n");
    values.forEach(v -> b.append("<tr><td>").append(v.source() == null ? "all" : esc(v.source())).append("</td><td>")
        .append(esc(v.value())).append("</td>").append(num(null, v.records())).append("</tr>\n"));
    b.append("</table>\n");
  }

  private static String more(int shown, long total) {
    return shown < total ? "<p class=\"muted\">" + shown + " of " + fmt(total) + " shown.</p>\n" : "\n";
  }

  private static void unmatched(StringBuilder b, RunSummary s) {
    b.append("<section id=\"unmatched\"><h2>Unmatched records by source</h2>\n<table><tr><th>source</th>")
        .append("<th>unmatched</th><th>of records</th><th>dangling external id</th><th>rows with unusable e-mail</th>")
        .append("<th>rows skipped (blank id)</th></tr>\n");
    for (RunSummary.SourceCounts c : s.sources()) {
      long u = c.matchRules().getOrDefault("unmatched", 0L);
      b.append("<tr><td>").append(esc(c.source())).append("</td>").append(num(c.source() + ".unmatched", u))
          .append("<td class=\"n\">").append(percent(u, c.records())).append("</td>")
          .append(num(c.source() + ".dangling", c.recordsWithDanglingExternalId()))
          .append(num(c.source() + ".unusable_email", c.rowsWithUnusableEmail()))
          .append(num(c.source() + ".skipped", c.rowsSkippedBlankId())).append("</tr>\n");
    }
    b.append("</table></section>\n");
  }

  private static void timings(StringBuilder b, RunSummary s) {
    b.append("<section id=\"timings\"><h2>Run timings</h2>\n");
    if (!s.stageSeconds().isEmpty()) {
      b.append(ReportCharts.timings(new ArrayList<>(s.stageSeconds().keySet()),
          new ArrayList<>(s.stageSeconds().values()))).append('\n');
    }
    b.append("<table><tr><th>stage</th><th>seconds</th></tr>\n");
    double total = 0;
    for (Map.Entry<String, Double> e : s.stageSeconds().entrySet()) {
      total += e.getValue();
      b.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"n\" data-figure=\"stage.")
          .append(esc(e.getKey())).append("\">").append(String.format(Locale.ROOT, "%.1f", e.getValue()))
          .append("</td></tr>\n");
    }
    b.append("<tr><th>total</th><th>").append(String.format(Locale.ROOT, "%.1f", total)).append("</th></tr>")
        .append("</table><p class=\"muted\">components: ").append(s.componentRounds()).append(" rounds")
        .append(s.componentsFinishedOnDriver() ? ", finished on the driver" : "").append(".</p></section>\n");
  }

  private static String card(String figure, long value, String label) {
    return "<span><b data-figure=\"" + figure + "\">" + fmt(value) + "</b> " + esc(label) + "</span>";
  }

  private static String row(String figure, String label, long value) {
    return "<tr><td>" + esc(label) + "</td>" + num(figure, value) + "</tr>\n";
  }

  private static String num(String figure, long value) {
    return "<td class=\"n\"" + (figure == null ? "" : " data-figure=\"" + esc(figure) + "\"") + ">" + fmt(value)
        + "</td>";
  }

  static String fmt(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
