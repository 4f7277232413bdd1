package io.identityjoin.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.core.Whitespace;
import io.identityjoin.quality.PairwiseQuality;
import io.identityjoin.read.IdentityTables;
import io.identityjoin.read.SourceReader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code identity-join evaluate}: pairwise precision, recall and F1 against a ground-truth column. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Compares the persons in the written identity_map with a ground-truth column of the sources' "
        + "tables (e.g. the sample's true_person): pairwise precision, recall and F1, and the largest false merges.")
final class EvaluateCommand implements Callable<Integer> {

  @Mixin IdentityJoinCommand.ConfigOptions options;

  @Option(names = "--truth-column", required = true,
      description = "Column holding the true person key in each source table; sources without it are left out.")
  String truthColumn;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = options.load();
    SparkSession spark = IdentityJoinJob.session();
    PrintWriter out = spec.commandLine().getOut();
    Dataset<Row> truth = null;
    List<String> without = new ArrayList<>();
    for (SourceSettings source : settings.sources()) {
      Dataset<Row> table = SourceReader.table(spark, source);
      if (Arrays.stream(table.columns()).noneMatch(truthColumn::equalsIgnoreCase)) {
        without.add(source.name());
        continue;
      }
      // The record id as rule 1 derives it: cast to text and trimmed.
      Dataset<Row> t = table.select(lit(source.name()).as("source"),
          Whitespace.trim(col(quote(source.idColumn())).cast("string")).as("source_id"),
          col(quote(truthColumn)).cast("string").as(PairwiseQuality.TRUTH));
      truth = truth == null ? t : truth.unionByName(t);
    }
    if (truth == null) {
      throw new IdentityJoinException("--truth-column: no source table has a column '" + truthColumn + "'");
    }
    if (!without.isEmpty()) {
      out.println("left out (no column " + truthColumn + "): " + String.join(", ", without));
    }
    Dataset<Row> identityMap = IdentityTables.read(spark, settings.output(), OutputSettings.IDENTITY_MAP);
    out.print(PairwiseQuality.of(identityMap, truth).toText());
    out.flush();
    return 0;
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
