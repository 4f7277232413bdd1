package io.identityjoin.read;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.config.SuppressionSettings;
import io.identityjoin.config.TableFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one source's user table (or the suppression list) and checks its columns, before any
 * output is written. Only the configured columns are selected, so Parquet and Delta read nothing
 * else. Every failure names the source and the key, column or path at fault — never a value.
 */
public final class SourceReader {

  private SourceReader() {}

  /**
   * What is read, for messages: "source 'stripe'" and its config keys, or the suppression list's.
   * {@code skippable}: it has an {@code ignore-corrupt-files} key to suggest.
   */
  private record Target(String label, String path, java.util.function.UnaryOperator<String> key,
      boolean skippable) {
    static Target of(SourceSettings source) {
      return new Target("source '" + source.name() + "'", source.path(), source::key, true);
    }
  }

  /**
   * The source's table with exactly the configured columns, in the order id, e-mail, external id
   * (the ones configured), under their original names.
   */
  public static Dataset<Row> read(SparkSession spark, SourceSettings source) {
    Target target = Target.of(source);
    Dataset<Row> table = load(spark, target, source.format(), source.readerOptions(), source.ignoresCorruptFiles());
    return table.select(columns(table.schema(), source).toArray(Column[]::new));
  }

  /** The source's table with all its columns (as {@link #read} loads it, before selecting). */
  public static Dataset<Row> table(SparkSession spark, SourceSettings source) {
    return load(spark, Target.of(source), source.format(), source.readerOptions(), source.ignoresCorruptFiles());
  }

  /** The suppression list with its configured columns, in the order e-mail, source, id. */
  public static Dataset<Row> readSuppression(SparkSession spark, SuppressionSettings list) {
    Target target = new Target("the suppression list", list.path(), list::key, false);
    Dataset<Row> table = load(spark, target, list.format(), Map.of(), false);
    List<Column> columns = new ArrayList<>();
    if (list.emailColumn().isPresent()) {
      columns.add(column(requireString(target, field(table.schema(), target, list.emailColumn().get(), "email-column"),
          "email-column")));
    }
    if (list.sourceColumn().isPresent()) {
      columns.add(column(requirePrimitive(target,
          field(table.schema(), target, list.sourceColumn().get(), "source-column"), "source-column")));
      columns.add(column(requirePrimitive(target,
          field(table.schema(), target, list.idColumn().orElseThrow(), "id-column"), "id-column")));
    }
    return table.select(columns.toArray(Column[]::new));
  }

  private static Dataset<Row> load(SparkSession spark, Target target, TableFormat format, Map<String, String> options,
      boolean ignoreCorruptFiles) {
    try {
      return spark.read().format(format.sparkName()).options(options).load(target.path());
    } catch (Exception e) {
      if (ignoreCorruptFiles && format == TableFormat.PARQUET) {
        // Parquet infers the schema from one file; if that one is the corrupt one, it finds none.
        // Reading every footer (mergeSchema) skips the unreadable ones.
        try {
          return spark.read().format(format.sparkName()).options(options).option("mergeSchema", "true")
              .load(target.path());
        } catch (Exception retry) {
          e = retry;
        }
      }
      // AnalysisException (missing path, not a Delta table), unreadable footers and friends.
      String why = hasNoDataFiles(spark, target.path())
          ? "the folder holds no data files (an empty source must still be a table with its columns, e.g. one "
              + "Parquet file with 0 rows)"
          : reason(e, target.path());
      if (target.skippable() && !ignoreCorruptFiles && why.contains(new Path(target.path()).toUri().getPath() + "/")) {
        why += CorruptFiles.skipHint(target.key().apply("ignore-corrupt-files"));
      }
      throw new IdentityJoinException(target.label() + ": cannot read " + format.sparkName() + " table at '"
          + target.path() + "' (" + target.key().apply("path") + "): " + why, e);
    }
  }

  /** Checks the configured columns against the schema and returns them resolved. */
  static List<Column> columns(StructType schema, SourceSettings source) {
    Target target = Target.of(source);
    List<Column> columns = new ArrayList<>();
    columns.add(column(requirePrimitive(target, field(schema, target, source.idColumn(), "id-column"), "id-column")));
    Optional<String> email = source.emailColumn();
    if (email.isPresent()) {
      columns.add(column(requireString(target, field(schema, target, email.get(), "email-column"), "email-column")));
    }
    Optional<String> ext = source.externalIdColumn();
    if (ext.isPresent()) {
      columns.add(column(requirePrimitive(target, field(schema, target, ext.get(), "external-id-column"),
          "external-id-column")));
    }
    return columns;
  }

  private static StructField field(StructType schema, Target target, String column, String key) {
    // Spark resolves column names case-insensitively by default; so do we, to point at the real name.
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equals(column)).findFirst()
        .or(() -> Arrays.stream(schema.fields()).filter(f -> f.name().equalsIgnoreCase(column)).findFirst())
        .orElseThrow(() -> new IdentityJoinException(target.label() + ": column '" + column
            + "' (" + target.key().apply(key) + ") is not in the table at '" + target.path() + "'; its columns are "
            + String.join(", ", schema.fieldNames())));
  }

  private static StructField requirePrimitive(Target target, StructField f, String key) {
    DataType t = f.dataType();
    if (!(t instanceof AtomicType)) {
      throw new IdentityJoinException(target.label() + ": column '" + f.name() + "' ("
          + target.key().apply(key) + ") is " + t.simpleString()
          + "; ids must be a primitive type (string, number, ...)");
    }
    return f;
  }

  private static StructField requireString(Target target, StructField f, String key) {
    if (!(f.dataType() instanceof StringType)) {
      throw new IdentityJoinException(target.label() + ": e-mail column '" + f.name() + "' ("
          + target.key().apply(key) + ") is " + f.dataType().simpleString() + ", expected string");
    }
    return f;
  }

  private static Column column(StructField f) {
    return new Column("`" + f.name().replace("`", "``") + "`");
  }

  /** True when the path is a folder without a single data file (names starting with _ or . are not data). */
  private static boolean hasNoDataFiles(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sessionState().newHadoopConf());
      return fs.getFileStatus(p).isDirectory() && !holdsData(fs, p);
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean holdsData(FileSystem fs, Path dir) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (s.isFile() || holdsData(fs, s.getPath())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The most specific line of the failure that names something under the path (an unreadable
   * file's name is deep in the cause chain), else the first line of the failure.
   */
  static String reason(Throwable e, String path) {
    String under = new Path(path).toUri().getPath();
    String best = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String line = firstLine(t);
      if (line.contains(under)) {
        best = line;
      }
    }
    return best != null ? best : firstLine(e);
  }

  static String firstLine(Throwable e) {
    String m = e instanceof AnalysisException a ? a.getSimpleMessage() : String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }
}
