package io.identityjoin.graph;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected components of an undirected graph on long vertex ids; each component is labelled
 * with its smallest vertex id.
 *
 * <p>The rounds are the alternating Large-Star / Small-Star algorithm of Kiveris, Lattanzi,
 * Mirrokni, Rastogi and Vassilvitskii, "Connected Components in MapReduce and Beyond" (ACM SoCC
 * 2014). Both operations rewire edges towards the smallest id of a neighbourhood without changing
 * connectivity; alternating them turns every component into a star centred on its minimum in
 * O(log² n) rounds (the paper's bound; it observes about log n in practice). Label propagation
 * (GraphX's Pregel connected components) instead needs one round per hop of the longest shortest
 * path, which is thousands of rounds for a long chain of merged records.
 *
 * <p>Only DataFrame operations are used, so this runs on Spark Connect (Databricks shared and
 * serverless compute), which has no RDD or SparkContext API.
 */
public final class ConnectedComponents {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectedComponents.class);

  /**
   * How the computation trades driver memory for rounds and lineage length.
   *
   * @param driverFinishMaxEdges once at most this many non-trivial edges remain, collect them and
   *     finish with a union-find on the driver; 0 keeps everything distributed
   * @param checkpointEvery cut the lineage with a local checkpoint every this many rounds
   * @param maxRounds give up (IllegalStateException) rather than run more distributed rounds
   */
  public record Settings(long driverFinishMaxEdges, int checkpointEvery, int maxRounds) {
    // The driver finish keeps four ids per collected edge in one Java array.
    private static final long MAX_DRIVER_EDGES = Integer.MAX_VALUE / 4;

    public Settings {
      if (driverFinishMaxEdges < 0 || driverFinishMaxEdges > MAX_DRIVER_EDGES) {
        throw new IllegalArgumentException(
            "driverFinishMaxEdges must be between 0 and " + MAX_DRIVER_EDGES + ", was " + driverFinishMaxEdges);
      }
      if (checkpointEvery < 1) {
        throw new IllegalArgumentException("checkpointEvery must be at least 1, was " + checkpointEvery);
      }
      if (maxRounds < 1) {
        throw new IllegalArgumentException("maxRounds must be at least 1, was " + maxRounds);
      }
    }

    public static Settings defaults() {
      return new Settings(1_000_000L, 2, 100);
    }
  }

  /**
   * @param components columns {@code vertex} and {@code component} (both bigint): one row per
   *     vertex that appears in any edge, component = smallest vertex id of its connected component.
   *     Materialised as a local checkpoint, so it does not depend on the input's lineage; Spark
   *     frees its blocks once the Dataset is no longer referenced.
   * @param rounds Large-Star + Small-Star rounds run on the cluster
   * @param finishedOnDriver whether the last step was a union-find over edges collected to the driver
   */
  public record Result(Dataset<Row> components, int rounds, boolean finishedOnDriver) {}

  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String VERTEX = "vertex";
  public static final String COMPONENT = "component";

  // Internal columns. Edge sets between rounds are kept oriented (src > dst, self-loops only
  // before the first round) and without duplicates, which is what both star operations assume.
  private static final String CHANGED = "changed";
  private static final String SRC_PARENT = "src_parent";
  private static final String DST_PARENT = "dst_parent";
  private static final String U = "u";
  private static final String V = "v";
  private static final String MIN = "m";
  private static final String PARENT = "parent";
  private static final String ROOT = "root";

  private ConnectedComponents() {}

  /**
   * @param edges columns {@code src} and {@code dst} (integral, read as bigint), undirected;
   *     self-loops and duplicate edges are allowed. A row with one null end makes the other end a
   *     vertex on its own; a row with two nulls is ignored.
   */
  public static Result run(Dataset<Row> edges, Settings settings) {
    requireIntegralColumn(edges, SRC);
    requireIntegralColumn(edges, DST);
    return new Run(settings).run(edges);
  }

  /** One call's state: what is cached, so that every exit path can release it. */
  private static final class Run {
    private final Settings settings;
    private final boolean finishOnDriver;
    private final List<Dataset<Row>> cached = new ArrayList<>();

    Run(Settings settings) {
      this.settings = settings;
      this.finishOnDriver = settings.driverFinishMaxEdges() > 0;
    }

    Result run(Dataset<Row> input) {
      try {
        Dataset<Row> current = materialize(withParentsIfNeeded(orient(input)), 0);
        Stats stats = Stats.of(current, finishOnDriver);
        // Self-loop-only vertices vanish in the first round (a star operation never emits a
        // self-loop), so keep them aside; most inputs have none and skip this job.
        Dataset<Row> loneVertices = stats.selfLoops() == 0 ? null
            : current.filter(col(SRC).equalTo(col(DST))).select(col(SRC).as(VERTEX)).localCheckpoint();
        int rounds = 0;
        while (true) {
          LOG.info("connected components after round {}: {}", rounds, stats);
          boolean converged = stats.edges() == 0
              || (rounds > 0 && stats.changed() == 0)
              || (finishOnDriver && stats.nonTrivial() == 0);
          if (converged) {
            return result(label(current, loneVertices, null), rounds, false);
          }
          if (finishOnDriver && stats.nonTrivial() <= settings.driverFinishMaxEdges()) {
            return result(label(current, loneVertices, finishWithUnionFind(current)), rounds, true);
          }
          if (rounds == settings.maxRounds()) {
            throw new IllegalStateException("connected components did not converge within maxRounds = "
                + settings.maxRounds() + " distributed rounds (" + stats.changed()
                + " edges still changing); raise maxRounds or driverFinishMaxEdges");
          }
          rounds++;
          Dataset<Row> next = materialize(withParentsIfNeeded(smallStar(largeStar(current))), rounds);
          stats = Stats.of(next, finishOnDriver);
          release(current);
          current = next;
        }
      } finally {
        cached.forEach(d -> d.unpersist(false));
      }
    }

    private Dataset<Row> withParentsIfNeeded(Dataset<Row> oriented) {
      return finishOnDriver ? withParents(oriented) : oriented;
    }

    /**
     * Every round's edge set is read by the next round and by one aggregate, so it is stored once
     * (the aggregate's job fills it). Every {@code checkpointEvery} rounds it is a local checkpoint
     * instead of a cache: a cached Dataset still carries the plans of all earlier rounds, which
     * Spark re-analyses on every round (time grows with the round count) and would replay after a
     * lost block. A local checkpoint keeps the data in the executors' block managers and forgets
     * the plan. Reliable checkpoints ({@code checkpoint()}) would need a checkpoint directory set on
     * the SparkContext — a cluster-wide setting users should not have to know about, and not
     * available from Spark Connect. The price of local checkpoints: losing an executor mid-run
     * fails the job instead of recomputing, which is acceptable for a job that is simply rerun.
     */
    private Dataset<Row> materialize(Dataset<Row> edges, int round) {
      if (round % settings.checkpointEvery() == 0) {
        // Not eager: the Stats aggregate that follows is the job that fills the checkpoint.
        return edges.localCheckpoint(false);
      }
      Dataset<Row> persisted = edges.persist();
      cached.add(persisted);
      return persisted;
    }

    private void release(Dataset<Row> edges) {
      // A local checkpoint cannot be released through the Dataset API; Spark's ContextCleaner
      // drops its blocks once the Dataset is unreachable.
      if (cached.remove(edges)) {
        edges.unpersist(false);
      }
    }

    private Result result(Dataset<Row> components, int rounds, boolean finishedOnDriver) {
      // Materialised before the caches it is computed from are released in run()'s finally.
      return new Result(components.localCheckpoint(), rounds, finishedOnDriver);
    }
  }

  /** Aggregates read from one materialised edge set with a single job. */
  private record Stats(long edges, long changed, long nonTrivial, long selfLoops) {
    static Stats of(Dataset<Row> edges, boolean withNonTrivial) {
      List<String> columns = Arrays.asList(edges.columns());
      Column changed = columns.contains(CHANGED) ? countWhere(col(CHANGED)) : lit(-1L);
      Column nonTrivial = withNonTrivial ? countWhere(col(SRC_PARENT).notEqual(col(DST_PARENT))) : lit(-1L);
      Row r = edges.agg(count(lit(1)), changed, nonTrivial, countWhere(col(SRC).equalTo(col(DST)))).first();
      return new Stats(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3));
    }

    private static Column countWhere(Column condition) {
      return coalesce(sum(when(condition, 1L).otherwise(0L)), lit(0L));
    }
  }

  /** Undirected edges as (larger id, smaller id), once each; self-loops kept for their vertex. */
  private static Dataset<Row> orient(Dataset<Row> edges) {
    Column a = col(SRC).cast(DataTypes.LongType);
    Column b = col(DST).cast(DataTypes.LongType);
    return edges
        .select(greatest(a, b).as(SRC), least(a, b).as(DST))
        .filter(col(DST).isNotNull())
        .distinct();
  }

  /**
   * Large-Star (the paper's §3): every vertex u links each strictly larger neighbour to the
   * smallest id of its closed neighbourhood, m(u). Input oriented src > dst; output is oriented the
   * same way (v > u >= m(u)) and may hold duplicates. {@code changed} marks an output edge that is
   * not the input edge it came from, i.e. m(u) < u.
   */
  private static Dataset<Row> largeStar(Dataset<Row> edges) {
    Dataset<Row> bothWays = edges.select(col(SRC).as(U), col(DST).as(V))
        .union(edges.select(col(DST).as(U), col(SRC).as(V)));
    // A window rather than groupBy + join: one shuffle, and a hub's neighbours are streamed past
    // its minimum instead of being collected into an array.
    Column m = least(col(U), min(col(V)).over(Window.partitionBy(U)));
    return bothWays.withColumn(MIN, m)
        .filter(col(V).gt(col(U)))
        .select(col(V).as(SRC), col(MIN).as(DST), col(MIN).lt(col(U)).as(CHANGED));
  }

  /**
   * Small-Star (the paper's §3): every vertex u links itself and each of its smaller neighbours to
   * the smallest of them, m. Groups on src, the larger end of each Large-Star edge. Output oriented
   * src > dst, without duplicates; {@code changed} is true if any edge that produced it was not
   * already in the Large-Star output, so a round whose output has no changed edge reproduced its
   * input exactly: the graph is a set of stars around each component's minimum.
   */
  private static Dataset<Row> smallStar(Dataset<Row> edges) {
    Dataset<Row> withMin = edges.withColumn(MIN, min(col(DST)).over(Window.partitionBy(SRC)));
    Column self = struct(col(SRC).as(SRC), col(MIN).as(DST),
        col(CHANGED).or(col(DST).notEqual(col(MIN))).as(CHANGED));
    // (m, m) when the neighbour is the minimum itself; filtered below.
    Column neighbour = struct(col(DST).as(SRC), col(MIN).as(DST), lit(true).as(CHANGED));
    return withMin
        .select(explode(array(self, neighbour)).as("e"))
        .select("e.*")
        .filter(col(SRC).notEqual(col(DST)))
        .groupBy(SRC, DST)
        .agg(max(col(CHANGED)).as(CHANGED));
  }

  /**
   * Adds each end's parent p(x) = min(x, smaller neighbours of x). The parent links form a forest
   * whose roots are the vertices with no smaller neighbour, and an edge (a, b) with p(a) = p(b) is
   * implied by the links a-p(a) and b-p(b), so only the other, non-trivial edges still carry
   * information beyond the forest. When there are none, every parent is a root and each tree is a
   * whole component, so p(x) is already x's label.
   */
  private static Dataset<Row> withParents(Dataset<Row> edges) {
    Dataset<Row> withSrcParent = edges.withColumn(SRC_PARENT, min(col(DST)).over(Window.partitionBy(SRC)));
    Dataset<Row> parents = withSrcParent.select(col(SRC).as(V), col(SRC_PARENT).as(PARENT)).distinct();
    return withSrcParent
        .join(parents, withSrcParent.col(DST).equalTo(parents.col(V)), "left")
        .drop(V)
        .withColumn(DST_PARENT, coalesce(col(PARENT), col(DST)))
        .drop(PARENT);
  }

  /**
   * Union-find over the non-trivial edges plus the parent links of their ends, which connect them
   * to the forest (see {@link #withParents}). Because the ids are sorted, linking the larger root
   * under the smaller makes every root the smallest id of its set. Returns (vertex, root) for each
   * vertex whose root is not itself.
   */
  private static Dataset<Row> finishWithUnionFind(Dataset<Row> edgesWithParents) {
    List<Row> rows = edgesWithParents
        .filter(col(SRC_PARENT).notEqual(col(DST_PARENT)))
        .select(SRC, DST, SRC_PARENT, DST_PARENT)
        .collectAsList();
    long[] ends = new long[rows.size() * 4];
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < 4; c++) {
        ends[4 * i + c] = rows.get(i).getLong(c);
      }
    }
    long[] ids = Arrays.stream(ends).sorted().distinct().toArray();
    int[] parent = new int[ids.length];
    Arrays.setAll(parent, i -> i);
    for (int i = 0; i < rows.size(); i++) {
      int a = Arrays.binarySearch(ids, ends[4 * i]);
      int b = Arrays.binarySearch(ids, ends[4 * i + 1]);
      union(parent, a, b);
      union(parent, a, Arrays.binarySearch(ids, ends[4 * i + 2]));
      union(parent, b, Arrays.binarySearch(ids, ends[4 * i + 3]));
    }
    List<Row> roots = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      int root = find(parent, i);
      if (root != i) {
        roots.add(RowFactory.create(ids[i], ids[root]));
      }
    }
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField(V, DataTypes.LongType, false),
        DataTypes.createStructField(ROOT, DataTypes.LongType, false)});
    return edgesWithParents.sparkSession().createDataFrame(roots, schema);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]]; // path halving
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra < rb) {
      parent[rb] = ra;
    } else if (rb < ra) {
      parent[ra] = rb;
    }
  }

  /**
   * Labels every vertex with its parent's root: the parent itself when the driver did not finish
   * (the edges are then stars, or at least a forest of depth one), otherwise the union-find root.
   */
  private static Dataset<Row> label(Dataset<Row> edges, Dataset<Row> loneVertices, Dataset<Row> roots) {
    Dataset<Row> candidates = edges.select(col(SRC).as(VERTEX), col(DST).as(PARENT))
        .union(edges.select(col(DST).as(VERTEX), col(DST).as(PARENT)));
    if (loneVertices != null) {
      candidates = candidates.union(loneVertices.select(col(VERTEX), col(VERTEX).as(PARENT)));
    }
    Dataset<Row> parents = candidates.groupBy(VERTEX).agg(min(col(PARENT)).as(PARENT));
    if (roots == null) {
      return parents.select(col(VERTEX), col(PARENT).as(COMPONENT));
    }
    return parents
        .join(roots, parents.col(PARENT).equalTo(roots.col(V)), "left")
        .select(col(VERTEX), coalesce(col(ROOT), col(PARENT)).as(COMPONENT));
  }

  private static void requireIntegralColumn(Dataset<Row> edges, String name) {
    if (!Arrays.asList(edges.columns()).contains(name)) {
      throw new IllegalArgumentException(
          "edges need a column `" + name + "`; found " + Arrays.toString(edges.columns()));
    }
    if (!(edges.schema().apply(name).dataType() instanceof IntegralType)) {
      throw new IllegalArgumentException("edges column `" + name + "` must be an integral type (bigint), was "
          + edges.schema().apply(name).dataType().simpleString());
    }
  }
}
