package io.identityjoin.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.output.PersonIdAssignment;
import io.identityjoin.testing.SparkSessionExtension;
import io.identityjoin.write.IdentityTablesWriter;
import io.identityjoin.write.PersonMergesRepair;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a run reads of the previous output stays what it was when the run started, although the
 * run then publishes over it: Delta tables at the version they had (nothing held in memory),
 * Parquet tables, which a publish replaces, read into the job.
 */
@ExtendWith(SparkSessionExtension.class)
class PreviousOutputTest {

  @TempDir Path dir;

  private static Dataset<Row> map(SparkSession spark, String values) {
    return spark.sql("SELECT * FROM VALUES " + values
        + " AS t(person_id, source, source_id, first_seen_run, last_changed_run)");
  }

  private static List<String> rows(Dataset<Row> ds) {
    return ds.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void aRunReadsThePreviousTablesAsTheyWereWhenItStartedThoughItPublishesOverThem(TableFormat format,
      SparkSession spark) {
    OutputSettings output = new OutputSettings(dir.toString(), format, Optional.empty(), 4);
    IdentityTablesWriter writer = new IdentityTablesWriter(output, spark.sessionState().newHadoopConf());
    Dataset<Row> ledger = spark.sql("SELECT 'pz' AS old_person_id, 'pa' AS new_person_id, 'merge' AS reason, "
        + "'r1' AS run_id, current_timestamp() AS at");
    writer.publish(List.of(
        new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP,
            map(spark, "('pa', 'segment', 'A', 'r1', 'r1'), ('pb', 'segment', 'B', 'r1', 'r1')"), List.of()),
        new IdentityTablesWriter.Table(OutputSettings.PERSON_MERGES, ledger, List.of())),
        "r1", new PersonMergesRepair.CommitMetadata("r1", 1).toJson());

    PersonIdAssignment.Previous previous = new PreviousOutput(spark, output, spark.sessionState().newHadoopConf())
        .read().orElseThrow();
    List<String> map = rows(previous.identityMap());
    List<String> issued = rows(previous.issuedIds());
    assertEquals(List.of("[pa,segment,A,r1,r1]", "[pb,segment,B,r1,r1]"), map);
    assertEquals(List.of("[pa]", "[pb]", "[pz]"), issued);
    // Delta: read from the table's files (at its version), nothing held; Parquet: held in the job.
    assertEquals(format == TableFormat.DELTA, previous.identityMap().inputFiles().length > 0);
    assertEquals(format == TableFormat.DELTA, previous.issuedIds().inputFiles().length > 0);

    // The run publishes: identity_map replaced, a ledger row appended.
    writer.publish(List.of(
        new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP,
            map(spark, "('pc', 'segment', 'C', 'r2', 'r2')"), List.of()),
        new IdentityTablesWriter.Table(OutputSettings.PERSON_MERGES,
            ledger.selectExpr("'py' AS old_person_id", "new_person_id", "reason", "'r2' AS run_id", "at"), List.of(),
            true)),
        "r2", new PersonMergesRepair.CommitMetadata("r2", 1).toJson());
    assertEquals(List.of("[pc,segment,C,r2,r2]"), rows(spark.read().format(format.sparkName())
        .load(output.tablePath(OutputSettings.IDENTITY_MAP))), "the new table is in place");
    assertEquals(map, rows(previous.identityMap()));
    assertEquals(issued, rows(previous.issuedIds()));
  }
}
