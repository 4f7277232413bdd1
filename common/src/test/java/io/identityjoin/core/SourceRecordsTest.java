package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rules 1 and 2 as {@link SourceRecords#of} applies them: its projections (each value cast and
 * trimmed once, the checks on the trimmed values) give exactly the rows of the rules' definitions
 * written as one expression per column, on every kind of value.
 */
@ExtendWith(SparkSessionExtension.class)
class SourceRecordsTest {

  @Test
  void recordRowsAreWhatTheRulesDefinitionsGiveForEveryKindOfValue(SparkSession spark) {
    // Ids, e-mails and external ids from pieces: blanks, whitespace of every kind, upper case,
    // unusable addresses, non-ASCII letters, and nulls.
    String[] pieces = {"", " ", "\u00a0", "\t", "\u3000", "a", "Zoë", "7", "@", "x.com", "A@B.CO", "!", "~", "\u007f",
        "ë", "用", "a b"};
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      rows.add(RowFactory.create(value(random, pieces), value(random, pieces), value(random, pieces)));
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("uid", DataTypes.StringType, true),
        DataTypes.createStructField("mail", DataTypes.StringType, true),
        DataTypes.createStructField("ext", DataTypes.StringType, true)));
    Dataset<Row> table = spark.createDataFrame(rows, schema).repartition(2);
    SourceSettings source = new SourceSettings("zendesk", TableFormat.PARQUET, "memory:zendesk", "uid",
        Optional.of("mail"), Optional.of("ext"), JoinStrategy.AUTO, Map.of());

    Dataset<Row> actual = SourceRecords.of(table, source);
    Column id = definedNullIfBlank(Whitespace.trim(col("uid").cast("string")));
    Dataset<Row> expected = table.select(lit("zendesk").as(SourceRecords.SOURCE), id.as(SourceRecords.SOURCE_ID),
        when(id.isNotNull(), xxhash64(lit("zendesk"), id)).as(SourceRecords.VERTEX),
        EmailNormalizer.normalize(col("mail")).as(SourceRecords.EMAIL),
        // Rule 2's definition as it reads: present, not blank once trimmed, and not usable.
        col("mail").isNotNull().and(Whitespace.trim(col("mail")).notEqual(""))
            .and(EmailNormalizer.normalize(col("mail")).isNull()).as(SourceRecords.EMAIL_UNUSABLE),
        definedNullIfBlank(Whitespace.trim(col("ext").cast("string"))).as(SourceRecords.EXTERNAL_ID));

    assertEquals(List.of(expected.columns()), List.of(actual.columns()));
    assertEquals(0, actual.exceptAll(expected).count());
    assertEquals(0, expected.exceptAll(actual).count());
    assertEquals(rows.size(), actual.count());
    // The values cover every case: blank ids, usable and unusable e-mails, nulls.
    assertTrue(actual.where(col(SourceRecords.SOURCE_ID).isNull().and(col("vertex").isNull())).count() > 100);
    assertTrue(actual.where(col(SourceRecords.EMAIL).isNotNull()).count() > 50);
    assertTrue(actual.where(col(SourceRecords.EMAIL_UNUSABLE)).count() > 100);
    assertTrue(actual.where(col(SourceRecords.EXTERNAL_ID).isNotNull()).count() > 100);
    assertEquals(0, actual.where(col(SourceRecords.EMAIL_UNUSABLE).isNull()).count(), "never null, false instead");
  }

  private static Column definedNullIfBlank(Column text) {
    return when(text.notEqual(""), text);
  }

  private static String value(Random random, String[] pieces) {
    int n = random.nextInt(5);
    if (n == 0 && random.nextBoolean()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < n; k++) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    return b.toString();
  }
}
