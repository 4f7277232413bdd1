package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Guard: at most {@code max-anchor-ids-per-person} anchor records per person. Anchor ids are the
 * strongest identity there is (the product's own user id); a person holding several is usually two
 * people joined through an e-mail. For each person over the limit, its external-ID links are kept,
 * then its e-mail links are taken in order of (e-mail, src, dst) and each is dropped if it would
 * join two groups that both hold anchor records and together exceed the limit. The order makes the
 * result deterministic; external-ID links are never dropped (so a record whose history names two
 * anchor ids still joins both).
 */
public final class AnchorProtection {

  private static final StructType DROPPED = DataTypes.createStructType(List.of(
      DataTypes.createStructField(ExternalIdLinks.SRC, DataTypes.LongType, false),
      DataTypes.createStructField(ExternalIdLinks.DST, DataTypes.LongType, false),
      DataTypes.createStructField(ExternalIdLinks.VALUE, DataTypes.StringType, true)));

  private AnchorProtection() {}

  /**
   * The e-mail links {@code (src, dst, value)} to drop.
   *
   * @param components {@code (vertex, component)} of every linked record, before any drop
   */
  public static Dataset<Row> droppedLinks(Dataset<Row> externalIdLinks, Dataset<Row> emailLinks,
      Dataset<Row> components, long maxAnchorIdsPerPerson) {
    Dataset<Row> links = PersonLinks.of(externalIdLinks, emailLinks, components);
    // Only persons over the limit are regrouped; anchor records are counted once each, as sources.
    Dataset<Row> anchorsPerPerson = links
        .select(col(PersonLinks.COMPONENT), col(ExternalIdLinks.SRC).as("v"), col(PersonLinks.SRC_ANCHOR).as("a"))
        .unionByName(links.select(col(PersonLinks.COMPONENT), col(ExternalIdLinks.DST).as("v"),
            col(PersonLinks.DST_ANCHOR).as("a")))
        .distinct()
        .groupBy(PersonLinks.COMPONENT).agg(sum(when(col("a"), 1).otherwise(0)).as("anchors"))
        .where(col("anchors").gt(maxAnchorIdsPerPerson))
        .select(col(PersonLinks.COMPONENT).as("over"));
    Dataset<Row> over = links.join(anchorsPerPerson, links.col(PersonLinks.COMPONENT).equalTo(anchorsPerPerson.col("over")),
        "left_semi");
    return PersonLinks.perPerson(over, DROPPED, edges -> drop(edges, maxAnchorIdsPerPerson));
  }

  /** The dropped e-mail links of one person's links, as rows {@code (src, dst, value)}. */
  static List<Row> drop(List<PersonLinks.Edge> edges, long maxAnchors) {
    Groups groups = new Groups();
    List<PersonLinks.Edge> byEmail = new ArrayList<>();
    for (PersonLinks.Edge e : edges) {
      groups.add(e.src(), e.srcAnchor());
      groups.add(e.dst(), e.dstAnchor());
      if (e.external()) {
        groups.union(e.src(), e.dst());
      } else {
        byEmail.add(e);
      }
    }
    byEmail.sort(Comparator.comparing(PersonLinks.Edge::value).thenComparingLong(PersonLinks.Edge::src)
        .thenComparingLong(PersonLinks.Edge::dst));
    List<Row> dropped = new ArrayList<>();
    for (PersonLinks.Edge e : byEmail) {
      long a = groups.anchors(e.src());
      long b = groups.anchors(e.dst());
      if (groups.find(e.src()) != groups.find(e.dst()) && a > 0 && b > 0 && a + b > maxAnchors) {
        dropped.add(RowFactory.create(e.src(), e.dst(), e.value()));
      } else {
        groups.union(e.src(), e.dst());
      }
    }
    return dropped;
  }

  /** Union-find over vertices, counting anchor records per group. */
  private static final class Groups {
    private final Map<Long, Long> parent = new HashMap<>();
    private final Map<Long, Long> anchors = new HashMap<>();

    void add(long v, boolean anchor) {
      if (parent.putIfAbsent(v, v) == null) {
        anchors.put(v, anchor ? 1L : 0L);
      }
    }

    long find(long v) {
      long root = v;
      while (parent.get(root) != root) {
        root = parent.get(root);
      }
      while (parent.get(v) != root) {
        long next = parent.get(v);
        parent.put(v, root);
        v = next;
      }
      return root;
    }

    long anchors(long v) {
      return anchors.get(find(v));
    }

    void union(long a, long b) {
      long ra = find(a);
      long rb = find(b);
      if (ra != rb) {
        parent.put(rb, ra);
        anchors.put(ra, anchors.get(ra) + anchors.get(rb));
      }
    }
  }
}
