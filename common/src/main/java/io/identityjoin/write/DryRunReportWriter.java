package io.identityjoin.write;

import io.identityjoin.pipeline.DryRunReport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes a dry run's report to its folder: {@code dry_run.json} (counts and the first rows of each
 * list) and the full lists as JSON lines, {@code person_merges/} and {@code record_moves/}.
 */
public final class DryRunReportWriter {

  public static final String REPORT_FILE = "dry_run.json";

  private DryRunReportWriter() {}

  public static void write(DryRunReport report, Dataset<Row> personMerges, Dataset<Row> recordMoves,
      Configuration hadoopConf) {
    Path dir = new Path(report.reportPath());
    personMerges.write().mode(SaveMode.Overwrite).json(new Path(dir, "person_merges").toString());
    recordMoves.write().mode(SaveMode.Overwrite).json(new Path(dir, "record_moves").toString());
    TextFile.write(new Path(dir, REPORT_FILE), report.toJson(), hadoopConf);
  }
}
