package io.identityjoin.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.graph.ConnectedComponents.Result;
import io.identityjoin.graph.ConnectedComponents.Settings;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.graphx.Graph;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.Option;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * ConnectedComponents against two independent oracles: a union-find over the collected edges and
 * GraphX's Pregel connected components. Graphs are kept small: the machine has two cores.
 */
@ExtendWith(SparkSessionExtension.class)
class ConnectedComponentsTest {

  private static final Settings DISTRIBUTED = new Settings(0, 2, 100);
  private static final Settings DEFAULTS = Settings.defaults();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void randomSparseGraphsMatchUnionFindAndGraphX(long seed, SparkSession spark) {
    List<long[]> edges = randomSparseGraph(new Random(seed), 1_000, 900);
    Map<Long, Long> expected = UnionFindOracle.components(edges);
    assertEquals(expected, graphX(spark, edges), "the two oracles disagree");

    Result result = ConnectedComponents.run(frame(spark, edges), DISTRIBUTED);

    assertEquals(expected, labels(result));
    assertFalse(result.finishedOnDriver());
  }

  @Test
  void starOf2000LeavesIsOneComponentInFewRounds(SparkSession spark) {
    // The centre is neither the smallest nor the largest id, so both star operations have work.
    List<Long> ids = distinctIds(new Random(11), 2_001);
    long centre = ids.get(0);
    List<long[]> edges = ids.subList(1, ids.size()).stream().map(leaf -> new long[] {centre, leaf}).toList();
    Map<Long, Long> expected = UnionFindOracle.components(edges);
    assertEquals(expected, graphX(spark, edges), "the two oracles disagree");

    Result result = ConnectedComponents.run(frame(spark, edges), DISTRIBUTED);

    assertEquals(expected, labels(result));
    assertEquals(Set.of(Collections.min(ids)), Set.copyOf(expected.values()));
    // Round 1 re-centres the star on its minimum; round 2 only confirms that nothing changes.
    assertTrue(result.rounds() <= 2, "rounds = " + result.rounds());
  }

  /**
   * GraphX is not asked here: Pregel moves the minimum one hop per superstep, so it would need
   * about 2,000 supersteps (which is the reason this class exists). The union-find decides.
   */
  @Test
  void chainOf2000ShuffledIdsTakesLogarithmicallyManyRounds(SparkSession spark) {
    List<Long> ids = distinctIds(new Random(22), 2_000);
    List<long[]> edges = new ArrayList<>();
    for (int i = 1; i < ids.size(); i++) {
      edges.add(new long[] {ids.get(i - 1), ids.get(i)});
    }
    Map<Long, Long> expected = UnionFindOracle.components(edges);

    Result distributed = ConnectedComponents.run(frame(spark, edges), DISTRIBUTED);

    assertEquals(expected, labels(distributed));
    assertEquals(Set.of(Collections.min(ids)), Set.copyOf(expected.values()));
    // Label propagation would need ~2,000 rounds. This chain takes 10 (other seeds also 10, 8,000
    // shuffled ids 11, the sorted chain 1..2000 12), so log2(n) + 1 holds with room; the paper's
    // proven bound is O(log^2 n). Rounds depend only on the edge sets, so this cannot flake.
    int log2 = 64 - Long.numberOfLeadingZeros(ids.size() - 1); // ceil(log2(2000)) = 11
    assertTrue(distributed.rounds() <= log2 + 1, "rounds = " + distributed.rounds());
    assertEquals(expected, labels(ConnectedComponents.run(frame(spark, edges), DEFAULTS)));
  }

  @Test
  void fiftyThousandTwoVertexComponentsStayApart(SparkSession spark) {
    List<Long> ids = distinctIds(new Random(33), 100_000);
    List<long[]> edges = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += 2) {
      edges.add(new long[] {ids.get(i), ids.get(i + 1)});
    }
    Map<Long, Long> expected = UnionFindOracle.components(edges);
    assertEquals(expected, graphX(spark, edges), "the two oracles disagree");

    Result result = ConnectedComponents.run(frame(spark, edges), DISTRIBUTED);

