package io.identityjoin.graph;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
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
 * O(log² n) rounds (the paper's proven bound; in practice about log2 n: 10 for a 2,000-long
 * chain). Label propagation
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
   * @param driverFinishMaxEdges once at most this many non-trivial edges remain (edges whose ends
   *     do not yet point at the same parent) or at most this many edges in all, collect them and
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
      return new Settings(2_500_000L, 2, 100);
    }
  }

  /**
   * @param components columns {@code vertex} and {@code component} (both bigint): one row per
   *     vertex that appears in any edge, component = smallest vertex id of its connected component.
   *     Materialised as a local checkpoint, so it does not depend on the input's lineage; Spark
   *     frees its blocks once the Dataset is no longer referenced.
   * @param rounds Large-Star + Small-Star rounds run on the cluster (before a driver finish, the
   *     last one is the round that measured that the finish fits)
   * @param finishedOnDriver whether the last step was a union-find over edges collected to the driver
   * @param driverLabels the same labels as {@code components}, on the driver, when the union-find took
   *     the whole graph (no distributed round): the driver holds them anyway, and a caller may look
   *     records up in them instead of joining with {@code components}
   */
  public record Result(Dataset<Row> components, int rounds, boolean finishedOnDriver,
      Optional<VertexLabels> driverLabels) {
    public Result(Dataset<Row> components, int rounds, boolean finishedOnDriver) {
      this(components, rounds, finishedOnDriver, Optional.empty());
    }
  }

  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String VERTEX = "vertex";
  public static final String COMPONENT = "component";

  // Internal columns. Edges are kept oriented, src > dst (self-loops only before the first round).
  private static final String CHANGED = "changed";
  private static final String NON_TRIVIAL_BEFORE = "non_trivial_before";
  private static final String LOW = "low";
  private static final String U = "u";
  private static final String V = "v";
  private static final String MIN = "m";
  private static final String PARENT = "parent";
  private static final String ROOT = "root";

  private ConnectedComponents() {}

  /**
   * @param edges columns {@code src} and {@code dst} (integral, read as bigint), undirected;
   *     self-loops and duplicate edges are allowed. A row with one null end makes the other end a
   *     vertex on its own; a row with two nulls is ignored. Read twice when it fits the driver
   *     finish (counted, then collected), so a materialized table (a checkpoint, a cache, files) is
   *     what to pass, not an expensive plan.
   */
  public static Result run(Dataset<Row> edges, Settings settings) {
    requireIntegralColumn(edges, SRC);
    requireIntegralColumn(edges, DST);
    return new Run(settings).run(edges);
  }

  /*
   * Why the driver finish and the stopping rule are sound. Let p(x) = min(x, neighbours of x),
   * x's parent. Each x != p(x) has the edge x-p(x) and p(x) < x, so parent links form a forest whose
   * roots are the vertices without a smaller neighbour; a component's minimum is a root. An edge
   * (a, b) with p(a) = p(b) is implied by the links a-p(a) and b-p(b): it is trivial. The other
   * edges are non-trivial, and with them the forest has the same components as the graph. If there
   * are none, every link x-p(x) is trivial, so p(p(x)) = p(x): trees have depth one, each tree is a
   * whole component, and p(x) is x's label. Otherwise a union-find over the non-trivial edges and
   * the parent links of their ends reaches, from every such end, its tree's root (a link to a
   * non-root parent is itself non-trivial), so its sets hold every root of every component that
   * has a non-trivial edge, and the label of x is the set minimum of p(x) when p(x) is in a set,
   * else p(x).
   */

  /** One call's state: what is cached, so that every exit path can release it. */
  private static final class Run {
    private final Settings settings;
    private final List<Dataset<Row>> cached = new ArrayList<>();

    Run(Settings settings) {
      this.settings = settings;
    }

    Result run(Dataset<Row> input) {
      try {
        Dataset<Row> oriented = orient(input);
        // Counted before anything is stored: an input small enough to take whole is collected
        // straight from it, without writing the oriented edges to the block managers first (at 4M
        // records, 2M edges, the job's case). A larger input is stored by the first round's job.
        Stats stats = Stats.of(oriented);
        if (stats.rows() > 0 && stats.rows() <= settings.driverFinishMaxEdges()) {
          // A union-find over all edges needs no parents, and before the first round the edges
          // still hold every vertex (self-loops too), so the driver labels them all and no
          // distributed labelling pass is needed.
          IdForest f = forest(oriented.select(SRC, DST));
          VertexLabels labels = labelsOf(f);
          return result(labelsTable(oriented, labels), 0, true, Optional.of(labels));
        }
        Dataset<Row> current = materialize(oriented, 0);
        // Self-loop-only vertices vanish in the first round (neither star operation emits a
        // self-loop), so keep them aside; most inputs have none and skip this job.
        Dataset<Row> loneVertices = stats.selfLoops() == 0 ? null
            : current.filter(col(SRC).equalTo(col(DST))).select(col(SRC).as(VERTEX)).localCheckpoint();
        int rounds = 0;
        while (true) {
          if (stats.rows() == 0) {
            return result(label(current, loneVertices, null), rounds, false);
          }
          if (stats.rows() <= settings.driverFinishMaxEdges()) {
            // Small enough to take whole (only after a round: a small input was taken above).
            Dataset<Row> roots = unionFindOnDriver(current.select(SRC, DST));
            return result(label(current, loneVertices, roots), rounds, true);
          }
          if (rounds == settings.maxRounds()) {
            throw new IllegalStateException("connected components did not converge within maxRounds = "
                + settings.maxRounds() + " distributed rounds (" + stats.changed()
                + " edges changed in the last one); raise maxRounds or driverFinishMaxEdges");
          }
          rounds++;
          Dataset<Row> next = materialize(smallStar(largeStar(current)), rounds);
          Stats after = Stats.of(next);
          LOG.info("connected components round {}: {}", rounds, after);
          // A round that changed nothing found stars; no non-trivial edges before it means the
          // forest of parents was already the answer (see above), sometimes one round earlier.
          if (after.changed() == 0 || after.nonTrivialBefore() == 0) {
            return result(label(current, loneVertices, null), rounds, false);
          }
          // The count is of the edges before this round (Small-Star measures it for free), so the
          // finish takes those and drops this round's output, unless that fits whole (loop top).
          if (after.nonTrivialBefore() <= settings.driverFinishMaxEdges()
              && after.rows() > settings.driverFinishMaxEdges()) {
            Dataset<Row> roots = unionFindOnDriver(nonTrivialEdges(current));
            return result(label(current, loneVertices, roots), rounds, true);
          }
          release(current);
          current = next;
          stats = after;
        }
      } finally {
        cached.forEach(d -> d.unpersist(false));
      }
    }

    /**
     * Every round's edge set is read by the next round and by one aggregate, so it is stored once
     * (the aggregate's job fills it; the input, counted before it is stored, is filled by the first
     * round). Every {@code checkpointEvery} rounds it is a local checkpoint
     * instead of a cache: a cached Dataset still carries the plans of all earlier rounds, which
     * Spark re-analyses on every round (time grows with the round count) and would replay after a
     * lost block. A local checkpoint keeps the data in the executors' block managers and forgets
     * the plan. Reliable checkpoints ({@code checkpoint()}) would need a checkpoint directory set on
     * the SparkContext, a cluster-wide setting users should not have to know about and one Spark
     * Connect cannot make. The price of local checkpoints: losing an executor mid-run fails the job
     * instead of recomputing, which is acceptable for a batch job that is simply rerun.
     */
    private Dataset<Row> materialize(Dataset<Row> edges, int round) {
      if (round % settings.checkpointEvery() == 0) {
        // Not eager: the next job that reads it fills it (a round's Stats aggregate; for the
        // input, the first round's).
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
      return result(components, rounds, finishedOnDriver, Optional.empty());
    }

    private Result result(Dataset<Row> components, int rounds, boolean finishedOnDriver,
        Optional<VertexLabels> driverLabels) {
      // Materialised before run()'s finally releases the caches it is computed from.
      return new Result(components.localCheckpoint(), rounds, finishedOnDriver, driverLabels);
    }
  }

  /**
   * One job's aggregates over a materialised edge set: rows (duplicates included), rows marked
   * changed, non-trivial edges of the round's input, self-loops; -1 where a column is absent.
   */
  private record Stats(long rows, long changed, long nonTrivialBefore, long selfLoops) {
    static Stats of(Dataset<Row> edges) {
      List<String> columns = Arrays.asList(edges.columns());
      Row r = edges.agg(
          count(lit(1)),
          columns.contains(CHANGED) ? countWhere(col(CHANGED)) : lit(-1L),
          columns.contains(NON_TRIVIAL_BEFORE) ? coalesce(sum(col(NON_TRIVIAL_BEFORE)), lit(0L)) : lit(-1L),
          countWhere(col(SRC).equalTo(col(DST)))).first();
      return new Stats(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3));
    }

    private static Column countWhere(Column condition) {
      return coalesce(sum(when(condition, 1L).otherwise(0L)), lit(0L));
    }
  }

  /**
   * Undirected edges as (larger id, smaller id); self-loops kept for their vertex. Duplicates are
   * left for Large-Star's sort to drop, which saves a shuffle here.
   */
  private static Dataset<Row> orient(Dataset<Row> edges) {
    Column a = col(SRC).cast(DataTypes.LongType);
    Column b = col(DST).cast(DataTypes.LongType);
    return edges
        .select(greatest(a, b).as(SRC), least(a, b).as(DST))
        .filter(col(DST).isNotNull());
  }

  /**
   * Large-Star (the paper's section 3): every vertex u links each strictly larger neighbour v to
   * m(u), the smallest id of u and its neighbours. One shuffle: both directions of every edge are
   * partitioned by u and sorted by v, so a duplicate edge equals the row before it and is dropped
   * here rather than by a shuffle of its own. Output (src = v, dst = m(u), low = u): src > dst, one row per distinct input edge,
   * duplicates possible; changed marks m(u) < u, an edge that is not the one it came from.
   */
  private static Dataset<Row> largeStar(Dataset<Row> edges) {
    Dataset<Row> bothWays = edges.select(col(SRC).as(U), col(DST).as(V))
        .union(edges.select(col(DST).as(U), col(SRC).as(V)));
    WindowSpec byU = Window.partitionBy(U).orderBy(V);
    WindowSpec allOfU = byU.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    return bothWays
        .withColumn(MIN, least(col(U), min(col(V)).over(allOfU)))
        .withColumn("previous_v", lag(col(V), 1).over(byU))
        .filter(col(V).gt(col(U)).and(not(col(V).eqNullSafe(col("previous_v")))))
        .select(col(V).as(SRC), col(MIN).as(DST), col(MIN).lt(col(U)).as(CHANGED), col(U).as(LOW));
  }

  /**
   * Small-Star (the paper's section 3): every vertex u links itself and each smaller neighbour to
   * mm, the smallest of them; here u is the src of Large-Star's output. One shuffle, sorted by
   * (src, dst) so that each output edge of a group is written once. The
   * same sort measures the non-trivial edges of the round's input for free: a Large-Star row
   * (src, m(low), low) is the input edge src-low, m(low) = p(low), and p(src) is the group's
   * smallest low. Output oriented src > dst; duplicates are possible across groups and dropped
   * by the next Large-Star. A group marks its own row changed if any of its rows was changed or
   * it links more than one neighbour, so a round whose output has no changed row reproduced its
   * input exactly: every component is a star around its minimum.
   */
  private static Dataset<Row> smallStar(Dataset<Row> largeStarEdges) {
    WindowSpec group = Window.partitionBy(SRC).orderBy(DST);
    WindowSpec wholeGroup = group.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Dataset<Row> ranked = largeStarEdges
        .withColumn(MIN, min(col(DST)).over(wholeGroup))
        .withColumn(PARENT, min(col(LOW)).over(wholeGroup))
        .withColumn("first_in_group", row_number().over(group).equalTo(1))
        .withColumn("first_of_dst", not(col(DST).eqNullSafe(lag(col(DST), 1).over(group))))
        .withColumn("group_changed",
            max(col(CHANGED)).over(wholeGroup).or(max(col(DST)).over(wholeGroup).notEqual(col(MIN))))
        .withColumn(NON_TRIVIAL_BEFORE,
            sum(when(col(DST).notEqual(col(PARENT)), 1L).otherwise(0L)).over(wholeGroup));
    Column self = when(col("first_in_group"),
        struct(col(SRC).as(SRC), col(MIN).as(DST), col("group_changed").as(CHANGED),
            col(NON_TRIVIAL_BEFORE).as(NON_TRIVIAL_BEFORE)));
    Column neighbour = when(col(DST).notEqual(col(MIN)).and(col("first_of_dst")),
        struct(col(DST).as(SRC), col(MIN).as(DST), lit(true).as(CHANGED), lit(0L).as(NON_TRIVIAL_BEFORE)));
    return ranked
        .select(explode(array(self, neighbour)).as("e"))
        .filter(col("e").isNotNull())
        .select("e.*");
  }

  /**
   * The non-trivial edges of an edge set as (a, b, p(a), p(b)), one row per edge: Large-Star's
   * rows carry p of their low end, and p of the other end is the smallest low of its group.
   */
  private static Dataset<Row> nonTrivialEdges(Dataset<Row> edges) {
    return largeStar(edges)
        .withColumn(PARENT, min(col(LOW)).over(Window.partitionBy(SRC)))
        .filter(col(DST).notEqual(col(PARENT)))
        .select(col(SRC), col(LOW), col(PARENT), col(DST));
  }

  /**
   * Collects rows of ids that belong together (every id of a row in one component) and joins
   * them on the driver with a union-find. Because the ids are sorted, linking the larger root
   * under the smaller makes each root the smallest id of its set. Returns (vertex, root) for
   * every id whose root is not itself.
   */
  private static Dataset<Row> unionFindOnDriver(Dataset<Row> linkedIds) {
    IdForest f = forest(linkedIds);
    int n = 0;
    for (int i = 0; i < f.ids().length; i++) {
      n += f.root()[i] != i ? 1 : 0;
    }
    long[] vertices = new long[n];
    long[] roots = new long[n];
    n = 0;
    for (int i = 0; i < f.ids().length; i++) {
      if (f.root()[i] != i) {
        vertices[n] = f.ids()[i];
        roots[n++] = f.ids()[f.root()[i]];
      }
    }
    return DriverTransfer.pairs(linkedIds.sparkSession(), vertices, roots, V, ROOT, blocks(linkedIds));
  }

  /** Every id of a union-find over the whole graph with its set's smallest id. */
  private static VertexLabels labelsOf(IdForest f) {
    long[] labels = new long[f.ids().length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = f.ids()[f.root()[i]];
    }
    return new VertexLabels(f.ids(), labels);
  }

  /** {@code (vertex, component)} for every id of the edges, from a union-find over all of them. */
  private static Dataset<Row> labelsTable(Dataset<Row> edges, VertexLabels labels) {
    return DriverTransfer.pairs(edges.sparkSession(), labels.vertices(), labels.components(), VERTEX, COMPONENT,
        blocks(edges));
  }

  /** Blocks to ship driver-made labels in: one per core, so that every core unpacks one. */
  private static int blocks(Dataset<Row> any) {
    return Math.max(1, any.sparkSession().sparkContext().defaultParallelism());
  }

  /** The collected rows of ids that belong together, joined on the driver ({@link IdForest}). */
  private static IdForest forest(Dataset<Row> linkedIds) {
    int width = linkedIds.columns().length;
    long[] flat = DriverTransfer.collect(linkedIds);
    LOG.info("connected components: finishing on the driver with {} edges", flat.length / width);
    return IdForest.of(flat, width);
  }

  /**
   * Labels every vertex with p(x), mapped through the union-find roots when the driver finished
   * (see the reasoning above {@link Run}); duplicate edges and self-loops do not matter here.
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
