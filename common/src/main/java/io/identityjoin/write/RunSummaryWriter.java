package io.identityjoin.write;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.pipeline.RunSummary;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes {@code run_summary.json} (and {@code report.html}) beside the tables, through Hadoop's file
 * systems (s3a: too).
 */
public final class RunSummaryWriter {

  private RunSummaryWriter() {}

  public static void write(RunSummary summary, OutputSettings output, Configuration hadoopConf) {
    TextFile.write(new Path(output.tablePath(OutputSettings.SUMMARY_FILE)), summary.toJson(), hadoopConf);
  }

  /** Writes (replaces) one UTF-8 text file in the output folder. */
  public static void writeFile(String name, String content, OutputSettings output, Configuration hadoopConf) {
    TextFile.write(new Path(output.tablePath(name)), content, hadoopConf);
  }
}
