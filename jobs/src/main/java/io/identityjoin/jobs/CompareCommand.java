package io.identityjoin.jobs;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.OutputSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code identity-join compare A B}: do two runs' output folders hold the same identity tables?
 * Used by bin/local-cluster to check a cluster run against a local one; also handy after an upgrade.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Checks that two output folders hold the same identity_map and user_identities rows "
        + "(order ignored). Exit code 0 when they do, 1 when not.")
final class CompareCommand implements Callable<Integer> {

  static final List<String> TABLES = List.of(OutputSettings.IDENTITY_MAP, OutputSettings.USER_IDENTITIES);

  @Parameters(index = "0", paramLabel = "OUTPUT_A", description = "An output.path folder.")
  String a;

  @Parameters(index = "1", paramLabel = "OUTPUT_B", description = "Another output.path folder.")
  String b;

  @Option(names = "--format", defaultValue = "delta", description = "delta or parquet (default: ${DEFAULT-VALUE}).")
  String format;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Rows of one table in A and B, and how many of each side the other lacks (duplicates count). */
  record Difference(String table, long rowsA, long rowsB, long onlyInA, long onlyInB) {
    boolean same() {
      return onlyInA == 0 && onlyInB == 0;
    }
  }

  @Override
  public Integer call() {
    if (!format.equals("delta") && !format.equals("parquet")) {
      throw new IdentityJoinException("--format: expected delta or parquet, got '" + format + "'");
    }
    SparkSession spark = IdentityJoinJob.session();
    PrintWriter out = spec.commandLine().getOut();
    boolean same = true;
    for (String table : TABLES) {
      Difference d = difference(table, read(spark, a, table), read(spark, b, table));
      out.printf("%s: %,d rows in A, %,d in B, %,d only in A, %,d only in B%s%n", table, d.rowsA(), d.rowsB(),
          d.onlyInA(), d.onlyInB(), d.same() ? " (same)" : " (DIFFERENT)");
      same &= d.same();
    }
    out.println(same ? "same identity tables" : "the identity tables differ");
    out.flush();
    return same ? 0 : 1;
  }

  static Difference difference(String table, Dataset<Row> a, Dataset<Row> b) {
    Dataset<Row> alignedB = b.selectExpr(quoted(a.columns()));
    return new Difference(table, a.count(), b.count(), a.exceptAll(alignedB).count(), alignedB.exceptAll(a).count());
  }

  private Dataset<Row> read(SparkSession spark, String dir, String table) {
    String path = dir.endsWith("/") ? dir + table : dir + "/" + table;
    return spark.read().format(format).load(path);
  }

  private static String[] quoted(String[] columns) {
    String[] q = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      q[i] = "`" + columns[i].replace("`", "``") + "`";
    }
    return q;
  }
}
