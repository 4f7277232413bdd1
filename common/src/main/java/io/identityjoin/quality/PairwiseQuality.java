package io.identityjoin.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;

import io.identityjoin.output.IdentityMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pairwise precision, recall and F1 of the persons against a ground truth. A pair is two records;
 * it is predicted when both are in one person, true when both have one truth value. Precision =
 * true predicted pairs / predicted pairs, recall = true predicted pairs / true pairs. Records
 * without a truth value are left out. A false merge is a person holding records of several truth
 * values; a split is a truth value spread over several persons.
 */
public final class PairwiseQuality {

  public static final String TRUTH = "truth";
  public static final int FALSE_MERGES_LISTED = 20;
  private static final int RECORDS_PER_TRUTH_LISTED = 5;

  /** The figures, and the largest false merges. */
  public record Result(long records, long persons, long truePersons, long predictedPairs, long truePairs,
      long truePositivePairs, long falseMergePersons, long splitTruePersons, List<FalseMerge> falseMerges) {

    public double precision() {
      return predictedPairs == 0 ? 1.0 : (double) truePositivePairs / predictedPairs;
    }

    public double recall() {
      return truePairs == 0 ? 1.0 : (double) truePositivePairs / truePairs;
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public String toText() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "records with a truth value: %,d; persons: %,d; true persons: %,d%n",
          records, persons, truePersons));
      b.append(String.format(Locale.ROOT, "pairs: predicted %,d, true %,d, both %,d%n", predictedPairs, truePairs,
          truePositivePairs));
      b.append(String.format(Locale.ROOT, "precision %.4f  recall %.4f  F1 %.4f%n", precision(), recall(), f1()));
      b.append(String.format(Locale.ROOT, "false merges: %,d persons hold several true persons; splits: %,d true "
          + "persons are spread over several persons%n", falseMergePersons, splitTruePersons));
      for (FalseMerge m : falseMerges) {
        b.append(String.format(Locale.ROOT, "  %s (%,d records):%n", m.personId(), m.records()));
        m.recordsByTruth().forEach((truth, records) -> b.append("    ").append(truth).append(": ")
            .append(String.join(", ", records)).append('\n'));
      }
      return b.toString();
    }
  }

  /** A person that holds several true persons: truth value to (some of) its records there. */
  public record FalseMerge(String personId, long records, Map<String, List<String>> recordsByTruth) {}

  private PairwiseQuality() {}

  /**
   * @param identityMap the identity_map table
   * @param truth {@code (source, source_id, truth)}: one truth value per record (the smallest is
   *     taken if a record has several rows)
   */
  public static Result of(Dataset<Row> identityMap, Dataset<Row> truth) {
    Dataset<Row> t = truth.where(col(TRUTH).isNotNull()).groupBy("source", "source_id").agg(min(TRUTH).as(TRUTH));
    Dataset<Row> joined = identityMap.select(col(IdentityMap.PERSON_ID), col("source"), col("source_id"))
        .join(t, new String[] {"source", "source_id"}).cache();
    try {
      Dataset<Row> cells = joined.groupBy(IdentityMap.PERSON_ID, TRUTH).agg(count(lit(1)).as("n"));
      Row tp = cells.agg(sum(pairs(col("n")))).first();
      Row predicted = joined.groupBy(IdentityMap.PERSON_ID).agg(count(lit(1)).as("n"))
          .agg(sum(pairs(col("n"))), count(lit(1))).first();
      Row actual = joined.groupBy(TRUTH).agg(count(lit(1)).as("n")).agg(sum(pairs(col("n"))), count(lit(1))).first();
      Dataset<Row> merged = cells.groupBy(IdentityMap.PERSON_ID)
          .agg(count(lit(1)).as("truths"), sum("n").as("records")).where(col("truths").gt(1));
      long splits = cells.groupBy(TRUTH).agg(count(lit(1)).as("persons")).where(col("persons").gt(1)).count();
      List<Row> worst = merged.orderBy(col("records").desc(), col(IdentityMap.PERSON_ID)).limit(FALSE_MERGES_LISTED)
          .collectAsList();
      List<FalseMerge> falseMerges = falseMerges(joined, worst);
      return new Result(joined.count(), predicted.getLong(1), actual.getLong(1), longOrZero(predicted),
          longOrZero(actual), longOrZero(tp), merged.count(), splits, falseMerges);
    } finally {
      joined.unpersist();
    }
  }

  /** The listed persons' records by truth value, in one job. */
  private static List<FalseMerge> falseMerges(Dataset<Row> joined, List<Row> persons) {
    if (persons.isEmpty()) {
      return List.of();
    }
    Column record = concat(col("source"), lit("/"), col("source_id"));
    Map<String, Map<String, List<String>>> byPerson = new LinkedHashMap<>();
    persons.forEach(p -> byPerson.put(p.getString(0), new LinkedHashMap<>()));
    for (Row r : joined.where(col(IdentityMap.PERSON_ID).isin(byPerson.keySet().toArray()))
        .groupBy(col(IdentityMap.PERSON_ID), col(TRUTH))
        .agg(countDistinct(record).as("n"), slice(sort_array(collect_list(record)), 1, RECORDS_PER_TRUTH_LISTED).as("r"))
        .orderBy(col(IdentityMap.PERSON_ID), col("n").desc(), col(TRUTH)).collectAsList()) {
      List<String> records = new ArrayList<>(r.getList(3));
      long n = r.getLong(2);
      if (n > records.size()) {
        records.add("… " + (n - records.size()) + " more");
      }
      byPerson.get(r.getString(0)).put(r.getString(1), records);
    }
    return persons.stream().map(p -> new FalseMerge(p.getString(0), p.getLong(2), byPerson.get(p.getString(0))))
        .toList();
  }

  private static Column pairs(Column n) {
    return n.multiply(n.minus(1)).divide(2).cast("long");
  }

  private static long longOrZero(Row r) {
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }
}
