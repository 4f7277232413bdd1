package io.identityjoin.write;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** One small UTF-8 file (a summary, a report), written through Hadoop's file systems (s3a: too). */
final class TextFile {

  private TextFile() {}

  static void write(Path path, String text, Configuration hadoopConf) {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (OutputStream out = fs.create(path, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + " failed", e);
    }
  }
}
