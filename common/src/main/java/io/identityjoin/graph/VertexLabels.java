package io.identityjoin.graph;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Connected components as the driver's union-find left them: every vertex of the graph, sorted,
 * with its component's label at the same index. Two arrays of longs, 16 bytes a vertex, which is
 * what a broadcast of them ships (a hash table of the same labels as Spark builds it for a broadcast
 * join took about 90 bytes a vertex).
 */
public final class VertexLabels implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] vertices;
  private final long[] components;

  /**
   * @param vertices distinct and sorted ascending
   * @param components {@code components[i]} is the label of {@code vertices[i]}
   */
  VertexLabels(long[] vertices, long[] components) {
    if (vertices.length != components.length) {
      throw new IllegalArgumentException(vertices.length + " vertices but " + components.length + " labels");
    }
    for (int i = 1; i < vertices.length; i++) {
      if (vertices[i - 1] >= vertices[i]) {
        throw new IllegalArgumentException("vertices must be distinct and sorted; index " + i + " is not");
      }
    }
    this.vertices = vertices;
    this.components = components;
  }

  /** The label of {@code vertex}, or null when it is not a vertex of the graph. */
  public Long componentOf(long vertex) {
    int i = Arrays.binarySearch(vertices, vertex);
    return i >= 0 ? components[i] : null;
  }

  /** How many vertices are labelled. */
  public int size() {
    return vertices.length;
  }

  long[] vertices() {
    return vertices;
  }

  long[] components() {
    return components;
  }

  /** The bytes the two arrays hold. */
  public long bytes() {
    return 2L * Long.BYTES * vertices.length;
  }
}
