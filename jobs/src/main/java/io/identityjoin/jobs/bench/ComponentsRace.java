package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.col;

import io.identityjoin.config.Settings;
import io.identityjoin.core.EmailLinks;
import io.identityjoin.core.ExternalIdLinks;
import io.identityjoin.graph.ConnectedComponents;
import io.identityjoin.jobs.IdentityJoinJob;
import io.identityjoin.pipeline.IdentityResolution;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.VertexRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Connected components alone, on the identity graph of the sample (every external-ID and e-mail
 * link the job builds, as (src, dst) rows written once to Parquet): identity-join's
 * {@link ConnectedComponents} against GraphX's {@code ConnectedComponents} (Pregel label
 * propagation). Both label a component with its smallest vertex id, so the same partition means
 * the same (vertex, label) rows.
 */
final class ComponentsRace {

  private static final StructType LABELS = new StructType()
      .add("vertex", DataTypes.LongType, false)
      .add("component", DataTypes.LongType, false);

  private Dataset<Row> ours;
  private VertexRDD<Object> graphx;
  private Graph<Object, Object> graphxGraph;

  /** Writes the job's links for these settings as an edge table at {@code path} and returns its size. */
  static long writeEdges(SparkSession spark, Settings settings, String path) {
    Dataset<Row> rows = IdentityResolution.recordRows(IdentityJoinJob.readSources(spark, settings), settings).cache();
    try {
      Dataset<Row> ext = ExternalIdLinks.of(rows, settings);
      Dataset<Row> links = ext.unionByName(EmailLinks.of(rows, ext, settings))
          .select(col(ExternalIdLinks.SRC).as(ConnectedComponents.SRC), col(ExternalIdLinks.DST).as(ConnectedComponents.DST));
      links.write().mode(SaveMode.Overwrite).parquet(path);
    } finally {
      rows.unpersist();
    }
    return spark.read().parquet(path).count();
  }

  /** identity-join's algorithm with its default settings; the labels stay materialized. */
  void runOurs(Dataset<Row> edges) {
    ours = ConnectedComponents.run(edges, ConnectedComponents.Settings.defaults()).components();
  }

  /** GraphX's connected components on the same edges; the labels stay cached. */
  void runGraphx(Dataset<Row> edges) {
    JavaRDD<Edge<Object>> e = edges.toJavaRDD()
        .map(r -> new Edge<Object>(r.getLong(0), r.getLong(1), Boolean.TRUE));
    ClassTag<Object> any = ClassTag$.MODULE$.apply(Object.class);
    Graph<Object, Object> g = Graph.fromEdges(e.rdd(), Boolean.TRUE, StorageLevel.MEMORY_AND_DISK(),
        StorageLevel.MEMORY_AND_DISK(), any, any);
    graphxGraph = org.apache.spark.graphx.lib.ConnectedComponents.run(g, any, any);
    graphx = graphxGraph.vertices();
    graphx.count();
    g.unpersist(false);
  }

  /** Whether both runs labelled every vertex alike; then frees what they kept. */
  boolean samePartition(SparkSession spark) {
    try {
      JavaRDD<Row> gx = graphx.toJavaRDD().map(t -> RowFactory.create(t._1(), (Long) t._2()));
      Dataset<Row> theirs = spark.createDataFrame(gx, LABELS);
      Dataset<Row> mine = ours.select(col("vertex"), col("component"));
      List<Long> counts = List.of(mine.count(), theirs.count(), mine.exceptAll(theirs).count(),
          theirs.exceptAll(mine).count());
      return counts.get(0).equals(counts.get(1)) && counts.get(2) == 0 && counts.get(3) == 0;
    } finally {
      graphxGraph.unpersist(false);
      ours = null;
    }
  }
}
