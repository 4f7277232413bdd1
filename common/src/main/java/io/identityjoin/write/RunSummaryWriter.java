package io.identityjoin.write;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.pipeline.RunSummary;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Writes {@code run_summary.json} beside the tables, through Hadoop's file systems (s3a: too). */
public final class RunSummaryWriter {

  private RunSummaryWriter() {}

  public static void write(RunSummary summary, OutputSettings output, Configuration hadoopConf) {
    TextFile.write(new Path(output.tablePath(OutputSettings.SUMMARY_FILE)), summary.toJson(), hadoopConf);
  }
}
