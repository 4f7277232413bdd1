package io.identityjoin.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Why a record is in its person: {@code matched_by} (the external id or e-mail of the link) and
 * {@code linked_to} (the record at its other end). Per person, the links are walked breadth-first
 * from its root — its anchor record (the smallest vertex if several), else its smallest record —
 * and each other record keeps the link by which it was first reached: an external id names a
 * record, an e-mail reaches every record that carries it. Those links form a tree, so
 * following {@code linked_to} from any record ends at the root by the shortest chain of links, and
 * the tree connects every member: {@code explain} reads it back from identity_map alone. The root
 * has no {@code matched_by}. {@code matched_on} says whether the value is an external id (it names
 * the anchor record at one end) or an e-mail.
 */
public final class LinkEvidence {

  public static final String LINKED_VERTEX = "linked_vertex";
  public static final String MATCHED_BY = "matched_by";
  /** {@code external_id} or {@code email}: what kind of value {@code matched_by} is. */
  public static final String MATCHED_ON = "matched_on";

  private static final StructType TREE = DataTypes.createStructType(List.of(
      DataTypes.createStructField(SourceRecords.VERTEX, DataTypes.LongType, false),
      DataTypes.createStructField(LINKED_VERTEX, DataTypes.LongType, false),
      DataTypes.createStructField(MATCHED_BY, DataTypes.StringType, true),
      DataTypes.createStructField(MATCHED_ON, DataTypes.StringType, false)));

  private LinkEvidence() {}

  /**
   * {@code (vertex, linked_vertex, matched_by, matched_on)} for every linked record but each person's root,
   * as a table. A run works the tree out as it assembles identity_map ({@code PersonAssembly}, with
   * {@link #tree}); this is the table {@code IdentityMap.of} joins.
   *
   * @param components {@code (vertex, component)} of every linked record
   */
  public static Dataset<Row> of(Dataset<Row> externalIdLinks, Dataset<Row> emailLinks, Dataset<Row> components) {
    return PersonLinks.perPerson(PersonLinks.of(externalIdLinks, emailLinks, components), TREE,
        LinkEvidence::tree);
  }

  private record Step(long to, String value) {}

  /** The tree of one person's links, rooted as the class says, as rows {@code (vertex, linked_vertex, matched_by)}. */
  public static List<Row> tree(List<PersonLinks.Edge> edges) {
    // External-ID links are record-to-record; an e-mail joins every record that carries it (the
    // e-mail links are a star around one of them, which is not how people see it).
    Map<Long, List<Step>> external = new HashMap<>();
    Map<Long, TreeSet<String>> emailsOf = new HashMap<>();
    Map<String, TreeSet<Long>> carriers = new HashMap<>();
    Long root = null;
    boolean rootIsAnchor = false;
    for (PersonLinks.Edge e : edges) {
      if (e.external()) {
        external.computeIfAbsent(e.src(), k -> new ArrayList<>()).add(new Step(e.dst(), e.value()));
        external.computeIfAbsent(e.dst(), k -> new ArrayList<>()).add(new Step(e.src(), e.value()));
      } else {
        for (long v : new long[] {e.src(), e.dst()}) {
          emailsOf.computeIfAbsent(v, k -> new TreeSet<>()).add(e.value());
          carriers.computeIfAbsent(e.value(), k -> new TreeSet<>()).add(v);
        }
      }
      for (int end = 0; end < 2; end++) {
        long v = end == 0 ? e.src() : e.dst();
        boolean anchor = end == 0 ? e.srcAnchor() : e.dstAnchor();
        if (root == null || (anchor && !rootIsAnchor) || (anchor == rootIsAnchor && v < root)) {
          root = v;
          rootIsAnchor = anchor;
        }
      }
    }
    List<Row> tree = new ArrayList<>();
    if (root == null) {
      return tree;
    }
    external.values().forEach(steps -> steps.sort(Comparator.comparingLong(Step::to).thenComparing(Step::value)));
    // Breadth-first from the root: external ids first, then e-mails in order, records in order.
    Set<Long> seen = new HashSet<>(List.of(root));
    Set<String> expanded = new HashSet<>();
    ArrayDeque<Long> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      long v = queue.poll();
      for (Step s : external.getOrDefault(v, List.of())) {
        if (seen.add(s.to())) {
          tree.add(RowFactory.create(s.to(), v, s.value(), MatchRule.EXTERNAL_ID));
          queue.add(s.to());
        }
      }
      for (String email : emailsOf.getOrDefault(v, new TreeSet<>())) {
        if (expanded.add(email)) {
          for (long u : carriers.get(email)) {
            if (seen.add(u)) {
              tree.add(RowFactory.create(u, v, email, MatchRule.EMAIL));
              queue.add(u);
            }
          }
        }
      }
    }
    return tree;
  }
}
