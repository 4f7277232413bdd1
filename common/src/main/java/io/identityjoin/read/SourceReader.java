package io.identityjoin.read;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.SourceSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
 * Reads one source's user table and checks its columns, before any output is written. Only the
 * configured columns are selected, so Parquet and Delta read nothing else.
 */
public final class SourceReader {

  private SourceReader() {}

  /**
   * The source's table with exactly the configured columns, in the order id, e-mail, external id
   * (the ones configured), under their original names.
   */
  public static Dataset<Row> read(SparkSession spark, SourceSettings source) {
    Dataset<Row> table;
    try {
      table = spark.read().format(source.format().sparkName()).options(source.readerOptions()).load(source.path());
    } catch (Exception e) {
      // AnalysisException (missing path, not a Delta table) and friends: name source and path.
      throw new IdentityJoinException("source '" + source.name() + "': cannot read "
          + source.format().sparkName() + " table at '" + source.path() + "' (" + source.key("path") + "): "
          + firstLine(e), e);
    }
    return table.select(columns(table.schema(), source).toArray(Column[]::new));
  }

  /** Checks the configured columns against the schema and returns them resolved. */
  static List<Column> columns(StructType schema, SourceSettings source) {
    List<Column> columns = new ArrayList<>();
    StructField id = field(schema, source, source.idColumn(), "id-column");
    requirePrimitive(source, id, "id-column");
    columns.add(new Column(quote(id.name())));
    Optional<String> email = source.emailColumn();
    if (email.isPresent()) {
      StructField f = field(schema, source, email.get(), "email-column");
      if (!(f.dataType() instanceof StringType)) {
        throw new IdentityJoinException("source '" + source.name() + "': e-mail column '" + f.name()
            + "' (" + source.key("email-column") + ") is " + f.dataType().simpleString() + ", expected string");
      }
      columns.add(new Column(quote(f.name())));
    }
    Optional<String> ext = source.externalIdColumn();
    if (ext.isPresent()) {
      StructField f = field(schema, source, ext.get(), "external-id-column");
      requirePrimitive(source, f, "external-id-column");
      columns.add(new Column(quote(f.name())));
    }
    return columns;
  }

  private static StructField field(StructType schema, SourceSettings source, String column, String key) {
    // Spark resolves column names case-insensitively by default; so do we, to point at the real name.
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equals(column)).findFirst()
        .or(() -> Arrays.stream(schema.fields()).filter(f -> f.name().equalsIgnoreCase(column)).findFirst())
        .orElseThrow(() -> new IdentityJoinException("source '" + source.name() + "': column '" + column
            + "' (" + source.key(key) + ") is not in the table at '" + source.path() + "'; its columns are "
            + String.join(", ", schema.fieldNames())));
  }

  private static void requirePrimitive(SourceSettings source, StructField f, String key) {
    DataType t = f.dataType();
    if (!(t instanceof AtomicType)) {
      throw new IdentityJoinException("source '" + source.name() + "': column '" + f.name() + "' ("
          + source.key(key) + ") is " + t.simpleString() + "; ids must be a primitive type (string, number, ...)");
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String firstLine(Throwable e) {
    String m = e instanceof AnalysisException a ? a.getSimpleMessage() : String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
