package io.identityjoin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.read.PreviousOutput;
import io.identityjoin.testing.SparkSessionExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A Delta run that died between its identity_map commit and its ledger append is repaired. */
@ExtendWith(SparkSessionExtension.class)
class PersonMergesRepairTest {

  @TempDir Path dir;

  private static Dataset<Row> map(SparkSession spark, String... personSourceId) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < personSourceId.length; i += 2) {
      values.append(i == 0 ? "" : ", ").append("('").append(personSourceId[i]).append("', 'segment', '")
          .append(personSourceId[i + 1]).append("')");
    }
    return spark.sql("SELECT * FROM VALUES " + values + " AS t(person_id, source, source_id)");
  }

  @Test
  void aLostLedgerAppendIsRecomputedFromTheTwoIdentityMapVersionsOnce(SparkSession spark) {
    OutputSettings output = new OutputSettings(dir.toString(), TableFormat.DELTA, Optional.empty(), 4);
    IdentityTablesWriter writer = new IdentityTablesWriter(output, spark.sessionState().newHadoopConf());
    writer.publish(List.of(new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP,
        map(spark, "pa", "A", "pb", "B"), List.of())), "r1", new PersonMergesRepair.CommitMetadata("r1", 0).toJson());
    // r2 merged B into A and committed identity_map, then died before appending its one ledger row.
    writer.publish(List.of(new IdentityTablesWriter.Table(OutputSettings.IDENTITY_MAP,
        map(spark, "pa", "A", "pa", "B"), List.of())), "r2", new PersonMergesRepair.CommitMetadata("r2", 1).toJson());

    PreviousOutput previous = new PreviousOutput(spark, output, spark.sessionState().newHadoopConf());
    assertEquals(1, PersonMergesRepair.repair(spark, output, previous));
    List<Row> ledger = spark.read().format("delta").load(output.tablePath(OutputSettings.PERSON_MERGES))
        .select("old_person_id", "new_person_id", "reason", "run_id").collectAsList();
    assertEquals("[[pb,pa,merge,r2]]", ledger.toString());
    assertEquals(0, PersonMergesRepair.repair(spark, output, previous), "repaired once");
  }
}
