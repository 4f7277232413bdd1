package io.identityjoin.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkSessionExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sample's promises. The default sample (1000 persons) is generated once and checked as plain
 * Java rows; only determinism and scaling run further Spark jobs.
 */
@ExtendWith(SparkSessionExtension.class)
class SampleGeneratorTest {

  private static Map<String, List<Row>> defaultSample;

  @Test
  void sameOptionsGiveIdenticalRowsWhateverThePartitioning(SparkSession spark) {
    SampleOptions options = SampleOptions.defaults().withPersons(300);
    Map<String, List<String>> first = sortedRows(SampleGenerator.tables(spark, options));
    String shuffle = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      spark.conf().set("spark.sql.shuffle.partitions", "7");
      spark.conf().set("spark.sql.leafNodeDefaultParallelism", "5"); // spark.range's split count
      assertEquals(first, sortedRows(SampleGenerator.tables(spark, options)));
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", shuffle);
      spark.conf().unset("spark.sql.leafNodeDefaultParallelism");
    }
  }

  @Test
  void anotherSeedGivesAnotherSample(SparkSession spark) {
    SampleOptions options = SampleOptions.defaults().withPersons(50);
    assertNotEquals(segmentIds(spark, options), segmentIds(spark, options.withSeed(7)));
  }

  @Test
  void recordCountScalesLinearlyWithPersons(SparkSession spark) {
    long thousand = userRecords(spark, SampleOptions.defaults());
    long fourThousand = userRecords(spark, SampleOptions.defaults().withPersons(4000));
    double perPerson = thousand / 1000.0;
    assertTrue(perPerson >= 3 && perPerson <= 6, "user records per person: " + perPerson);
    double ratio = (double) fourThousand / thousand;
    assertTrue(ratio > 3.8 && ratio < 4.2, "4x persons gave " + ratio + "x user records");
  }

  @Test
  void tablesHaveTheColumnsOfTheRealTools(SparkSession spark) {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("segment/users", "id:string email:string name:string referral_source:string "
        + "created_at:timestamp true_person:string");
    expected.put("zendesk/user",
        "id:bigint external_id:string email:string name:string true_person:string");
    expected.put("stripe/customer", "id:string email:string name:string true_person:string");
    expected.put("salesforce/lead",
        "Id:string Email:string FirstName:string LastName:string true_person:string");
    expected.put("intercom/contact_history", "id:string external_id:string user_id:string "
        + "email:string updated_at:timestamp true_person:string");
    expected.put("mailchimp/member",
        "id:string email_address:string status:string true_person:string");
    expected.put("zendesk/ticket",
        "id:bigint requester_id:bigint subject:string status:string created_at:timestamp");
    expected.put("stripe/subscription", "id:string customer:string plan:string amount:bigint "
        + "status:string created_at:timestamp");

    Map<String, String> actual = new LinkedHashMap<>();
    SampleGenerator.tables(spark, SampleOptions.defaults())
        .forEach((table, rows) -> actual.put(table, shape(rows)));
    assertEquals(expected, actual);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "table order");
    assertEquals(SampleGenerator.USER_TABLES, List.copyOf(actual.keySet()).subList(0, 6));
  }

  @Test
  void aboutFourFifthsOfPersonsHaveASegmentUserWithAUniqueTenCharacterId(SparkSession spark) {
    List<String> ids = column(sample(spark), "segment/users", "id");
    assertTrue(ids.size() > 750 && ids.size() < 850, "Segment users: " + ids.size());
    assertEquals(ids.size(), new HashSet<>(ids).size());
    ids.forEach(id -> assertTrue(id.matches("[0-9A-Za-z]{10}"), id));
  }

  @Test
  void somePersonsLiveOnlyOutsideSegment(SparkSession spark) {
    Map<String, List<Row>> sample = sample(spark);
    Set<String> anchored = new HashSet<>(column(sample, "segment/users", "true_person"));
    Set<String> outside = new HashSet<>();
    for (String table : SampleGenerator.USER_TABLES) {
      outside.addAll(column(sample, table, "true_person"));
    }
    outside.removeAll(anchored);
    assertTrue(outside.size() > 100, "persons without a Segment user: " + outside.size());
  }

  @Test
  void zendeskUserIdsAreUniqueTenDigitNumbers(SparkSession spark) {
    List<Long> ids = column(sample(spark), "zendesk/user", "id");
    assertEquals(ids.size(), new HashSet<>(ids).size());
    ids.forEach(id -> assertTrue(id >= 1_000_000_000L && id <= 9_999_999_999L, "" + id));
  }

  @Test
  void zendeskExternalIdsAreMostlySegmentIdsSometimesMissingBlankOrDangling(SparkSession spark) {
    Map<String, List<Row>> sample = sample(spark);
    Set<String> segmentIds = new HashSet<>(column(sample, "segment/users", "id"));
    List<String> externalIds = column(sample, "zendesk/user", "external_id");
    long missing = externalIds.stream().filter(id -> id == null).count();
    long blank = externalIds.stream().filter(id -> id != null && id.isBlank()).count();
    long linked = externalIds.stream().filter(segmentIds::contains).count();
    long dangling = externalIds.size() - missing - blank - linked;
    assertTrue(missing > 0 && blank > 0, "missing " + missing + ", blank " + blank);
    assertTrue(dangling > 0 && dangling < 0.05 * externalIds.size(), "dangling " + dangling);
    assertTrue(linked > 0.7 * externalIds.size(), "linked " + linked + " of " + externalIds.size());
  }

  @Test
  void everyTicketsRequesterIsAZendeskUser(SparkSession spark) {
    Map<String, List<Row>> sample = sample(spark);
    Set<Long> users = new HashSet<>(column(sample, "zendesk/user", "id"));
    List<Long> requesters = column(sample, "zendesk/ticket", "requester_id");
    List<Long> ticketIds = column(sample, "zendesk/ticket", "id");
    assertFalse(requesters.isEmpty());
    assertTrue(users.containsAll(requesters));
    assertEquals(ticketIds.size(), new HashSet<>(ticketIds).size());
    Map<Long, Long> perUser = requesters.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertTrue(perUser.values().stream().allMatch(n -> n <= 5), "0-5 tickets per user");
  }

  @Test
  void everySubscriptionsCustomerExists(SparkSession spark) {
    Map<String, List<Row>> sample = sample(spark);
    Set<String> customers = new HashSet<>(column(sample, "stripe/customer", "id"));
    List<Row> subscriptions = sample.get("stripe/subscription");
    assertFalse(subscriptions.isEmpty());
    Map<String, Long> cents = Map.of("starter", 900L, "pro", 2_900L, "business", 9_900L,
        "enterprise", 49_900L);
    Set<String> ids = new HashSet<>();
    for (Row s : subscriptions) {
      assertTrue(customers.contains(s.<String>getAs("customer")));
      assertEquals(cents.get(s.<String>getAs("plan")), s.<Long>getAs("amount"));
      assertTrue(s.<String>getAs("id").matches("sub_[0-9A-Za-z]{14}"));
      assertTrue(ids.add(s.getAs("id")));
    }
  }

  @Test
  void intercomContactsHaveHistoryAndTheirAddressMayChange(SparkSession spark) {
    Map<String, List<Set<String>>> perContact = new HashMap<>();
    for (Row r : sample(spark).get("intercom/contact_history")) {
      assertTrue(r.<String>getAs("id").matches("[0-9a-f]{24}"));
      List<Set<String>> seen = perContact.computeIfAbsent(r.getAs("id"),
          id -> List.of(new HashSet<>(), new HashSet<>(), new HashSet<>()));
      seen.get(0).add(r.getAs("updated_at").toString());
      seen.get(1).add(normalized(r.getAs("email")));
      seen.get(2).add(r.getAs("true_person"));
    }
    assertTrue(perContact.values().stream().filter(s -> s.get(0).size() > 1).count() > 100,
        "contacts with several history rows");
    assertTrue(perContact.values().stream().filter(s -> s.get(1).size() > 1).count() > 20,
        "contacts whose address changed");
    assertTrue(perContact.values().stream().allMatch(s -> s.get(2).size() == 1),
        "a contact is one person");
  }

  @Test
  void idsLookLikeTheTools(SparkSession spark) {
    Map<String, List<Row>> sample = sample(spark);
    List<String> customers = column(sample, "stripe/customer", "id");
    customers.forEach(id -> assertTrue(id.matches("cus_[0-9A-Za-z]{14}"), id));
    assertEquals(customers.size(), new HashSet<>(customers).size());

    List<String> leads = column(sample, "salesforce/lead", "Id");
    for (String id : leads) {
      assertTrue(id.matches("00Q[0-9A-Za-z]{15}"), id);
      assertEquals(salesforceCaseSafe(id.substring(0, 15)), id);
    }
    assertEquals(leads.size(), new HashSet<>(leads).size());

    for (Row member : sample.get("mailchimp/member")) {
      assertEquals(md5(member.<String>getAs("email_address").toLowerCase()), member.getAs("id"));
    }
  }

  @Test
  void classicCaseOneSegmentUserKnownUnderTwoAddresses(SparkSession spark) {
    Map<String, List<Row>> sample = sample(spark);
    List<Row> justin = where(sample, "segment/users", "email", "justin@biebs.com");
    assertEquals(1, justin.size());
    String segmentId = justin.get(0).getAs("id");
    String person = justin.get(0).getAs("true_person");

    List<Row> ziggy = where(sample, "zendesk/user", "email", "ziggy@stardust.com");
    assertEquals(1, ziggy.size());
    assertEquals(segmentId, ziggy.get(0).getAs("external_id"));
    assertEquals(person, ziggy.get(0).getAs("true_person"));

    List<Row> customer = where(sample, "stripe/customer", "email", "justin@biebs.com");
    assertEquals(1, customer.size());
    assertEquals(person, customer.get(0).getAs("true_person"));
  }

  @Test
  void addressesAreNoisyTheWayToolsHoldThem(SparkSession spark) {
    Map<String, List<Row>> sample = sample(spark);
    List<String[]> emails = new ArrayList<>(); // {address, true person}
    for (String table : SampleGenerator.USER_TABLES) {
      for (Row r : sample.get(table)) {
        emails.add(new String[] {r.getAs(emailColumn(r)), r.getAs("true_person")});
      }
    }
    assertTrue(count(emails, e -> e != null && !e.equals(e.toLowerCase())) > 200, "upper case");
    assertTrue(count(emails, e -> e != null && !e.equals(e.strip())) > 50, "surrounding spaces");
    assertTrue(count(emails, e -> e == null) > 0, "no address");
    assertTrue(count(emails, e -> e != null && !e.isBlank() && !e.matches(".+@.+\\..+")) > 20,
        "placeholders that are no address");

    Set<String> infoUsers = emails.stream().filter(e -> "info@company.com".equals(e[0]))
        .map(e -> e[1]).collect(Collectors.toSet());
    assertTrue(infoUsers.size() > 1, "info@company.com is shared by several persons");

    Map<String, Set<String>> addressesPerPerson = new HashMap<>();
    for (String[] e : emails) {
      if (e[0] != null && e[0].matches(".+@.+\\..+")) {
        addressesPerPerson.computeIfAbsent(e[1], p -> new HashSet<>()).add(normalized(e[0]));
      }
    }
    long withSecondAddress = addressesPerPerson.values().stream().filter(a -> a.size() > 1).count();
    assertTrue(withSecondAddress > 150, "persons with a second address: " + withSecondAddress);
  }

  private static synchronized Map<String, List<Row>> sample(SparkSession spark) {
    if (defaultSample == null) {
      Map<String, List<Row>> rows = new LinkedHashMap<>();
      SampleGenerator.tables(spark, SampleOptions.defaults())
          .forEach((table, data) -> rows.put(table, data.collectAsList()));
      defaultSample = rows;
    }
    return defaultSample;
  }

  private static <T> List<T> column(Map<String, List<Row>> sample, String table, String column) {
    return sample.get(table).stream().map(r -> r.<T>getAs(column)).collect(Collectors.toList());
  }

  private static List<Row> where(Map<String, List<Row>> sample, String table, String column,
      String value) {
    return sample.get(table).stream().filter(r -> value.equals(r.getAs(column)))
        .collect(Collectors.toList());
  }

  private static long count(List<String[]> emails, java.util.function.Predicate<String> test) {
    return emails.stream().filter(e -> test.test(e[0])).count();
  }

  private static String normalized(String email) {
    return email == null ? null : email.strip().toLowerCase();
  }

  private static String emailColumn(Row r) {
    for (String name : List.of("email", "Email", "email_address")) {
      if (List.of(r.schema().fieldNames()).contains(name)) {
        return name;
      }
    }
    throw new IllegalStateException("no e-mail column in " + r.schema());
  }

  private static Map<String, List<String>> sortedRows(Map<String, Dataset<Row>> tables) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    tables.forEach((table, data) -> rows.put(table,
        data.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList())));
    return rows;
  }

  private static List<String> segmentIds(SparkSession spark, SampleOptions options) {
    return SampleGenerator.tables(spark, options).get("segment/users").select("id")
        .collectAsList().stream().map(r -> r.getString(0)).sorted().collect(Collectors.toList());
  }

  private static long userRecords(SparkSession spark, SampleOptions options) {
    Map<String, Dataset<Row>> tables = SampleGenerator.tables(spark, options);
    return SampleGenerator.USER_TABLES.stream().mapToLong(t -> tables.get(t).count()).sum();
  }

  private static String shape(Dataset<Row> rows) {
    List<String> fields = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      fields.add(f.name() + ":" + f.dataType().simpleString());
    }
    return String.join(" ", fields);
  }

  /** Salesforce's published rule for the 3-character suffix of an 18-character id. */
  private static String salesforceCaseSafe(String body) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    StringBuilder id = new StringBuilder(body);
    for (int chunk = 0; chunk < 3; chunk++) {
      int bits = 0;
      for (int i = 0; i < 5; i++) {
        char c = body.charAt(chunk * 5 + i);
        if (c >= 'A' && c <= 'Z') {
          bits |= 1 << i;
        }
      }
      id.append(alphabet.charAt(bits));
    }
    return id.toString();
  }

  private static String md5(String s) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
      return String.format("%032x", new BigInteger(1, digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
