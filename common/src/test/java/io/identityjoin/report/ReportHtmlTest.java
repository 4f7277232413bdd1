package io.identityjoin.report;

import static io.identityjoin.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.SettingsLoader;
import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.RunSummary;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** report.html from a real (small) run: its sections, its figures against the summary, nothing external. */
@ExtendWith(SparkSessionExtension.class)
class ReportHtmlTest {

  private static final Pattern FIGURE = Pattern.compile("data-figure=\"([^\"]+)\">([0-9,.]+)<");

  @Test
  void theReportShowsEverySectionWithTheSummarysFiguresAndLoadsNothingFromOutside(SparkSession spark) {
    IdentityResolution.Result r = new Fixtures(spark)
        .guards(SettingsLoader.defaultGuards().withMaxRecordsPerEmail(3).withMaxAnchorIdsPerPerson(1))
        .anchor("segment", row("A", "a@x.com"), row("B", "b@x.com"), row("C", "<script>@x.com"))
        .source("zendesk", true, row("z1", "z@x.com", "A"), row("z2", "b@x.com", "A"), row("z3", null, "ghost"),
            row("z4", "q@x.com", "0"))
        .source("stripe", false, row("cus_1", "test@test.com"), row("cus_2", "hub@x.com"), row("cus_3", "hub@x.com"),
            row("cus_4", "hub@x.com"), row("cus_5", "hub@x.com"))
        .source("mailchimp", false, row("m1", "a@x.com"), row("m1", "b@x.com"))
        .run();
    Map<String, Double> stages = new LinkedHashMap<>(Map.of("read", 1.25, "link", 2.5));
    RunSummary summary = r.summary().withStageSeconds(stages);
    RunReport report = RunReport.collect(summary, r.guards(), r.identityMap(), r.userIdentities());
    String html = ReportHtml.render(report);
    r.release();

    for (String section : List.of("overview", "match-rates", "person-sizes", "largest-persons", "guards", "unmatched",
        "timings")) {
      assertTrue(html.contains("id=\"" + section + "\""), "section " + section);
    }
    assertEquals(3, html.split("<svg", -1).length - 1, "three inline SVG charts");

    Map<String, String> figures = new HashMap<>();
    Matcher m = FIGURE.matcher(html);
    while (m.find()) {
      figures.put(m.group(1), m.group(2));
    }
    assertEquals(fmt(summary.persons()), figures.get("persons"));
    assertEquals(fmt(summary.recordsTotal()), figures.get("records"));
    assertEquals(fmt(summary.largestPerson()), figures.get("largest_person"));
    assertEquals(fmt(summary.emailLinks()), figures.get("email_links"));
    for (RunSummary.SourceCounts s : summary.sources()) {
      for (String rule : ReportHtml.RULES) {
        assertEquals(fmt(s.matchRules().get(rule)), figures.get(s.source() + "." + rule), s.source() + " " + rule);
      }
      assertEquals(fmt(s.matchRules().get("unmatched")), figures.get(s.source() + ".unmatched"));
    }
    summary.guards().toMap().forEach((k, v) -> assertEquals(fmt((Long) v), figures.get("guards." + k), k));
    assertTrue(summary.guards().hubEmails() > 0 && summary.guards().droppedEmailLinks() > 0
        && summary.guards().blockedEmailRecords() > 0 && summary.guards().danglingExternalIdRecords() > 0
        && summary.guards().emailConflictRecords() > 0 && summary.guards().blockedExternalIdRecords() > 0,
        "every guard fired in this run: " + summary.guards());
    assertEquals("1.3", figures.get("stage.read"));
    assertTrue(html.contains("hub@x.com") && html.contains("test@test.com") && html.contains("ghost"),
        "the values behind the guards are listed");

    assertFalse(html.contains("<script"), "no script, and values are escaped");
    assertTrue(html.contains("&lt;script&gt;@x.com"));
    String withoutNamespaces = html.replace("http://www.w3.org/2000/svg", "").replace("http://www.w3.org/1999/xlink", "");
    // Internal references (clip-path="url(#clip1)") are fine; anything else would be fetched.
    Matcher outside = Pattern.compile("https?:|//[a-z]|<link|<img|<iframe|<object|@import|url\\((?!#)|href=\"(?!#)")
        .matcher(withoutNamespaces);
    assertFalse(outside.find(), () -> "loads from outside the file: " + withoutNamespaces.substring(
        Math.max(0, outside.start() - 80), Math.min(withoutNamespaces.length(), outside.end() + 80)));
  }

  private static String fmt(long v) {
    return ReportHtml.fmt(v);
  }
}
