package io.identityjoin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The per-person algorithms of {@link AnchorProtection} and {@link LinkEvidence}, without Spark. */
class PersonGraphTest {

  private static PersonLinks.Edge email(long s, long d, String v, Set<Long> anchors) {
    return new PersonLinks.Edge(s, d, v, false, anchors.contains(s), anchors.contains(d));
  }

  @Test
  void linkEvidence_formsATreeRootedAtTheSmallestAnchorThatReachesEveryRecord() {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(40);
      Set<Long> anchors = new HashSet<>();
      List<PersonLinks.Edge> edges = new ArrayList<>();
      for (long v = 1; v < n; v++) {
        edges.add(email(random.nextInt((int) v), v, "e" + v, anchors)); // connected
      }
      for (int extra = 0; extra < n / 2; extra++) {
        edges.add(email(random.nextInt(n), random.nextInt(n), "x" + extra, anchors));
      }
      if (trial % 2 == 0) {
        anchors.add((long) random.nextInt(n));
        anchors.add((long) random.nextInt(n));
        edges.replaceAll(e -> email(e.src(), e.dst(), e.value(), anchors));
      }
      Collections.shuffle(edges, random);
      List<Row> tree = LinkEvidence.tree(edges);
      long root = anchors.isEmpty() ? 0 : Collections.min(anchors);
      assertEquals(n - 1, tree.size(), "every record but the root");
      Map<Long, Long> parent = new HashMap<>();
      tree.forEach(r -> parent.put(r.getLong(0), r.getLong(1)));
      for (long v = 0; v < n; v++) {
        long at = v;
        for (int steps = 0; at != root; steps++) {
          assertEquals(true, steps < n, "no cycle from " + v);
          at = parent.get(at);
        }
      }
      assertEquals(tree, LinkEvidence.tree(edges), "deterministic");
    }
  }

  @Test
  void anchorProtection_keepsEveryGroupAtOrUnderTheLimitAndDropsOnlyEmailLinks() {
    Set<Long> anchors = Set.of(1L, 2L, 3L);
    List<PersonLinks.Edge> edges = new ArrayList<>(List.of(
        email(1, 10, "a@x", anchors), email(2, 10, "b@x", anchors), email(3, 11, "c@x", anchors),
        email(10, 11, "d@x", anchors),
        new PersonLinks.Edge(12, 3, "3", true, false, true), new PersonLinks.Edge(12, 2, "2", true, false, true)));
    List<Row> dropped = AnchorProtection.drop(edges, 1);
    // 12's external ids tie 2 and 3 (kept, though over the limit). a@x joins 1-10; b@x would join 2 to
    // {1,10}: dropped; c@x brings 11 (no anchor) to {2,3,12}: kept; d@x would join {1,10} with
    // {2,3,11,12}: dropped.
    assertEquals(List.of("b@x", "d@x"), dropped.stream().map(r -> r.getString(2)).toList());
    assertEquals(List.of(), AnchorProtection.drop(edges, 5));
  }
}
