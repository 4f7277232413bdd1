package io.identityjoin.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The report's charts, drawn by XChart and exported as SVG (through VectorGraphics2D) to be inlined
 * in the HTML: no script, no network. XChart lays text out with AWT font metrics, so the JVM needs
 * a font (any; DejaVu on Debian) but no display.
 */
final class ReportCharts {

  static final int WIDTH = 760;
  static final int HEIGHT = 340;
  private static final Color[] RULE_COLORS = {
    new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0xb0b0b0)
  };

  private ReportCharts() {}

  /**
   * Stacked bars: for each source, the share of its records (percent) per match rule.
   *
   * @param sharesByRule rule to its percentage per source, in the order of {@code sources}
   */
  static String matchRates(List<String> sources, Map<String, List<Double>> sharesByRule) {
    CategoryChart chart = chart("Match rate by source and rule", "source", "% of the source's records");
    chart.getStyler().setStacked(true);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setSeriesColors(RULE_COLORS);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    sharesByRule.forEach((rule, shares) -> chart.addSeries(rule, sources, shares));
    return svg(chart);
  }

  /** Bars of persons per size bucket, on a logarithmic count axis. Empty buckets are left out. */
  static String personSizes(List<String> buckets, List<Long> persons) {
    CategoryChart chart = chart("Persons by number of records (log scale)", "records in the person", "persons");
    chart.getStyler().setYAxisLogarithmic(true);
    // Bars start at the axis minimum, which must be above zero on a log axis; 0.5 shows a count of 1.
    chart.getStyler().setYAxisMin(0.5);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setSeriesColors(new Color[] {new Color(0x1f77b4)});
    chart.addSeries("persons", buckets, persons);
    return svg(chart);
  }

  /** Bars of seconds per stage. */
  static String timings(List<String> stages, List<Double> seconds) {
    CategoryChart chart = chart("Run time by stage", "stage", "seconds");
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setSeriesColors(new Color[] {new Color(0x9467bd)});
    chart.addSeries("seconds", stages, seconds);
    return svg(chart);
  }

  private static CategoryChart chart(String title, String x, String y) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
        .yAxisTitle(y).build();
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    chart.getStyler().setChartTitleFont(font.deriveFont(Font.BOLD, 14f));
    chart.getStyler().setAxisTitleFont(font);
    chart.getStyler().setAxisTickLabelsFont(font);
    chart.getStyler().setLegendFont(font);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    chart.getStyler().setLegendBorderColor(Color.WHITE);
    chart.getStyler().setChartTitleBoxVisible(false);
    chart.getStyler().setToolTipsEnabled(false);
    // Solid lines: VectorGraphics2D writes every dash of a dashed stroke as its own shape (10x the SVG).
    chart.getStyler().setPlotGridLinesStroke(new BasicStroke(0.5f));
    return chart;
  }

  /** The chart as an inline {@code <svg>} element (the XML prologue and DOCTYPE removed). */
  static String svg(Chart<?, ?> chart) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String svg = out.toString(StandardCharsets.UTF_8);
    int start = svg.indexOf("<svg");
    return start < 0 ? svg : svg.substring(start);
  }
}
