package io.identityjoin.jobs;

import io.identityjoin.config.Settings;
import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleOptions;
import io.identityjoin.sample.SampleWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Writes the embedded synthetic sample where the settings say, unless it is already there. */
final class SampleData {

  private SampleData() {}

  static void ensure(SparkSession spark, Settings.SampleSettings sample, PrintWriter out) {
    Path dir = new Path(sample.dir());
    try {
      if (dir.getFileSystem(spark.sessionState().newHadoopConf()).exists(dir)) {
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(spark, sample, out);
  }

  static void write(SparkSession spark, Settings.SampleSettings sample, PrintWriter out) {
    long records = SampleWriter.write(
        SampleGenerator.tables(spark, new SampleOptions(sample.persons(), sample.seed())), sample.dir());
    out.printf("wrote the sample (%,d persons, %,d user records) to %s%n", sample.persons(), records, sample.dir());
    out.flush();
  }
}
