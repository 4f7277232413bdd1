package io.identityjoin.output;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.core.BlockedValues;
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
 * every record and every link go through one shuffle by person, and one pass over each person's
 * records and links gives their rows, with the evidence ({@link LinkEvidence#tree}), the record at
 * the other end of it ({@code linked_to}) and which records an external id links (for the match
 * rule, {@link MatchRule}) worked out from the person's own links.
 *
 * <p>Why: {@link IdentityMap#of} joins the records with the components, the external-ID links, the
 * evidence (itself a shuffle of the links by person, then a join for {@code linked_to}) and the
 * findings' flags, and user_identities then shuffles identity_map by person again. Here the links
 * are shuffled once, with the records, and the rows come out of each partition grouped by person
 * and in (source, source_id) order, which is what {@link UserIdentities#ofPersonRuns} folds without
 * a shuffle of its own.
 */
public final class PersonAssembly {

  private static final String KEY = "person_key";
  private static final String KIND = "kind";
  private static final int RECORD = 0;
  private static final int LINK = 1;

  /** The guards' flag columns of a record ({@link GuardFlags#all} reads them), as bits of one int. */
  private static final String[] RECORD_FLAG_COLUMNS = {BlockedValues.EMAIL_BLOCKED, BlockedValues.EXTERNAL_ID_BLOCKED,
      HubCap.EMAIL_HUB, HubCap.EXTERNAL_ID_HUB};
  private static final String BITS = "record_bits";
  private static final int LINKED = 1 << RECORD_FLAG_COLUMNS.length;
  private static final String FINDING_FLAGS = "finding_flags";
  /** Whether the record is the source side of an external-ID link: what rule 6 needs of its links. */
  private static final String LINKED_BY_EXTERNAL_ID = "linked_by_external_id";

  /**
   * What the fold gives per record: its person's key, what identity_map shows, and what its person id,
   * match rule and flags are computed from after the fold (columns, as {@link IdentityMap#of} computes them).
   * The key is nullable only so that the person id is, as in {@link IdentityMap#of}'s schema.
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
   * The same rows as {@link IdentityMap#of} on the same tables, each person's rows next to each
   * other in their partition, in (source, source_id) order (Spark's string order).
   *
   * @param records output of {@link IdentityMap#records}
   * @param components {@code (vertex, component)} of every linked record
   * @param externalIdLinks output of {@link ExternalIdLinks#of}
   * @param emailLinks the e-mail links the components were computed from
   * @param findingFlags output of {@link GuardFlags#ofFindings}
   */
  public static Dataset<Row> identityMap(Dataset<Row> records, Dataset<Row> components, Dataset<Row> externalIdLinks,
      Dataset<Row> emailLinks, Dataset<Row> findingFlags, String anchor) {
    Dataset<Row> comp = components.select(col("vertex").as("comp_vertex"), col(PersonLinks.COMPONENT));
    Dataset<Row> flagged = findingFlags.select(col(SourceRecords.VERTEX).as("flag_vertex"),
        col(GuardFlags.FLAGS).as("finding_flags"));
    Column bits = lit(0);
    for (int i = 0; i < RECORD_FLAG_COLUMNS.length; i++) {
      bits = bits.bitwiseOR(when(col(RECORD_FLAG_COLUMNS[i]), lit(1 << i)).otherwise(lit(0)));
    }
    bits = bits.bitwiseOR(when(col("comp_vertex").isNotNull(), lit(LINKED)).otherwise(lit(0)));
    // A record's person is its component, or its own vertex when it has no link (rule 7).
    Dataset<Row> recordRows = records
        .join(comp, records.col(SourceRecords.VERTEX).equalTo(comp.col("comp_vertex")), "left")
        .join(flagged, col(SourceRecords.VERTEX).equalTo(col("flag_vertex")), "left")
        .select(
            coalesce(col(PersonLinks.COMPONENT), col(SourceRecords.VERTEX)).as(KEY),
            lit(RECORD).as(KIND),
            col(SourceRecords.VERTEX),
            lit(null).cast("long").as(ExternalIdLinks.DST),
            col(SourceRecords.EMAIL).as(ExternalIdLinks.VALUE),
            col(SourceRecords.SOURCE),
            col(SourceRecords.SOURCE_ID),
            col(FINDING_FLAGS),
            bits.as(BITS),
            lit(null).cast("boolean").as(PersonLinks.EXTERNAL),
            lit(null).cast("boolean").as(ExternalIdLinks.SRC_ANCHOR),
            lit(null).cast("boolean").as(ExternalIdLinks.DST_ANCHOR));
    Dataset<Row> linkRows = PersonLinks.of(externalIdLinks, emailLinks, components)
        .select(
            col(PersonLinks.COMPONENT).as(KEY),
            lit(LINK).as(KIND),
            col(ExternalIdLinks.SRC).as(SourceRecords.VERTEX),
            col(ExternalIdLinks.DST),
            col(ExternalIdLinks.VALUE),
            lit(null).cast("string").as(SourceRecords.SOURCE),
            lit(null).cast("string").as(SourceRecords.SOURCE_ID),
            lit(null).cast("array<string>").as(FINDING_FLAGS),
            lit(0).as(BITS),
            col(PersonLinks.EXTERNAL),
            col(ExternalIdLinks.SRC_ANCHOR),
            col(ExternalIdLinks.DST_ANCHOR));
    Dataset<Row> byPerson = recordRows.unionByName(linkRows)
        .repartition(col(KEY))
        .sortWithinPartitions(KEY, KIND);
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
        col(IdentityMap.MATCHED_ON), col(IdentityMap.LINKED_TO), GuardFlags.all(col(FINDING_FLAGS)).as(GuardFlags.FLAGS));
  }

  /** A record's row with its sort key in Spark's string order, made only for persons of several records. */
  private record Keyed(UTF8String source, UTF8String sourceId, Row row) {
    Keyed(Row row) {
      this(utf8(row.getString(5)), utf8(row.getString(6)), row);
    }
  }

  private static final Comparator<Keyed> BY_SOURCE_AND_ID =
      Comparator.comparing(Keyed::source, Comparator.nullsFirst(Comparator.<UTF8String>naturalOrder()))
          .thenComparing(Keyed::sourceId, Comparator.nullsFirst(Comparator.<UTF8String>naturalOrder()));

  private static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }

  /**
   * Folds each person's consecutive rows, records first then links (sorted by person and kind),
   * into the person's identity_map rows, in (source, source_id) order.
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
          long key = next.getLong(0);
          List<Row> members = new ArrayList<>();
          List<PersonLinks.Edge> edges = new ArrayList<>();
          do {
            if (next.getInt(1) == RECORD) {
              members.add(next);
            } else {
              edges.add(new PersonLinks.Edge(next.getLong(2), next.getLong(3), next.getString(4), next.getBoolean(9),
                  next.getBoolean(10), next.getBoolean(11)));
            }
            next = rows.hasNext() ? rows.next() : null;
          } while (next != null && next.getLong(0) == key);
          return rowsOf(key, members, edges);
        }
      };
    }

    private List<Row> rowsOf(long key, List<Row> members, List<PersonLinks.Edge> edges) {
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
      for (Row r : members) {
        // As IdentityMap.of names it: concat of source, "/", source_id (null if either is).
        names.put(r.getLong(2), r.isNullAt(5) || r.isNullAt(6) ? null : r.getString(5) + "/" + r.getString(6));
      }
      if (members.size() > 1) {
        members = members.stream().map(Keyed::new).sorted(BY_SOURCE_AND_ID).map(Keyed::row).toList();
      }
      List<Row> out = new ArrayList<>(members.size());
      for (Row r : members) {
        Row t = why.get(r.getLong(2));
        out.add(row(key, r, linkedByExternalId.contains(r.getLong(2)),
            t == null ? null : t.getString(2),
            t == null ? null : t.getString(3),
            t == null ? null : names.get(t.getLong(1))));
      }
      return out;
    }

    /** A {@link #FOLDED} row of a record. */
    private static Row row(long key, Row record, boolean linkedByExternalId, String matchedBy, String matchedOn,
        String linkedTo) {
      return RowFactory.create(key, record.getString(5), record.getString(6), record.getString(4), linkedByExternalId,
          matchedBy, matchedOn, linkedTo, record.get(7), record.getInt(8));
    }
  }
}
