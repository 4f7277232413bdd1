package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rule 1 and 2's trimming: Spark's trim gives what removing {@link Whitespace#PATTERN} gives. */
@ExtendWith(SparkSessionExtension.class)
class WhitespaceTest {

  /**
   * What {@link Whitespace#trim}'s fast path rests on: no whitespace character is printable ASCII,
   * so a value that begins and ends with one has nothing to trim.
   */
  @Test
  void noWhitespaceCharacterIsPrintableAscii() {
    assertTrue(Whitespace.CHARACTERS.length() >= 25, Whitespace.CHARACTERS::toString);
    for (char c : Whitespace.CHARACTERS.toCharArray()) {
      assertTrue(c <= ' ' || c >= 0x80, () -> String.format("U+%04X", (int) c));
    }
  }

  @Test
  void trimRemovesUnicodeWhitespaceAtEitherEndAsThePatternDoes(SparkSession spark) {
    List<String> values = new ArrayList<>(Arrays.asList(null, "", " ", "\u00a0", "a", " a", "a ", "\ta\n", "a b",
        "\u3000zoë@x.com\u00a0", "\u2003 \u3000", "x\u200a", "\u0085y", "🙂", " 🙂 ", "a\u00a0b", "\u001fa",
        // The fast path's edges: printable ASCII from '!' to '~' at both ends, DEL, and non-ASCII ends.
        "!", "~", "!a~", "~ ~", "\u007f", "\u007fa\u007f", "a\u007f", "ë", "aë", "ëa", "a\u2029", "\u3000a"));
    // Random values: letters, multi-byte letters, an emoji and whitespace of every kind at random places.
    String pool = "ab@.ë用🙂" + Whitespace.CHARACTERS;
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(6);
      for (int k = 0; k < n; k++) {
        b.appendCodePoint(pool.codePointAt(pool.offsetByCodePoints(0, random.nextInt(pool.codePointCount(0,
            pool.length())))));
      }
      values.add(b.toString());
    }
    // Repartitioned so that Spark runs the expression in tasks (generated code or not, as set below)
    // instead of folding it into the local table while planning.
    Dataset<Row> texts = spark.createDataset(values, Encoders.STRING()).toDF("t").repartition(2);
    for (String codegen : List.of("true", "false")) {
      String before = spark.conf().get("spark.sql.codegen.wholeStage");
      spark.conf().set("spark.sql.codegen.wholeStage", codegen);
      try {
        List<Row> rows = texts.select(col("t"), Whitespace.trim(col("t")).as("trimmed")).collectAsList();
        assertEquals(values.size(), rows.size());
        for (Row r : rows) {
          String t = r.getString(0);
          String expected = t == null ? null : t.replaceAll(Whitespace.PATTERN, "");
          assertEquals(expected, r.getString(1), () -> "codegen " + codegen + ", value [" + t + "]");
        }
      } finally {
        spark.conf().set("spark.sql.codegen.wholeStage", before);
      }
    }
  }
}
