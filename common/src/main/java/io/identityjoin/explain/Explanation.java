package io.identityjoin.explain;

import static org.apache.spark.sql.functions.col;

import io.identityjoin.core.MatchRule;
import io.identityjoin.output.IdentityMap;
import io.identityjoin.report.RunReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Why a record is in its person, read back from a written identity_map (no recomputation): the
 * chain of links from the record to the person's root (its anchor record when it has one), and the
 * tree of links that joins every member. Each record's {@code linked_to} names its parent in that
 * tree and {@code matched_by} the external id or e-mail of the link, as the run wrote them (an
 * e-mail hashed by a privacy option is shown hashed).
 *
 * @param record the record asked about
 * @param chain the record, its {@code linked_to}, and so on up to the root
 * @param members the person's records (at most {@value #MEMBERS_READ})
 * @param personSize how many records the person has
 */
public record Explanation(Member record, List<Member> chain, List<Member> members, long personSize) {

  public static final int MEMBERS_READ = 10_000;
  static final int MEMBERS_PRINTED = 200;

  /** One identity_map row. */
  public record Member(String personId, String source, String sourceId, String email, String matchRule,
      String matchedBy, String matchedOn, String linkedTo, List<String> flags) {

    public String name() {
      return source + "/" + sourceId;
    }

    static Member of(Row r) {
      return new Member(r.getAs(IdentityMap.PERSON_ID), r.getAs("source"), r.getAs("source_id"),
          RunReport.emailAsWritten(r), r.getAs(IdentityMap.MATCH_RULE), r.getAs(IdentityMap.MATCHED_BY),
          r.getAs(IdentityMap.MATCHED_ON), r.getAs(IdentityMap.LINKED_TO), r.getList(r.fieldIndex("flags")));
    }
  }

  /** The explanation of the record {@code source/id}, or empty if identity_map has no such record. */
  public static Optional<Explanation> of(Dataset<Row> identityMap, String source, String id) {
    // Filtering on source first lets Parquet and Delta read one partition only.
    List<Row> found = identityMap.where(col("source").equalTo(source).and(col("source_id").equalTo(id)))
        .limit(1).collectAsList();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Member record = Member.of(found.get(0));
    Dataset<Row> person = identityMap.where(col(IdentityMap.PERSON_ID).equalTo(record.personId()));
    List<Member> members = person.limit(MEMBERS_READ).collectAsList().stream().map(Member::of)
        .sorted(Comparator.comparing(Member::source).thenComparing(Member::sourceId)).toList();
    long size = members.size() < MEMBERS_READ ? members.size() : person.count();
    Map<String, Member> byName = new LinkedHashMap<>();
    members.forEach(m -> byName.put(m.name(), m));
    List<Member> chain = new ArrayList<>(List.of(record));
    Set<String> seen = new HashSet<>(List.of(record.name()));
    for (Member at = record; at.linkedTo() != null && seen.add(at.linkedTo()); ) {
      at = byName.get(at.linkedTo());
      if (at == null) {
        break;
      }
      chain.add(at);
    }
    return Optional.of(new Explanation(record, chain, members, size));
  }

  /** How a member was joined to its {@code linked_to} record. */
  static String how(Member child) {
    String value = child.matchedBy() == null ? "(not shown)" : child.matchedBy();
    return (MatchRule.EXTERNAL_ID.equals(child.matchedOn()) ? "external id " : "e-mail ") + value;
  }

  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s is in person %s (%,d records)%s%n", record.name(), record.personId(),
        personSize, flags(record)));
    if (personSize == 1) {
      b.append("It is linked to no other record (match_rule ").append(record.matchRule()).append(").\n");
      return b.toString();
    }
    Member root = chain.get(chain.size() - 1);
    b.append(MatchRule.ANCHOR.equals(root.matchRule()) ? "Chain to the person's anchor record:\n"
        : "The person has no anchor record; chain to its root record:\n");
    if (chain.size() == 1) {
      b.append("  ").append(record.name()).append(" is the root itself.\n");
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      b.append("  ").append(chain.get(i).name()).append("  --[").append(how(chain.get(i)))
          .append("]-->  ").append(chain.get(i + 1).name()).append('\n');
    }
    b.append("Every member, as a tree of links from ").append(root.name()).append(":\n");
    Map<String, List<Member>> children = new LinkedHashMap<>();
    Map<String, Member> byName = new LinkedHashMap<>();
    members.forEach(m -> byName.put(m.name(), m));
    for (Member m : members) {
      if (m.linkedTo() != null && byName.containsKey(m.linkedTo())) {
        children.computeIfAbsent(m.linkedTo(), k -> new ArrayList<>()).add(m);
      }
    }
    int[] printed = {0};
    tree(b, root, null, "", children, printed, new HashSet<>());
    if (printed[0] < personSize) {
      b.append(String.format(Locale.ROOT, "  … %,d more records%n", personSize - printed[0]));
    }
    return b.toString();
  }

  private static void tree(StringBuilder b, Member m, Member parent, String indent, Map<String, List<Member>> children,
      int[] printed, Set<String> seen) {
    if (!seen.add(m.name()) || printed[0] >= MEMBERS_PRINTED) {
      return;
    }
    printed[0]++;
    b.append("  ").append(indent).append(m.name());
    if (parent != null) {
      b.append("  by ").append(how(m));
    } else {
      b.append("  [").append(m.matchRule()).append(']');
    }
    b.append(flags(m)).append('\n');
    for (Member c : children.getOrDefault(m.name(), List.of())) {
      tree(b, c, m, indent + "  ", children, printed, seen);
    }
  }

  private static String flags(Member m) {
    return m.flags() == null || m.flags().isEmpty() ? "" : "  flags: " + String.join(", ", m.flags());
  }
}
