package io.identityjoin.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The driver's union-find against {@link UnionFindOracle}, on ids spread out and skewed. */
class IdForestTest {

  /** Ways to turn a small vertex number into an id: spread like hashes, or bunched. */
  private static final Map<String, LongUnaryOperator> IDS = Map.of(
      "hashes", v -> mix(v),
      "sequential", v -> v,
      "negative and positive", v -> v % 2 == 0 ? -v : v * 1_000_003L,
      "both ends of the range", v -> v % 2 == 0 ? Long.MIN_VALUE + v : Long.MAX_VALUE - v,
      "one far outlier", v -> v == 0 ? Long.MAX_VALUE : v,
      "clusters", v -> (v % 5) * (Long.MAX_VALUE / 5) + v / 5);

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void everyIdIsLabelledWithTheSmallestIdOfItsComponentForAnyIdSpread(int width) {
    SplittableRandom random = new SplittableRandom(17 + width);
    for (Map.Entry<String, LongUnaryOperator> ids : IDS.entrySet()) {
      for (int vertices : new int[] {1, 2, 10, 1_000, 50_000}) {
        int rows = 1 + random.nextInt(Math.max(1, vertices * 2 / width));
        long[] flat = new long[rows * width];
        List<long[]> edges = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < width; c++) {
            flat[r * width + c] = ids.getValue().applyAsLong(random.nextInt(vertices));
            edges.add(new long[] {flat[r * width], flat[r * width + c]});
          }
        }
        Map<Long, Long> expected = UnionFindOracle.components(edges);
        IdForest forest = IdForest.of(flat, width);
        Map<Long, Long> actual = new HashMap<>();
        for (int i = 0; i < forest.ids().length; i++) {
          actual.put(forest.ids()[i], forest.ids()[forest.root()[i]]);
        }
        assertEquals(expected, actual, ids.getKey() + ", " + vertices + " vertices, rows of " + width);
      }
    }
  }

  @Test
  void idsComeOutSortedAndDistinct() {
    IdForest forest = IdForest.of(new long[] {5, -3, 5, 9, Long.MIN_VALUE, -3}, 2);
    assertArrayEquals(new long[] {Long.MIN_VALUE, -3, 5, 9}, forest.ids());
    // 5-(-3), 5-9, MIN-(-3): one component, labelled with its smallest id.
    assertArrayEquals(new int[] {0, 0, 0, 0}, forest.root());
  }

  @Test
  void directoryFindsEveryIdAndRefusesOthers() {
    long[] ids = IdForest.sortedDistinct(new long[] {Long.MIN_VALUE, -1, 0, 1, 2, 3, 1L << 40, Long.MAX_VALUE});
    IdForest.Directory directory = new IdForest.Directory(ids);
    for (int i = 0; i < ids.length; i++) {
      assertEquals(i, directory.indexOf(ids[i]));
    }
    assertThrows(IllegalArgumentException.class, () -> directory.indexOf(4));
  }

  @Test
  void rowsMustFillTheWidth() {
    assertThrows(IllegalArgumentException.class, () -> IdForest.of(new long[] {1, 2, 3}, 2));
  }

  private static long mix(long v) {
    long z = v * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
