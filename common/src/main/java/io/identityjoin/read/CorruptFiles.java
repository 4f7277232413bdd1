package io.identityjoin.read;

import static org.apache.spark.sql.functions.input_file_name;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.SourceSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unreadable source files (corrupt or truncated Parquet, a stray non-Parquet file in the folder).
 * By default one fails the run, and {@link #explain} turns Spark's failure into a message naming
 * the source and the file. With a source's {@code ignore-corrupt-files = true}, Spark skips them
 * and {@link #skipped} finds them, so the run summary can count them.
 */
public final class CorruptFiles {

  private static final Logger LOG = LoggerFactory.getLogger(CorruptFiles.class);

  private CorruptFiles() {}

  /**
   * If the failure came from reading one of the sources' files, an error naming the source, the
   * file and how to skip such files; the tables are the sources' tables as the reader returned them.
   */
  public static Optional<IdentityJoinException> explain(Throwable failure, List<SourceSettings> sources,
      Map<String, Dataset<Row>> tables) {
    for (SourceSettings source : sources) {
      String[] files;
      try {
        files = tables.get(source.name()).inputFiles();
      } catch (RuntimeException listing) {
        continue;
      }
      for (String f : files) {
        String file = pathOf(f);
        String reason = SourceReader.reason(failure, file);
        if (reason.contains(file)) {
          return Optional.of(new IdentityJoinException("source '" + source.name() + "': cannot read file '" + file
              + "' under " + source.key("path") + ": " + reason + skipHint(source.key("ignore-corrupt-files")),
              failure));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Files of a source read with {@code ignoreCorruptFiles} that Spark skipped: files that gave no
   * row although their footer is unreadable or promises rows. One footer-only scan, plus a footer
   * read on the driver for each file that gave no row (normally none). A file whose footer is fine
   * but whose pages are corrupt is skipped by Spark from the bad page on without being counted here.
   */
  public static List<String> skipped(SourceSettings source, Dataset<Row> table, Configuration hadoopConf) {
    Set<String> withRows = new HashSet<>();
    for (Row r : table.select(input_file_name()).distinct().collectAsList()) {
      withRows.add(pathOf(r.getString(0)));
    }
    List<String> skipped = new ArrayList<>();
    for (String f : table.inputFiles()) {
      String file = pathOf(f);
      if (!withRows.contains(file) && !isReadableAndEmpty(new Path(f), hadoopConf)) {
        skipped.add(file);
      }
    }
    if (!skipped.isEmpty()) {
      LOG.warn("source '{}': skipped {} unreadable file(s) ({} = true): {}", source.name(), skipped.size(),
          source.key("ignore-corrupt-files"), skipped.size() <= 10 ? skipped : skipped.subList(0, 10) + " ...");
    }
    return skipped;
  }

  private static boolean isReadableAndEmpty(Path file, Configuration conf) {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      return reader.getRecordCount() == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** What to set to skip unreadable files instead of failing. */
  static String skipHint(String ignoreCorruptFilesKey) {
    return ". Set " + ignoreCorruptFilesKey + " = true to skip unreadable files (they are counted in run_summary.json)";
  }

  /** The path part of a file URI, the way Spark's messages and listings both contain it. */
  static String pathOf(String uri) {
    return new Path(uri).toUri().getPath();
  }
}
