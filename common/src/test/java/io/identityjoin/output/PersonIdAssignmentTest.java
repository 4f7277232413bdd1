package io.identityjoin.output;

import static io.identityjoin.testing.Fixtures.row;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.pipeline.IdentityResolution;
import io.identityjoin.pipeline.PersonIdChanges;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule 7 across runs, on one chain of runs computed once (runs chained in memory as the job chains
 * them through {@code output.path}: each sees the previous identity_map and every ledger row so far):
 * <pre>
 * r1  A a@, cus_1 a@, S a@ (S has the person's smallest vertex) | B b@ | C c@ | D d@, cus_d d@
 *     (ids are rule 7's: A's person is p + S's vertex)
 * r2  z (external id A) joins A's person; S's e-mail changes: it splits off; E e@ is new;
 *     cus_d and C are gone
 * r3  cus_be (b@ and e@) merges B's and E's persons; cus_ad (a@ and d@) merges A's and D's; C is back
 * r4  r3's input again
 * </pre>
 */
@ExtendWith(SparkSessionExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonIdAssignmentTest {

  /** One run's outcome: person_id per "source/id", its rows, the ledger rows it added, its counts. */
  record Snapshot(Map<String, String> ids, Map<String, Row> rows, List<String> ledger, PersonIdChanges changes,
      Dataset<Row> map, Dataset<Row> previousMap, String runId) {
    String id(String record) {
      return ids.get(record);
    }
  }

  /** Consecutive runs r1, r2, … with frozen copies of what each published. */
  static final class Runs {
    private final SparkSession spark;
    private Dataset<Row> map;
    private Dataset<Row> ledger;
    private int n;

    Runs(SparkSession spark) {
      this.spark = spark;
    }

    Snapshot next(Fixtures f) {
      String runId = "r" + (++n);
      Optional<PersonIdAssignment.Previous> previous = map == null ? Optional.empty()
          : Optional.of(PersonIdAssignment.Previous.of(map, Optional.ofNullable(ledger)));
      IdentityResolution.Result r = f.run(runId, previous);
      Dataset<Row> previousMap = map;
      map = freeze(r.identityMap());
      Dataset<Row> added = freeze(r.personMerges());
      ledger = ledger == null ? added : freeze(ledger.unionByName(added));
      Map<String, Row> rows = Fixtures.bySourceId(map);
      Map<String, String> ids = new TreeMap<>();
      rows.forEach((k, v) -> ids.put(k, v.getAs(IdentityMap.PERSON_ID)));
      List<String> ledgerRows = ledgerLines(added);
      PersonIdChanges changes = r.summary().personIds();
      r.release();
      return new Snapshot(ids, rows, ledgerRows, changes, map, previousMap, runId);
    }

    /** Another chain that starts from what this one published so far. */
    Runs fork() {
      Runs r = new Runs(spark);
      r.map = map;
      r.ledger = ledger;
      r.n = n;
      return r;
    }

    private Dataset<Row> freeze(Dataset<Row> d) {
      return spark.createDataFrame(d.collectAsList(), d.schema());
    }
  }

  /** A ledger's rows as sorted {@code old>new:reason@run} lines. */
  static List<String> ledgerLines(Dataset<Row> ledger) {
    return new ArrayList<>(ledger.collectAsList().stream()
        .map(x -> x.getAs(PersonMerges.OLD_PERSON_ID) + ">" + x.getAs(PersonMerges.NEW_PERSON_ID) + ":"
            + x.getAs(PersonMerges.REASON) + "@" + x.getAs(PersonMerges.RUN_ID))
        .sorted(Comparator.naturalOrder()).toList());
  }

  private static long vertex(SparkSession spark, String source, String id) {
    return spark.sql("SELECT xxhash64('" + source + "', '" + id + "')").first().getLong(0);
  }

  /** The first of prefix1, prefix2, … whose record vertex in {@code source} is below {@code bound}. */
  private static String idBelow(SparkSession spark, String source, String prefix, long bound) {
    for (int i = 1; i < 500; i++) {
      if (vertex(spark, source, prefix + i) < bound) {
        return prefix + i;
      }
    }
    throw new AssertionError("no candidate id");
  }

  private static String provisional(SparkSession spark, String source, String id) {
    return String.format("p%016x", vertex(spark, source, id));
  }

  private String s;
  private final String d = "D";
  private String e;
  private String provisionalS;
  private String provisionalE;
  private Snapshot r1;
  private Snapshot r2;
  private Snapshot r3;
  private Snapshot r4;
  private Snapshot r2WithOnePartition;
  private Snapshot r3WithSevenPartitions;

  @BeforeAll
  void runTheChain(SparkSession spark) {
    long a = vertex(spark, "segment", "A");
    long cus1 = vertex(spark, "stripe", "cus_1");
    // S holds the smallest vertex of A's person: when it splits off, its provisional id is the old id.
    s = idBelow(spark, "stripe", "s", Math.min(a, cus1));
    // E (new in r2) is below B: the merged person's provisional id is not B's, yet B's (older) id must win.
    e = idBelow(spark, "segment", "e", vertex(spark, "segment", "B"));
    provisionalS = provisional(spark, "stripe", s);
    provisionalE = provisional(spark, "segment", e);

    String before = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      Runs runs = new Runs(spark);
      r1 = runs.next(input(spark, 1));
      Runs fromR1 = runs.fork();
      r2 = runs.next(input(spark, 2));
      Runs fromR2 = runs.fork();
      r3 = runs.next(input(spark, 3));
      r4 = runs.next(input(spark, 3));
      spark.conf().set("spark.sql.shuffle.partitions", "1");
      r2WithOnePartition = fromR1.next(input(spark, 2));
      spark.conf().set("spark.sql.shuffle.partitions", "7");
      r3WithSevenPartitions = fromR2.next(input(spark, 3));
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
  }

  private Fixtures input(SparkSession spark, int run) {
    List<String[]> segment = new ArrayList<>(List.of(row("A", "a@x.com"), row("B", "b@x.com"), row(d, "d@x.com")));
    List<String[]> stripe = new ArrayList<>(List.<String[]>of(row("cus_1", "a@x.com")));
    List<String[]> zendesk = new ArrayList<>();
    if (run == 1) {
      segment.add(row("C", "c@x.com"));
      stripe.add(row(s, "a@x.com"));
      stripe.add(row("cus_d", "d@x.com"));
    } else {
      zendesk.add(row("z", null, "A"));
      stripe.add(row(s, "s@x.com"));
      segment.add(row(e, "e@x.com"));
    }
    if (run == 3) {
      segment.add(row("C", "c@x.com"));
      stripe.addAll(List.of(row("cus_be", "b@x.com"), row("cus_be", "e@x.com"), row("cus_ad", "a@x.com"),
          row("cus_ad", "d@x.com")));
    }
    return new Fixtures(spark).anchor("segment", segment.toArray(String[][]::new))
        .source("zendesk", true, zendesk.toArray(String[][]::new))
        .source("stripe", false, stripe.toArray(String[][]::new));
  }

  private static String seen(Snapshot snap, String record, String column) {
    return snap.rows().get(record).getAs(column);
  }

  @Test
  void theFirstRunIssuesRule7sIds() {
    assertEquals(provisionalS, r1.id("segment/A"));
    assertEquals(new PersonIdChanges(4, 0, 0, 0, 0, 0), r1.changes());
    assertEquals("r1", seen(r1, "segment/B", PersonIdAssignment.FIRST_SEEN_RUN));
  }

  @Test
  void unchangedInputChangesNoIdAndAddsNoLedgerRow() {
    assertEquals(r3.ids(), r4.ids());
    assertEquals(List.of(), r4.ledger());
    assertEquals(new PersonIdChanges(0, 4, 0, 0, 0, 0), r4.changes());
    for (String record : r3.ids().keySet()) {
      assertEquals(seen(r3, record, PersonIdAssignment.FIRST_SEEN_RUN),
          seen(r4, record, PersonIdAssignment.FIRST_SEEN_RUN));
      assertEquals(seen(r3, record, PersonIdAssignment.LAST_CHANGED_RUN),
          seen(r4, record, PersonIdAssignment.LAST_CHANGED_RUN), "nothing changed in r4");
    }
  }

  @Test
  void aNewRecordJoiningAPersonKeepsItsId() {
    assertEquals(r1.id("segment/A"), r2.id("zendesk/z"));
    assertEquals(r1.id("segment/A"), r2.id("stripe/cus_1"));
    assertEquals("r1", seen(r2, "zendesk/z", PersonIdAssignment.FIRST_SEEN_RUN));
    assertEquals("r2", seen(r2, "zendesk/z", PersonIdAssignment.LAST_CHANGED_RUN));
    assertEquals("r1", seen(r2, "segment/B", PersonIdAssignment.LAST_CHANGED_RUN), "B did not change");
  }

  @Test
  void aPersonSplittingKeepsItsIdOnTheLargestPartAndTheOtherPartGetsAnIdNeverIssued() {
    String person = r1.id("segment/A");
    String splitOff = r2.id("stripe/" + s);
    assertNotEquals(person, splitOff, "its provisional id is the old id: re-derived");
    assertTrue(splitOff.matches("p[0-9a-f]{16}"), splitOff);
    assertEquals("r2", seen(r2, "stripe/" + s, PersonIdAssignment.FIRST_SEEN_RUN));
    assertTrue(r2.ledger().contains(person + ">" + splitOff + ":split@r2"), r2.ledger().toString());
  }

  @Test
  void aBrandNewPersonGetsRule7sId() {
    assertEquals(provisionalE, r2.id("segment/" + e));
    assertEquals("r2", seen(r2, "segment/" + e, PersonIdAssignment.FIRST_SEEN_RUN));
  }

  @Test
  void deletedSourceRecordsLeaveTheirPersonOrRetireItsIdForGood() {
    assertEquals(r1.id("segment/" + d), r2.id("segment/" + d), "cus_d left D's person");
    assertEquals("r2", seen(r2, "segment/" + d, PersonIdAssignment.LAST_CHANGED_RUN));
    String retired = r1.id("segment/C");
    assertTrue(r2.ledger().contains(retired + ">null:deleted@r2"), r2.ledger().toString());
    assertEquals(2, r2.ledger().size(), r2.ledger().toString());
    assertEquals(new PersonIdChanges(2, 3, 2, 0, 1, 1), r2.changes());
    assertNotEquals(retired, r3.id("segment/C"), "a retired id never comes back meaning someone new");
    assertEquals("r3", seen(r3, "segment/C", PersonIdAssignment.FIRST_SEEN_RUN));
  }

  @Test
  void twoPersonsMergingKeepTheOldestIdOrOnATieTheOneSharingMoreRecords() {
    String personB = r1.id("segment/B");
    assertEquals(personB, r3.id("segment/" + e), "B (r1) is older than E (r2)");
    assertEquals(personB, r3.id("stripe/cus_be"));
    String personA = r1.id("segment/A");
    String personD = r1.id("segment/" + d);
    assertEquals(personA, r3.id("segment/" + d), "both from r1: A's person shares 3 records, D's 1");
    assertEquals(List.of(personD + ">" + personA + ":merge@r3", provisionalE + ">" + personB + ":merge@r3").stream()
        .sorted().toList(), r3.ledger());
    assertEquals(new PersonIdChanges(1, 3, 2, 2, 0, 0), r3.changes());
    assertEquals("r2", seen(r3, "stripe/" + s, PersonIdAssignment.LAST_CHANGED_RUN), "the split-off part is unchanged");
  }

  @Test
  void theLedgerARunWritesIsTheOneItsTwoIdentityMapsGive() {
    // The run derives its ledger from the overlaps on provisional ids, mapped to stable ids; a repair
    // derives it from the two published maps alone (PersonMerges.of). Both must agree, row for row.
    for (Snapshot snap : List.of(r2, r3, r4)) {
      assertEquals(snap.ledger(), ledgerLines(PersonMerges.of(snap.previousMap(), snap.map(), snap.runId(),
          current_timestamp())), snap.runId());
    }
    assertTrue(r2.ledger().stream().anyMatch(l -> l.contains(":split@")), r2.ledger().toString());
    assertTrue(r3.ledger().stream().anyMatch(l -> l.contains(":merge@")), r3.ledger().toString());
    assertTrue(r4.ledger().isEmpty(), r4.ledger().toString());
  }

  @Test
  void idsAndLedgerAreTheSameForAnyPartitionCount() {
    assertEquals(r2.ids(), r2WithOnePartition.ids());
    assertEquals(r2.ledger(), r2WithOnePartition.ledger());
    assertEquals(r3.ids(), r3WithSevenPartitions.ids());
    assertEquals(r3.ledger(), r3WithSevenPartitions.ledger());
  }
}
