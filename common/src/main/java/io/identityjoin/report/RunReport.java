package io.identityjoin.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.identityjoin.output.EmailPrivacy;
import io.identityjoin.output.IdentityMap;
import io.identityjoin.output.UserIdentities;
import io.identityjoin.pipeline.GuardReport;
import io.identityjoin.pipeline.RunSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Everything report.html shows, collected to the driver: the run's summary and guard findings, the
 * person-size histogram and the largest persons with their evidence. Pass the tables as written
 * (after {@link EmailPrivacy}) and the guard report with its e-mails shown the same way
 * ({@link GuardReport#withEmails}), so the page shows no address the tables do not.
 */
public record RunReport(
    RunSummary summary,
    GuardReport guards,
    Map<Long, Long> personsBySize,
    List<Person> largestPersons) {

  /** How many of the largest persons are shown, and how many records of each. */
  public static final int LARGEST = 20;
  public static final int MEMBERS_SHOWN = 30;

  /** A person and (up to {@value #MEMBERS_SHOWN} of) its records. */
  public record Person(String personId, long recordCount, List<Member> members) {}

  /** One identity_map row. */
  public record Member(String source, String sourceId, String email, String matchRule, String matchedBy,
      String linkedTo, List<String> flags) {}

  /**
   * @param identityMap the identity_map table (columns as {@link IdentityMap} writes them)
   * @param userIdentities the user_identities table
   */
  public static RunReport collect(RunSummary summary, GuardReport guards, Dataset<Row> identityMap,
      Dataset<Row> userIdentities) {
    Map<Long, Long> sizes = new TreeMap<>();
    for (Row r : userIdentities.groupBy(UserIdentities.RECORD_COUNT).count().collectAsList()) {
      sizes.put(r.getLong(0), r.getLong(1));
    }
    List<Row> top = userIdentities.select(IdentityMap.PERSON_ID, UserIdentities.RECORD_COUNT)
        .orderBy(col(UserIdentities.RECORD_COUNT).desc(), col(IdentityMap.PERSON_ID)).limit(LARGEST).collectAsList();
    Map<String, List<Member>> members = new LinkedHashMap<>();
    top.forEach(r -> members.put(r.getString(0), new ArrayList<>()));
    if (!top.isEmpty()) {
      Dataset<Row> rows = identityMap.where(col(IdentityMap.PERSON_ID).isin(members.keySet().toArray()))
          .withColumn("n", row_number().over(Window.partitionBy(IdentityMap.PERSON_ID)
              .orderBy(col("source"), col("source_id"))))
          .where(col("n").leq(MEMBERS_SHOWN))
          .orderBy(IdentityMap.PERSON_ID, "n");
      for (Row r : rows.collectAsList()) {
        members.get(r.<String>getAs(IdentityMap.PERSON_ID)).add(new Member(r.getAs("source"), r.getAs("source_id"),
            emailAsWritten(r), r.getAs(IdentityMap.MATCH_RULE), r.getAs(IdentityMap.MATCHED_BY),
            r.getAs(IdentityMap.LINKED_TO), r.getList(r.fieldIndex("flags"))));
      }
    }
    List<Person> persons = top.stream()
        .map(r -> new Person(r.getString(0), r.getLong(1), List.copyOf(members.get(r.getString(0))))).toList();
    return new RunReport(summary, guards, sizes, persons);
  }

  /** The record's e-mail as the table holds it: {@code email}, {@code email_sha256}, or none. */
  public static String emailAsWritten(Row r) {
    for (String column : List.of("email", EmailPrivacy.EMAIL_SHA256)) {
      if (List.of(r.schema().fieldNames()).contains(column)) {
        return r.getAs(column);
      }
    }
    return null;
  }
}
