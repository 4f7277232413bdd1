package io.identityjoin.graph;

import java.util.Arrays;

/**
 * The driver's union-find for connected components: rows of ids that belong together, joined into
 * sets whose root is the set's smallest id.
 *
 * <p>{@link #ids} are the distinct ids, sorted; {@code root[i]} is the index (into {@link #ids}) of
 * the smallest id of {@code ids[i]}'s set, so {@code ids[root[i]]} is its label.
 *
 * <p>Two choices keep it fast at millions of ids, where every step is a cache miss into arrays
 * larger than the processor's caches:
 * <ul>
 *   <li>An id's index is found through a directory of the sorted ids by their leading bits
 *       (about one bucket per id) and a search inside its bucket: for spread-out ids such as the
 *       job's 64-bit hashes a bucket holds one or two ids. Skewed ids fill some buckets more and the
 *       search in them is a binary search, as over the whole array without the directory.</li>
 *   <li>Unions are Rem's algorithm with splicing (Patwary, Blair and Manne, "Experiments on
 *       union-find algorithms for the disjoint-set data structure", SEA 2010): every parent has a
 *       smaller index than its child, a union walks both paths upwards at once and re-points each
 *       node it leaves at the other path's smaller parent. With parents always smaller, the roots
 *       come out in one pass in index order, with no finds at all.</li>
 * </ul>
 */
record IdForest(long[] ids, int[] root) {

  /**
   * @param flat rows of {@code width} ids, row after row; every id of a row is in one set
   * @param width ids per row, at least 1
   */
  static IdForest of(long[] flat, int width) {
    if (width < 1 || flat.length % width != 0) {
      throw new IllegalArgumentException(flat.length + " ids are not rows of " + width);
    }
    long[] ids = sortedDistinct(flat);
    Directory directory = new Directory(ids);
    int[] parent = new int[ids.length];
    Arrays.setAll(parent, i -> i);
    for (int i = 0; i < flat.length; i += width) {
      int first = directory.indexOf(flat[i]);
      for (int c = 1; c < width; c++) {
        union(parent, first, directory.indexOf(flat[i + c]));
      }
    }
    // A parent's index is smaller than its child's, so the parent's root is known by the time the
    // child is reached.
    for (int i = 0; i < parent.length; i++) {
      parent[i] = parent[parent[i]];
    }
    return new IdForest(ids, parent);
  }

  /** Rem's union with splicing; invariant: {@code parent[i] <= i}, roots point at themselves. */
  static void union(int[] parent, int x, int y) {
    while (true) {
      int px = parent[x];
      int py = parent[y];
      if (px == py) {
        return;
      }
      if (px < py) {
        int t = x;
        x = y;
        y = t;
        t = px;
        px = py;
        py = t;
      }
      // Now px > py: x moves under y's smaller parent; if x was a root, that joins the sets.
      parent[x] = py;
      if (x == px) {
        return;
      }
      // Otherwise x's old parent (smaller than x) and the rest of its path still have to join.
      x = px;
    }
  }

  static long[] sortedDistinct(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[n - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, n);
  }

  /**
   * Where each id of a sorted array is: the ids' range from the smallest is cut into about as many
   * equal buckets as there are ids, and {@code start[b]} is the first index of bucket {@code b}.
   */
  static final class Directory {
    private static final int LINEAR = 8;
    private final long[] ids;
    private final long min;
    private final int shift;
    private final int[] start;

    Directory(long[] sortedIds) {
      this.ids = sortedIds;
      int n = sortedIds.length;
      this.min = n == 0 ? 0 : sortedIds[0];
      // As unsigned, the difference of any two longs fits; bits is the range's bit length. At most
      // 2^26 buckets (256 MiB of starts): past that, buckets hold more ids and are binary searched.
      long range = n == 0 ? 0 : sortedIds[n - 1] - min;
      int bits = 64 - Long.numberOfLeadingZeros(range);
      int bucketBits = Math.min(26, 32 - Integer.numberOfLeadingZeros(Math.max(1, n)));
      this.shift = Math.max(0, bits - bucketBits);
      int buckets = (int) (range >>> shift) + 1;
      this.start = new int[buckets + 1];
      int i = 0;
      for (int b = 0; b <= buckets; b++) {
        while (i < n && bucket(sortedIds[i]) < b) {
          i++;
        }
        start[b] = i;
      }
    }

    private int bucket(long id) {
      return (int) ((id - min) >>> shift);
    }

    /** The index of an id that is in the array. */
    int indexOf(long id) {
      int b = bucket(id);
      int from = start[b];
      int to = start[b + 1];
      if (to - from <= LINEAR) {
        for (int i = from; i < to; i++) {
          if (ids[i] == id) {
            return i;
          }
        }
      } else {
        int i = Arrays.binarySearch(ids, from, to, id);
        if (i >= 0) {
          return i;
        }
      }
      throw new IllegalArgumentException("id " + id + " is not in the directory");
    }
  }
}
