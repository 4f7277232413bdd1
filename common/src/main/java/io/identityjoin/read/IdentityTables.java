package io.identityjoin.read;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.OutputSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the tables a run wrote (for explain and evaluate), in the configured output format. */
public final class IdentityTables {

  private IdentityTables() {}

  public static Dataset<Row> read(SparkSession spark, OutputSettings output, String table) {
    String path = output.tablePath(table);
    try {
      return spark.read().format(output.format().sparkName()).load(path);
    } catch (Exception e) {
      throw new IdentityJoinException("cannot read " + table + " at '" + path + "' (identity-join.output.path, "
          + output.format().sparkName() + "); has the job run with this config? " + e.getMessage(), e);
    }
  }
}
