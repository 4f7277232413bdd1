package io.identityjoin.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simplest correct connected components: union-find over edges held in memory. Shares no
 * code with {@link ConnectedComponents}, so the two can only agree by both being right.
 */
final class UnionFindOracle {
  private final Map<Long, Long> parent = new HashMap<>();

  private UnionFindOracle() {}

  /** Each vertex of {@code edges} (pairs {src, dst}) mapped to the smallest id of its component. */
  static Map<Long, Long> components(List<long[]> edges) {
    UnionFindOracle uf = new UnionFindOracle();
    for (long[] e : edges) {
      uf.union(e[0], e[1]);
    }
    Map<Long, Long> out = new HashMap<>();
    for (Long v : uf.parent.keySet()) {
      out.put(v, uf.find(v));
    }
    return out;
  }

  private long find(long v) {
    parent.putIfAbsent(v, v);
    long root = v;
    while (parent.get(root) != root) {
      root = parent.get(root);
    }
    while (parent.get(v) != root) { // path compression
      long next = parent.get(v);
      parent.put(v, root);
      v = next;
    }
    return root;
  }

  /** Keeps the smaller id as root, so every root is its set's minimum. */
  private void union(long a, long b) {
    long ra = find(a);
    long rb = find(b);
    if (ra < rb) {
      parent.put(rb, ra);
    } else if (rb < ra) {
      parent.put(ra, rb);
    }
  }
}
