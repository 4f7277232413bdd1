package io.identityjoin.write;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.pipeline.RunSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Writes {@code run_summary.json} beside the tables, through Hadoop's file systems (s3a: too). */
public final class RunSummaryWriter {

  private RunSummaryWriter() {}

  public static void write(RunSummary summary, OutputSettings output, Configuration hadoopConf) {
    Path path = new Path(output.tablePath(OutputSettings.SUMMARY_FILE));
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (OutputStream out = fs.create(path, true)) {
        out.write(summary.toJson().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + " failed", e);
    }
  }
}
