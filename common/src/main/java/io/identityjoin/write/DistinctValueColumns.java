package io.identityjoin.write;

import io.identityjoin.pipeline.SessionSetting;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet's dictionary encoding off, while the output tables are written, for their columns of
 * nearly distinct values: ids, e-mails, person ids.
 *
 * <p>Parquet starts every column chunk with a dictionary and falls back to plain encoding when the
 * dictionary does not pay (checked as the first page is written) or outgrows its page (1 MiB by
 * default): for a column of distinct ids the file ends up plainly encoded either way, but the values
 * were first hashed into a dictionary that is then dropped and re-encoded. Columns of few values (the
 * source, the match rule, the flags, the run ids, the bucket) keep their dictionary, which makes
 * them small. Set as session settings
 * ({@code parquet.enable.dictionary#<column>}, which Spark copies into the Hadoop configuration of
 * every write, Delta's included) and put back by {@link #close}.
 */
public final class DistinctValueColumns implements AutoCloseable {

  /** Parquet's per-column switch (parquet-hadoop's {@code ParquetOutputFormat.ENABLE_DICTIONARY}). */
  static final String DICTIONARY = "parquet.enable.dictionary";

  /** Output columns of a few values each: these keep Parquet's dictionary. */
  static final Set<String> FEW_VALUES = Set.of("source", "match_rule", "matched_on", "flags", "first_seen_run",
      "last_changed_run", "person_bucket", "reason", "run_id");

  private final List<SessionSetting> settings;

  private DistinctValueColumns(List<SessionSetting> settings) {
    this.settings = settings;
  }

  /**
   * The string columns (and arrays of strings) of {@code schemas} that are not in
   * {@link #FEW_VALUES}, by name; an array's elements are its column's leaf ({@code <name>.list.element}).
   */
  static Set<String> columnPaths(Collection<StructType> schemas) {
    Set<String> paths = new TreeSet<>();
    for (StructType schema : schemas) {
      for (StructField f : schema.fields()) {
        if (FEW_VALUES.contains(f.name())) {
          continue;
        }
        DataType t = f.dataType();
        if (t.equals(DataTypes.StringType)) {
          paths.add(f.name());
        } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.StringType)) {
          paths.add(f.name() + ".list.element");
        }
      }
    }
    return paths;
  }

  /** Turns the dictionary off for the distinct-value columns of {@code schemas} until {@link #close}. */
  public static DistinctValueColumns plainFor(SparkSession spark, Collection<StructType> schemas) {
    RuntimeConfig conf = spark.conf();
    List<SessionSetting> set = new ArrayList<>();
    for (String path : columnPaths(schemas)) {
      set.add(SessionSetting.set(conf, DICTIONARY + "#" + path, "false"));
    }
    return new DistinctValueColumns(set);
  }

  /** Puts the session's settings back; a second call does nothing. */
  @Override
  public void close() {
    settings.forEach(SessionSetting::restore);
  }
}
