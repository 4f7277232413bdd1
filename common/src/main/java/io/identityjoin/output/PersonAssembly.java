package io.identityjoin.output;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.core.BlockedValues;
import io.identityjoin.core.ComponentLookup;
import io.identityjoin.core.ExternalIdLinks;
import io.identityjoin.core.GuardFlags;
import io.identityjoin.core.HubCap;
import io.identityjoin.core.LinkEvidence;
import io.identityjoin.core.MatchRule;
import io.identityjoin.core.PersonId;
import io.identityjoin.core.PersonLinks;
import io.identityjoin.core.SourceRecords;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * identity_map's rows ({@link IdentityMap#of}'s table, the same rows) assembled person by person:
 * every record row (the link rows, several for a record with history rows) and every link go through
 * one shuffle by person, and one pass over each person's rows gives their identity_map rows: each
 * record's values from its rows ({@link IdentityMap#records}' aggregation, done here), the evidence
 * ({@link LinkEvidence#tree}), the record at the other end of it ({@code linked_to}) and which records
 * an external id links (for the match rule, {@link MatchRule}), from the person's own links.
 *
 * <p>Why: {@link IdentityMap#of} groups the link rows into records (a sort aggregation: a record's
 * smallest id and e-mail are strings, which Spark cannot aggregate in a hash map), joins the records
 * with the components, the external-ID links, the evidence (itself a shuffle of the links by person,
 * then a join for {@code linked_to}) and the findings' flags, and user_identities then shuffles
 * identity_map by person again. Here the rows are shuffled once, with the links, and come out of each
 * partition grouped by person and in (source, source_id) order, which is what
 * {@link UserIdentities#ofPersonRuns} folds without a shuffle of its own.
 *
 * <p>Besides identity_map's columns, each row has the two counts' columns of {@link IdentityMap#records}
 * ({@value IdentityMap#HAS_EXTERNAL_ID}, {@value IdentityMap#VERTEX_COLLISION}), for the run's counts;
 * {@link #published} drops them.
 */
public final class PersonAssembly {

  private static final String KEY = "person_key";
  /** The columns of the rows the fold reads, records' and links' alike, by position. */
  private static final int I_KEY = 0;
  private static final int I_VERTEX = 1;
  private static final int I_DST = 2;
  private static final int I_VALUE = 3;
  private static final int I_SOURCE = 4;
  private static final int I_SOURCE_ID = 5;
  private static final int I_GUARDED = 6;
  private static final int I_FINDING_FLAGS = 7;
  private static final int I_BITS = 8;

  /** The guards' flag columns of a record ({@link GuardFlags#all} reads them), as bits of one int. */
  private static final String[] RECORD_FLAG_COLUMNS = {BlockedValues.EMAIL_BLOCKED, BlockedValues.EXTERNAL_ID_BLOCKED,
      HubCap.EMAIL_HUB, HubCap.EXTERNAL_ID_HUB};
  private static final String BITS = "record_bits";
  private static final int LINKED = 1 << RECORD_FLAG_COLUMNS.length;
  private static final int HAS_EXTERNAL_ID = LINKED << 1;
  private static final int VERTEX_COLLISION = HAS_EXTERNAL_ID << 1;
  /** A link's row (a record's has none of the link bits). */
  private static final int LINK = VERTEX_COLLISION << 1;
  private static final int EXTERNAL = LINK << 1;
  private static final int SRC_ANCHOR = EXTERNAL << 1;
  private static final int DST_ANCHOR = SRC_ANCHOR << 1;
  /** A record's findings' flags, in a row of their own (when they are not joined to the record's rows). */
  private static final int FINDINGS = DST_ANCHOR << 1;
  /** A record's component as {@link ComponentLookup} gives it. */
  private static final String LOOKED_UP = "looked_up_component";
  private static final String FINDING_FLAGS = "finding_flags";
  /** A record row's e-mail a guard withheld: shown when none of the record's rows has a usable one. */
  private static final String GUARDED = "guarded";
  /** Whether the record is the source side of an external-ID link: what rule 6 needs of its links. */
  private static final String LINKED_BY_EXTERNAL_ID = "linked_by_external_id";

  /** The columns {@link #identityMap} adds to identity_map's, for the counts. */
  public static final List<String> COUNT_COLUMNS = List.of(IdentityMap.HAS_EXTERNAL_ID, IdentityMap.VERTEX_COLLISION);

  /**
   * What the fold gives per record: its person's key, what identity_map shows, and what its person id,
   * match rule, flags and counts are computed from after the fold (columns, as {@link IdentityMap#of}
   * and {@link IdentityMap#records} compute them). The key is nullable only so that the person id is,
   * as in {@link IdentityMap#of}'s schema.
   */
  private static final StructType FOLDED = DataTypes.createStructType(List.of(
      DataTypes.createStructField(KEY, DataTypes.LongType, true),
      DataTypes.createStructField(SourceRecords.SOURCE, DataTypes.StringType, true),
      DataTypes.createStructField(SourceRecords.SOURCE_ID, DataTypes.StringType, true),
      DataTypes.createStructField(SourceRecords.EMAIL, DataTypes.StringType, true),
      DataTypes.createStructField(LINKED_BY_EXTERNAL_ID, DataTypes.BooleanType, false),
      DataTypes.createStructField(IdentityMap.MATCHED_BY, DataTypes.StringType, true),
      DataTypes.createStructField(IdentityMap.MATCHED_ON, DataTypes.StringType, true),
      DataTypes.createStructField(IdentityMap.LINKED_TO, DataTypes.StringType, true),
      DataTypes.createStructField(FINDING_FLAGS, DataTypes.createArrayType(DataTypes.StringType, true), true),
      DataTypes.createStructField(BITS, DataTypes.IntegerType, false)));

  private PersonAssembly() {}

  /**
   * The rows of {@link IdentityMap#of} on {@link IdentityMap#records}{@code (linkRows)} and the same
   * tables, plus {@link #COUNT_COLUMNS}; each person's rows next to each other in their partition, in
   * (source, source_id) order (Spark's string order).
   *
   * @param linkRows record rows after the guards (with {@link BlockedValues#GUARDED_EMAIL}), as
   *     {@link IdentityMap#records} takes them; rows without an id form no record
   * @param components {@code (vertex, component)} of every linked record
   * @param externalIdLinks output of {@link ExternalIdLinks#of}
   * @param emailLinks the e-mail links the components were computed from
   * @param findingFlags output of {@link GuardFlags#ofFindings}
   */
  public static Dataset<Row> identityMap(Dataset<Row> linkRows, Dataset<Row> components, Dataset<Row> externalIdLinks,
      Dataset<Row> emailLinks, Dataset<Row> findingFlags, String anchor) {
    Dataset<Row> comp = components.select(col("vertex").as("comp_vertex"), col(PersonLinks.COMPONENT));
    Dataset<Row> flagged = findingFlags.select(col(SourceRecords.VERTEX).as("flag_vertex"),
        col(GuardFlags.FLAGS).as(FINDING_FLAGS));
    Dataset<Row> rows = SourceRecords.withId(linkRows);
    // A record's person is its component, or its own vertex when it has no link (rule 7).
    Dataset<Row> recordRows = rows
        .join(comp, rows.col(SourceRecords.VERTEX).equalTo(comp.col("comp_vertex")), "left")
        .join(flagged, col(SourceRecords.VERTEX).equalTo(col("flag_vertex")), "left")
        .select(recordColumns(col(PersonLinks.COMPONENT), col(FINDING_FLAGS)));
    return fold(recordRows.unionByName(linkColumns(PersonLinks.of(externalIdLinks, emailLinks, components))), anchor);
  }

  /**
   * The same rows as {@link #identityMap(Dataset, Dataset, Dataset, Dataset, Dataset, String)}, each
   * record's and link's person looked up in the driver's labels ({@link ComponentLookup}) instead of
   * joined with the components table, and the findings' flags joined to their records inside the
   * fold: the records go through one shuffle, the person shuffle, instead of two shuffles and two
   * sort-merge joins before it.
   */
  public static Dataset<Row> identityMap(Dataset<Row> linkRows, ComponentLookup components,
      Dataset<Row> externalIdLinks, Dataset<Row> emailLinks, Dataset<Row> findingFlags, String anchor) {
    Dataset<Row> recordRows = SourceRecords.withId(linkRows)
        .withColumn(LOOKED_UP, components.componentOf(col(SourceRecords.VERTEX)))
        .select(recordColumns(col(LOOKED_UP), lit(null).cast("array<string>")));
    Dataset<Row> flagRows = findingFlags
        .withColumn(LOOKED_UP, components.componentOf(col(SourceRecords.VERTEX)))
        .select(
            coalesce(col(LOOKED_UP), col(SourceRecords.VERTEX)).as(KEY),
            col(SourceRecords.VERTEX),
            lit(null).cast("long").as(ExternalIdLinks.DST),
            lit(null).cast("string").as(ExternalIdLinks.VALUE),
            lit(null).cast("string").as(SourceRecords.SOURCE),
            lit(null).cast("string").as(SourceRecords.SOURCE_ID),
            lit(null).cast("string").as(GUARDED),
            col(GuardFlags.FLAGS).as(FINDING_FLAGS),
            lit(FINDINGS).as(BITS));
    return fold(recordRows.unionByName(flagRows)
        .unionByName(linkColumns(PersonLinks.of(externalIdLinks, emailLinks, components))), anchor);
  }

  /**
   * A record row in the fold's columns. A record's person is its component, or its own vertex when
   * it has no link (rule 7).
   *
   * @param component the record's component, null when it is linked to nothing
   * @param findingFlags its findings' flags, or null (then the fold takes them from the person's flag rows)
   */
  private static Column[] recordColumns(Column component, Column findingFlags) {
    Column bits = bit(component.isNotNull(), LINKED).bitwiseOR(bit(col(SourceRecords.EXTERNAL_ID).isNotNull(),
        HAS_EXTERNAL_ID));
    for (int i = 0; i < RECORD_FLAG_COLUMNS.length; i++) {
      bits = bits.bitwiseOR(bit(col(RECORD_FLAG_COLUMNS[i]), 1 << i));
    }
    return new Column[] {
        coalesce(component, col(SourceRecords.VERTEX)).as(KEY),
        col(SourceRecords.VERTEX),
        lit(null).cast("long").as(ExternalIdLinks.DST),
        col(SourceRecords.EMAIL).as(ExternalIdLinks.VALUE),
        col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID),
        col(BlockedValues.GUARDED_EMAIL).as(GUARDED),
        findingFlags.as(FINDING_FLAGS),
        bits.as(BITS)};
  }

  /** {@link PersonLinks#of}'s rows in the fold's columns. */
  private static Dataset<Row> linkColumns(Dataset<Row> personLinks) {
    return personLinks.select(
        col(PersonLinks.COMPONENT).as(KEY),
        col(ExternalIdLinks.SRC).as(SourceRecords.VERTEX),
        col(ExternalIdLinks.DST),
        col(ExternalIdLinks.VALUE),
        lit(null).cast("string").as(SourceRecords.SOURCE),
        lit(null).cast("string").as(SourceRecords.SOURCE_ID),
        lit(null).cast("string").as(GUARDED),
        lit(null).cast("array<string>").as(FINDING_FLAGS),
        lit(LINK).bitwiseOR(bit(col(PersonLinks.EXTERNAL), EXTERNAL))
            .bitwiseOR(bit(col(ExternalIdLinks.SRC_ANCHOR), SRC_ANCHOR))
            .bitwiseOR(bit(col(ExternalIdLinks.DST_ANCHOR), DST_ANCHOR)).as(BITS));
  }

  /** The person shuffle, the fold, and identity_map's columns computed from what it gives. */
  private static Dataset<Row> fold(Dataset<Row> personRows, String anchor) {
    // By person only: one long key, which Spark sorts by its prefix alone (a radix sort). Sorted by
    // person and vertex, the sort compared whole rows wherever two rows of a person met, and that
    // was most of the fold's stage; the fold groups a person's rows by record itself. The link's
    // kind and booleans travel as bits of one column.
    Dataset<Row> byPerson = personRows
        .repartition(col(KEY))
        .sortWithinPartitions(KEY);
    Dataset<Row> folded = byPerson.mapPartitions(new Fold(), Encoders.row(FOLDED));
    // The person id, the match rule and the flags, column by column as IdentityMap.of computes them:
    // none goes through the shuffle and the fold as text, and rule 6 stays in MatchRule alone.
    for (int i = 0; i < RECORD_FLAG_COLUMNS.length; i++) {
      folded = folded.withColumn(RECORD_FLAG_COLUMNS[i], col(BITS).bitwiseAND(lit(1 << i)).notEqual(lit(0)));
    }
    return folded.select(PersonId.of(col(KEY)).as(IdentityMap.PERSON_ID), col(SourceRecords.SOURCE),
        col(SourceRecords.SOURCE_ID), col(SourceRecords.EMAIL),
        MatchRule.of(anchor, col(LINKED_BY_EXTERNAL_ID), col(BITS).bitwiseAND(lit(LINKED)).notEqual(lit(0)))
            .as(IdentityMap.MATCH_RULE), col(IdentityMap.MATCHED_BY),
        col(IdentityMap.MATCHED_ON), col(IdentityMap.LINKED_TO), GuardFlags.all(col(FINDING_FLAGS)).as(GuardFlags.FLAGS),
        col(BITS).bitwiseAND(lit(HAS_EXTERNAL_ID)).notEqual(lit(0)).as(IdentityMap.HAS_EXTERNAL_ID),
        col(BITS).bitwiseAND(lit(VERTEX_COLLISION)).notEqual(lit(0)).as(IdentityMap.VERTEX_COLLISION));
  }

  /** {@code bit} where the condition holds, else 0. */
  private static Column bit(Column condition, int bit) {
    return when(condition, lit(bit)).otherwise(lit(0));
  }

  /** identity_map's own columns of {@link #identityMap}'s rows (and of tables built on them). */
  public static Dataset<Row> published(Dataset<Row> assembled) {
    return assembled.drop(COUNT_COLUMNS.toArray(String[]::new));
  }

  /**
   * One record, from its rows as {@link IdentityMap#records} aggregates them: the smallest source and
   * id (they differ only for a vertex hash clash, which the run refuses), the smallest usable e-mail,
   * else the smallest one a guard withheld, and the flags of any row.
   */
  private record Member(long vertex, String source, String sourceId, String email, Object findingFlags, int bits) {

    /**
     * @param findings the person's findings' flags by vertex, from their own rows; a record's rows that
     *     carry their flags (joined before the fold) need none
     */
    static Member of(List<Row> rows, Map<Long, Object> findings) {
      Row first = rows.get(0);
      Object findingFlags = first.isNullAt(I_FINDING_FLAGS) ? findings.get(first.getLong(I_VERTEX))
          : first.get(I_FINDING_FLAGS);
      if (rows.size() == 1) {
        String email = first.isNullAt(I_VALUE) ? first.getString(I_GUARDED) : first.getString(I_VALUE);
        return new Member(first.getLong(I_VERTEX), first.getString(I_SOURCE), first.getString(I_SOURCE_ID), email,
            findingFlags, first.getInt(I_BITS));
      }
      String source = first.getString(I_SOURCE);
      String sourceId = first.getString(I_SOURCE_ID);
      String email = null;
      String guarded = null;
      int bits = 0;
      for (Row r : rows) {
        if (!source.equals(r.getString(I_SOURCE)) || !sourceId.equals(r.getString(I_SOURCE_ID))) {
          bits |= VERTEX_COLLISION;
          source = min(source, r.getString(I_SOURCE));
          sourceId = min(sourceId, r.getString(I_SOURCE_ID));
        }
        email = min(email, r.getString(I_VALUE));
        guarded = min(guarded, r.getString(I_GUARDED));
        bits |= r.getInt(I_BITS);
      }
      return new Member(first.getLong(I_VERTEX), source, sourceId, email != null ? email : guarded,
          findingFlags, bits);
    }

    /** The smaller in Spark's string order (of the UTF-8 bytes), ignoring nulls as min does. */
    private static String min(String a, String b) {
      if (a == null || b == null) {
        return a == null ? b : a;
      }
      return a.equals(b) || utf8(a).compareTo(utf8(b)) < 0 ? a : b;
    }

    String name() {
      // As IdentityMap.of names it: concat of source, "/", source_id.
      return source + "/" + sourceId;
    }
  }

  /** A record with its sort key in Spark's string order, made only for persons of several records. */
  private record Keyed(UTF8String source, UTF8String sourceId, Member member) {
    Keyed(Member m) {
      this(utf8(m.source()), utf8(m.sourceId()), m);
    }
  }

  private static final Comparator<Keyed> BY_SOURCE_AND_ID =
      Comparator.comparing(Keyed::source).thenComparing(Keyed::sourceId);

  private static UTF8String utf8(String s) {
    return UTF8String.fromString(s);
  }

  /**
   * Folds each person's consecutive rows (sorted by person; records' rows and links in any order
   * within a person) into the person's identity_map rows, in (source, source_id) order.
   */
  private static final class Fold implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private Row next = rows.hasNext() ? rows.next() : null;
        private Iterator<Row> person = List.<Row>of().iterator();

        @Override
        public boolean hasNext() {
          while (!person.hasNext() && next != null) {
            person = nextPerson().iterator();
          }
          return person.hasNext();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return person.next();
        }

        private List<Row> nextPerson() {
          long key = next.getLong(I_KEY);
          List<Row> recordRows = new ArrayList<>();
          List<PersonLinks.Edge> edges = new ArrayList<>();
          Map<Long, Object> findings = Map.of();
          do {
            int bits = next.getInt(I_BITS);
            if ((bits & FINDINGS) != 0) {
              if (findings.isEmpty()) {
                findings = new HashMap<>();
              }
              findings.put(next.getLong(I_VERTEX), next.get(I_FINDING_FLAGS));
            } else if ((bits & LINK) == 0) {
              recordRows.add(next);
            } else {
              edges.add(new PersonLinks.Edge(next.getLong(I_VERTEX), next.getLong(I_DST), next.getString(I_VALUE),
                  (bits & EXTERNAL) != 0, (bits & SRC_ANCHOR) != 0, (bits & DST_ANCHOR) != 0));
            }
            next = rows.hasNext() ? rows.next() : null;
          } while (next != null && next.getLong(I_KEY) == key);
          // Findings' flags of a vertex with no record here belong to no record, as in a left join.
          return recordRows.isEmpty() ? List.of() : rowsOf(key, members(recordRows, findings), edges);
        }
      };
    }

    /** A person's records, each from its rows (which come in any order within the person). */
    private static List<Member> members(List<Row> recordRows, Map<Long, Object> findings) {
      if (recordRows.size() == 1) {
        return List.of(Member.of(recordRows, findings));
      }
      recordRows.sort(Comparator.comparingLong(r -> r.getLong(I_VERTEX)));
      List<Member> members = new ArrayList<>();
      int start = 0;
      for (int i = 1; i <= recordRows.size(); i++) {
        if (i == recordRows.size() || recordRows.get(i).getLong(I_VERTEX) != recordRows.get(start).getLong(I_VERTEX)) {
          members.add(Member.of(recordRows.subList(start, i), findings));
          start = i;
        }
      }
      return members;
    }

    private List<Row> rowsOf(long key, List<Member> members, List<PersonLinks.Edge> edges) {
      if (edges.isEmpty() && members.size() == 1) {
        // A record without links, a person of its own: its row, no evidence.
        return List.of(row(key, members.get(0), false, null, null, null));
      }
      Map<Long, Row> why = new HashMap<>();
      Set<Long> linkedByExternalId = new HashSet<>();
      if (!edges.isEmpty()) {
        for (Row t : LinkEvidence.tree(edges)) {
          why.put(t.getLong(0), t);
        }
        for (PersonLinks.Edge e : edges) {
          if (e.external()) {
            linkedByExternalId.add(e.src());
          }
        }
      }
      Map<Long, String> names = new HashMap<>();
      for (Member m : members) {
        names.put(m.vertex(), m.name());
      }
      if (members.size() > 1) {
        members = members.stream().map(Keyed::new).sorted(BY_SOURCE_AND_ID).map(Keyed::member).toList();
      }
      List<Row> out = new ArrayList<>(members.size());
      for (Member m : members) {
        Row t = why.get(m.vertex());
        out.add(row(key, m, linkedByExternalId.contains(m.vertex()),
            t == null ? null : t.getString(2),
            t == null ? null : t.getString(3),
            t == null ? null : names.get(t.getLong(1))));
      }
      return out;
    }

    /** A {@link #FOLDED} row of a record. */
    private static Row row(long key, Member m, boolean linkedByExternalId, String matchedBy, String matchedOn,
        String linkedTo) {
      return RowFactory.create(key, m.source(), m.sourceId(), m.email(), linkedByExternalId, matchedBy, matchedOn,
          linkedTo, m.findingFlags(), m.bits());
    }
  }
}
