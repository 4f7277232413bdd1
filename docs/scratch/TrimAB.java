/*
 * Scratch A/B, not built by Maven (docs/BENCHMARKS.md, 2026-12-03 late night): the read's record rows with
 * Spark's trim with a character set on every id, e-mail and external id (the code of a6c1e66), with
 * a fast path that skips the trim when a value's first and last characters are printable ASCII,
 * and with Spark's plain trim of spaces (a bound, not the same semantics), alternating in one JVM,
 * each variant reading the 4M sample's sources and writing the record rows to noop.
 *   javac -cp "jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" -d /tmp/ab docs/scratch/TrimAB.java
 *   java <the launcher's JVM options> -cp "/tmp/ab:jobs/target/identity-join.jar:$(cat jobs/target/classpath.txt)" \
 *     io.identityjoin.jobs.bench.TrimAB /tmp/b4m 4000000 3
 */
package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.*;

import io.identityjoin.config.*;
import io.identityjoin.core.*;
import io.identityjoin.jobs.IdentityJoinJob;
import java.util.*;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.sql.*;

public class TrimAB {
  static final String CHARACTERS;

  static {
    Pattern space = Pattern.compile("(?U)\\s");
    StringBuilder b = new StringBuilder();
    IntStream.range(0, Character.MAX_VALUE + 1).filter(c -> space.matcher(String.valueOf((char) c)).matches())
        .forEach(c -> b.append((char) c));
    CHARACTERS = b.toString();
  }

  static Column charset(Column text) {
    return functions.trim(text, CHARACTERS);
  }

  static Column printable(Column c) {
    return c.geq(lit("!")).and(c.lt(lit("\u007F")));
  }

  static Column fast(Column text) {
    return when(printable(text).and(printable(substring(text, -1, 1))), text).otherwise(charset(text));
  }

  static Column plain(Column text) {
    return functions.trim(text);
  }

  static Column nullIfBlank(Column text) {
    return when(text.notEqual(""), text);
  }

  static Dataset<Row> records(Dataset<Row> table, SourceSettings source, UnaryOperator<Column> trim) {
    String[] cols = table.columns();
    Column id = nullIfBlank(trim.apply(table.col("`" + cols[0] + "`").cast("string")));
    int next = 1;
    Column email = lit(null).cast("string");
    Column unusable = lit(false);
    if (source.emailColumn().isPresent()) {
      Column raw = table.col("`" + cols[next++] + "`");
      Column cleaned = lower(trim.apply(raw));
      email = when(cleaned.rlike(EmailNormalizer.USABLE_EMAIL), cleaned).otherwise(lit(null).cast("string"));
      unusable = raw.isNotNull().and(trim.apply(raw).notEqual("")).and(email.isNull());
    }
    Column externalId = lit(null).cast("string");
    if (source.externalIdColumn().isPresent()) {
      externalId = nullIfBlank(trim.apply(table.col("`" + cols[next] + "`").cast("string")));
    }
    return table.select(lit(source.name()).as("source"), id.as("source_id"), email.as("email"),
            unusable.as("email_unusable"), externalId.as("external_id"))
        .withColumn("vertex", SourceRecords.vertex())
        .select("source", "source_id", "vertex", "email", "email_unusable", "external_id");
  }

  /** Each value trimmed once: the trimmed values in one projection, the checks on them in the next. */
  static Dataset<Row> recordsOnce(Dataset<Row> table, SourceSettings source, UnaryOperator<Column> trim) {
    String[] cols = table.columns();
    List<Column> first = new ArrayList<>(List.of(trim.apply(table.col("`" + cols[0] + "`").cast("string")).as("t_id")));
    int next = 1;
    boolean hasEmail = source.emailColumn().isPresent();
    if (hasEmail) {
      Column raw = table.col("`" + cols[next++] + "`");
      first.add(lower(trim.apply(raw)).as("t_email"));
    }
    boolean hasExt = source.externalIdColumn().isPresent();
    if (hasExt) {
      first.add(trim.apply(table.col("`" + cols[next] + "`").cast("string")).as("t_ext"));
    }
    Dataset<Row> t = table.select(first.toArray(Column[]::new));
    Column email = lit(null).cast("string");
    Column unusable = lit(false);
    if (hasEmail) {
      Column cleaned = col("t_email");
      email = when(cleaned.rlike(EmailNormalizer.USABLE_EMAIL), cleaned).otherwise(lit(null).cast("string"));
      unusable = cleaned.notEqual("").and(not(cleaned.rlike(EmailNormalizer.USABLE_EMAIL)));
    }
    Column externalId = hasExt ? nullIfBlank(col("t_ext")) : lit(null).cast("string");
    return t.select(lit(source.name()).as("source"), nullIfBlank(col("t_id")).as("source_id"), email.as("email"),
            unusable.as("email_unusable"), externalId.as("external_id"))
        .withColumn("vertex", SourceRecords.vertex())
        .select("source", "source_id", "vertex", "email", "email_unusable", "external_id");
  }

