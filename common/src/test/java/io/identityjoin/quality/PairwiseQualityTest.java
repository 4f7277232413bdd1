package io.identityjoin.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class PairwiseQualityTest {

  private static Dataset<Row> frame(SparkSession spark, List<String> columns, String[][] rows) {
    List<Row> data = new ArrayList<>();
    for (String[] r : rows) {
      data.add(RowFactory.create((Object[]) r));
    }
    return spark.createDataFrame(data, DataTypes.createStructType(columns.stream()
        .map(c -> DataTypes.createStructField(c, DataTypes.StringType, true)).toList()));
  }

  @Test
  void pairwisePrecisionRecallAndF1CountPairsOfRecords(SparkSession spark) {
    // Predicted: p1 = {a, b, c}, p2 = {d}, p3 = {e}. Truth: t1 = {a, b, d}, t2 = {c}, t3 = {e}, f has none.
    Dataset<Row> map = frame(spark, List.of("person_id", "source", "source_id"), new String[][] {
        {"p1", "s", "a"}, {"p1", "s", "b"}, {"p1", "z", "c"}, {"p2", "s", "d"}, {"p3", "s", "e"}, {"p3", "s", "f"}});
    Dataset<Row> truth = frame(spark, List.of("source", "source_id", "truth"), new String[][] {
        {"s", "a", "t1"}, {"s", "b", "t1"}, {"z", "c", "t2"}, {"s", "d", "t1"}, {"s", "e", "t3"}, {"s", "f", null},
        {"s", "a", "t1"}});
    PairwiseQuality.Result q = PairwiseQuality.of(map, truth);
    assertEquals(5, q.records());
    assertEquals(3, q.predictedPairs(), "ab ac bc");
    assertEquals(3, q.truePairs(), "ab ad bd");
    assertEquals(1, q.truePositivePairs(), "ab");
    assertEquals(1.0 / 3, q.precision(), 1e-12);
    assertEquals(1.0 / 3, q.recall(), 1e-12);
    assertEquals(1.0 / 3, q.f1(), 1e-12);
    assertEquals(1, q.falseMergePersons());
    assertEquals(1, q.splitTruePersons(), "t1 is in p1 and p2");
    assertEquals(List.of(new PairwiseQuality.FalseMerge("p1", 3, Map.of("t1", List.of("s/a", "s/b"),
        "t2", List.of("z/c")))), q.falseMerges());
  }
}