    assertEquals(expected, labels(result));
    assertEquals(50_000, Set.copyOf(expected.values()).size());
    // Already stars: the first round changes nothing.
    assertEquals(1, result.rounds());
  }

  @Test
  void selfLoopsAndDuplicateEdgesDoNotChangeComponents(SparkSession spark) {
    List<long[]> edges = List.of(
        new long[] {7, 7},                                                    // only a self-loop
        new long[] {5, 3}, new long[] {3, 5}, new long[] {3, 5}, new long[] {5, 5},
        new long[] {9, 8}, new long[] {8, 9}, new long[] {8, 9}, new long[] {9, 9}, new long[] {8, 4},
        new long[] {-2, -2}, new long[] {-2, 100}, new long[] {100, -2});
    Map<Long, Long> expected = UnionFindOracle.components(edges);
    assertEquals(expected, graphX(spark, edges), "the two oracles disagree");
    assertEquals(7L, expected.get(7L));

    for (Settings settings : List.of(DISTRIBUTED, DEFAULTS)) {
      assertEquals(expected, labels(ConnectedComponents.run(frame(spark, edges), settings)), settings.toString());
    }
  }

  @Test
  void nullEndsAreNotVertices(SparkSession spark) {
    StructType schema = new StructType()
        .add(ConnectedComponents.SRC, DataTypes.LongType, true)
        .add(ConnectedComponents.DST, DataTypes.LongType, true);
    List<Row> rows = List.of(
        RowFactory.create(1L, null), RowFactory.create(null, null), RowFactory.create(3L, 2L));

    Result result = ConnectedComponents.run(spark.createDataFrame(rows, schema), DISTRIBUTED);

    assertEquals(Map.of(1L, 1L, 2L, 2L, 3L, 2L), labels(result));
  }

  @Test
  void sameComponentsForOneAndSevenShufflePartitions(SparkSession spark) {
    List<long[]> edges = randomSparseGraph(new Random(44), 600, 540);
    String partitionsBefore = spark.conf().get("spark.sql.shuffle.partitions");
    String coalesceBefore = spark.conf().get("spark.sql.adaptive.coalescePartitions.enabled", "true");
    Map<Integer, Map<Long, Long>> byPartitions = new HashMap<>();
    try {
      // Otherwise adaptive execution merges small partitions and both runs look alike.
      spark.conf().set("spark.sql.adaptive.coalescePartitions.enabled", "false");
      for (int partitions : List.of(1, 7)) {
        spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(partitions));
        Dataset<Row> input = frame(spark, edges).repartition(partitions);
        byPartitions.put(partitions, labels(ConnectedComponents.run(input, DISTRIBUTED)));
      }
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", partitionsBefore);
      spark.conf().set("spark.sql.adaptive.coalescePartitions.enabled", coalesceBefore);
    }
    assertEquals(byPartitions.get(1), byPartitions.get(7));
    assertEquals(UnionFindOracle.components(edges), byPartitions.get(7));
  }

  @Test
  void distributedRoundsAndDriverFinishGiveTheSameComponents(SparkSession spark) {
    List<long[]> edges = randomSparseGraph(new Random(55), 1_000, 900);
    Map<Long, Long> expected = UnionFindOracle.components(edges);
    Dataset<Row> input = frame(spark, edges);

    Result distributed = ConnectedComponents.run(input, DISTRIBUTED);
    Result onDriver = ConnectedComponents.run(input, DEFAULTS);
    // 900 edges do not fit under 100, but the non-trivial ones do after some rounds.
    Result mixed = ConnectedComponents.run(input, new Settings(100, 2, 100));

    assertEquals(expected, labels(distributed));
    assertEquals(expected, labels(onDriver));
    assertEquals(expected, labels(mixed));
    assertFalse(distributed.finishedOnDriver());
    assertTrue(onDriver.finishedOnDriver());
    assertEquals(0, onDriver.rounds(), "everything fits on the driver before the first round");
    assertTrue(mixed.finishedOnDriver());
    assertTrue(mixed.rounds() >= 1 && mixed.rounds() <= distributed.rounds(),
        "mixed " + mixed.rounds() + " rounds, distributed " + distributed.rounds());
  }

  @Test
  void theDriversLabelsOfAWholeGraphAreTheComponentsTableAndOnlyThen(SparkSession spark) {
    List<long[]> edges = randomSparseGraph(new Random(56), 1_000, 900);
    Dataset<Row> input = frame(spark, edges);

    Result onDriver = ConnectedComponents.run(input, DEFAULTS);

    VertexLabels driverLabels = onDriver.driverLabels().orElseThrow();
    Map<Long, Long> table = labels(onDriver);
    assertEquals(table.size(), driverLabels.size());
    assertEquals(16L * table.size(), driverLabels.bytes());
    table.forEach((vertex, component) -> assertEquals(component, driverLabels.componentOf(vertex), "vertex " + vertex));
    long absent = 0;
    while (table.containsKey(absent)) {
      absent++;
    }
    assertEquals(null, driverLabels.componentOf(absent));
    // Labels from distributed rounds, even finished on the driver, are a table only.
    assertTrue(ConnectedComponents.run(input, DISTRIBUTED).driverLabels().isEmpty());
    assertTrue(ConnectedComponents.run(input, new Settings(100, 2, 100)).driverLabels().isEmpty());
  }

  @Test
  void vertexLabelsRejectUnsortedOrUnmatchedArrays() {
    assertThrows(IllegalArgumentException.class, () -> new VertexLabels(new long[] {2, 1}, new long[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> new VertexLabels(new long[] {1, 1}, new long[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> new VertexLabels(new long[] {1, 2}, new long[] {1}));
  }

  @Test
  void exceedingMaxRoundsThrowsNamingMaxRounds(SparkSession spark) {
    List<Long> ids = distinctIds(new Random(66), 200);
    List<long[]> edges = new ArrayList<>();
    for (int i = 1; i < ids.size(); i++) {
      edges.add(new long[] {ids.get(i - 1), ids.get(i)});
    }

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ConnectedComponents.run(frame(spark, edges), new Settings(0, 2, 1)));

    assertTrue(e.getMessage().contains("maxRounds"), e.getMessage());
  }

  @Test
  void noEdgesGiveNoComponents(SparkSession spark) {
    Result result = ConnectedComponents.run(frame(spark, List.of()), DEFAULTS);

    assertEquals(0, result.components().count());
    assertEquals(0, result.rounds());
  }

  @Test
  void settingsRejectValuesThatCannotWork() {
    assertEquals(new Settings(2_500_000, 2, 100), Settings.defaults());
    assertThrows(IllegalArgumentException.class, () -> new Settings(-1, 2, 100));
    assertThrows(IllegalArgumentException.class, () -> new Settings(0, 0, 100));
    assertThrows(IllegalArgumentException.class, () -> new Settings(0, 2, 0));
  }

  // ---- fixtures and oracles ----

  /** Random distinct ids over the whole long range (negatives included), in random order. */
  private static List<Long> distinctIds(Random random, int n) {
    Set<Long> ids = new LinkedHashSet<>();
    while (ids.size() < n) {
      ids.add(random.nextLong());
    }
    return new ArrayList<>(ids);
  }

  /**
   * {@code m} random edges over {@code n} random ids, plus some reversed repeats and self-loops.
   * With m ~ 0.9 n the average degree is ~1.8: one large tree-like component with long paths and
   * many small ones, isolated self-loops included.
   */
  private static List<long[]> randomSparseGraph(Random random, int n, int m) {
    List<Long> ids = distinctIds(random, n);
    List<long[]> edges = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      edges.add(new long[] {ids.get(random.nextInt(n)), ids.get(random.nextInt(n))});
    }
    for (int i = 0; i < m / 50; i++) {
      long[] e = edges.get(random.nextInt(m));
      edges.add(new long[] {e[1], e[0]});
      long v = ids.get(random.nextInt(n));
      edges.add(new long[] {v, v});
    }
    return edges;
  }

  private static Dataset<Row> frame(SparkSession spark, List<long[]> edges) {
    StructType schema = new StructType()
        .add(ConnectedComponents.SRC, DataTypes.LongType, false)
        .add(ConnectedComponents.DST, DataTypes.LongType, false);
    List<Row> rows = edges.stream().map(e -> RowFactory.create(e[0], e[1])).toList();
    return spark.createDataFrame(rows, schema);
  }

  private static Map<Long, Long> labels(Result result) {
    List<Row> rows = result.components().collectAsList();
    Map<Long, Long> out = rows.stream().collect(Collectors.toMap(
        r -> r.getLong(r.fieldIndex(ConnectedComponents.VERTEX)),
        r -> r.getLong(r.fieldIndex(ConnectedComponents.COMPONENT)),
        (first, second) -> first));
    assertEquals(rows.size(), out.size(), "one row per vertex");
    return out;
  }

  /** GraphX's Pregel connected components: also labels each vertex with its component's minimum. */
  private static Map<Long, Long> graphX(SparkSession spark, List<long[]> edges) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Tuple2<Object, Object>> tuples = edges.stream()
        .map(e -> new Tuple2<Object, Object>(e[0], e[1]))
        .toList();
    ClassTag<Object> intTag = ClassTag$.MODULE$.Int();
    Graph<Object, Object> graph = Graph.fromEdgeTuples(jsc.parallelize(tuples, 2).rdd(), 0, Option.empty(),
        StorageLevel.MEMORY_ONLY(), StorageLevel.MEMORY_ONLY(), intTag);
    Graph<Object, Object> components =
        org.apache.spark.graphx.lib.ConnectedComponents.run(graph, intTag, intTag);
    Map<Long, Long> out = new HashMap<>();
    for (Tuple2<Object, Object> vertex : components.vertices().toJavaRDD().collect()) {
      out.put((Long) vertex._1(), (Long) vertex._2());
    }
    components.unpersist(false);
    graph.unpersist(false);
    return out;
  }
}