  static Dataset<Row> all(Map<String, Dataset<Row>> tables, Settings settings, UnaryOperator<Column> trim) {
    return all(tables, settings, trim, false);
  }

  static Dataset<Row> all(Map<String, Dataset<Row>> tables, Settings settings, UnaryOperator<Column> trim,
      boolean once) {
    Dataset<Row> all = null;
    for (SourceSettings s : settings.sources()) {
      Dataset<Row> r = once ? recordsOnce(tables.get(s.name()), s, trim) : records(tables.get(s.name()), s, trim);
      all = all == null ? r : all.unionByName(r);
    }
    return all;
  }

  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    Settings settings = BenchData.ensure(spark, a[0], Long.parseLong(a[1])).settings("/tmp/ab/out");
    int repeats = Integer.parseInt(a[2]);
    Map<String, Dataset<Row>> tables = IdentityJoinJob.readSources(spark, settings);
    // Tricky values: every whitespace character at either end, alone, inside; non-ASCII ends; DEL.
    List<String> tricky = new ArrayList<>(List.of("", " ", "a", "!", "~", "\u007F", "a\u007F", "\u007Fa", "é", "aé",
        "éa", "a b", " a", "a ", "\u00A0a\u00A0", "\u3000x\u3000", "x\u2028", "\u0085y", "\ta\n", "日本", "a\u200B"));
    for (char c : CHARACTERS.toCharArray()) {
      tricky.addAll(List.of(c + "abc", "abc" + c, c + "", c + "é" + c, "é" + c));
    }
    Dataset<Row> t = spark.createDataset(tricky, Encoders.STRING()).toDF("v");
    long diff = t.select(charset(col("v")).as("x")).exceptAll(t.select(fast(col("v")).as("x"))).count()
        + t.select(fast(col("v")).as("x")).exceptAll(t.select(charset(col("v")).as("x"))).count();
    long same = t.where(not(charset(col("v")).eqNullSafe(fast(col("v"))))).count();
    System.out.printf("tricky values: %d, rows differing: %d, %d%n", tricky.size(), diff, same);
    Dataset<Row> c0 = all(tables, settings, TrimAB::charset);
    Dataset<Row> f0 = all(tables, settings, TrimAB::fast);
    System.out.printf("sample rows differing: %d / %d%n", c0.exceptAll(f0).count(), f0.exceptAll(c0).count());
    Dataset<Row> o0 = all(tables, settings, TrimAB::fast, true);
    System.out.printf("once rows differing: %d / %d%n", c0.exceptAll(o0).count(), o0.exceptAll(c0).count());
    System.out.println(o0.queryExecution().executedPlan().toString());
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int i = 0; i < repeats; i++) {
      for (String v : List.of("charset", "fast", "fast-once", "charset-once", "plain")) {
        UnaryOperator<Column> trim = switch (v) {
          case "charset", "charset-once" -> TrimAB::charset;
          case "fast", "fast-once" -> TrimAB::fast;
          default -> TrimAB::plain;
        };
        Dataset<Row> d = all(tables, settings, trim, v.endsWith("-once"));
        long t0 = System.nanoTime();
        d.write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        times.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
        System.out.printf("repeat %d %s %.2f s%n", i + 1, v, s);
      }
    }
    times.forEach((v, ts) -> {
      List<Double> sorted = new ArrayList<>(ts);
      Collections.sort(sorted);
      System.out.printf("%s: %s, median %.2f s%n", v, ts, sorted.get(sorted.size() / 2));
    });
  }
}
