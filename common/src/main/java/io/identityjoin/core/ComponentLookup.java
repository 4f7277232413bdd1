package io.identityjoin.core;

import io.identityjoin.graph.ConnectedComponents;
import io.identityjoin.graph.VertexLabels;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A record's person (rule 5's component) looked up in the driver's labels, shipped once to every
 * executor as a broadcast of two arrays, instead of a join with the components table. Used when the
 * driver's union-find labelled the whole graph and the labels fit the broadcast threshold
 * ({@code joins.broadcast-threshold}, 16 bytes a labelled record): then identity_map's assembly
 * shuffles the records once, by person, instead of once by record to meet the components and again
 * by person. Larger graphs, labelled by distributed rounds, are joined with the components table.
 */
public final class ComponentLookup {

  private final Broadcast<VertexLabels> labels;
  private final UserDefinedFunction componentOf;

  private ComponentLookup(Broadcast<VertexLabels> labels) {
    this.labels = labels;
    this.componentOf = functions.udf(lookup(labels), DataTypes.LongType);
  }

  /** A lookup when {@code components} has the driver's labels and they fit {@code broadcastThresholdBytes}. */
  public static Optional<ComponentLookup> of(SparkSession spark, ConnectedComponents.Result components,
      long broadcastThresholdBytes) {
    return components.driverLabels()
        .filter(l -> l.bytes() <= broadcastThresholdBytes)
        .map(l -> new ComponentLookup(JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(l)));
  }

  /** A bigint column: the component of {@code vertex}, null for a record linked to nothing. */
  public Column componentOf(Column vertex) {
    return componentOf.apply(vertex);
  }

  /** Drops the executors' copies (the driver keeps its own until nothing refers to the lookup). */
  public void release() {
    labels.unpersist(false);
  }

  // Static, so that the function's closure holds the broadcast's handle and nothing else.
  private static UDF1<Long, Long> lookup(Broadcast<VertexLabels> labels) {
    return vertex -> vertex == null ? null : labels.value().componentOf(vertex);
  }
}
