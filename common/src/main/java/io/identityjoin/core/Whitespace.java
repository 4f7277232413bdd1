package io.identityjoin.core;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Trimming as the semantics mean it: every kind of leading and trailing whitespace, not only ' '.
 * Unicode white space counts too (no-break space U+00A0, ideographic space U+3000, ...): values
 * pasted from web forms and spreadsheets carry them, and an address that keeps one never matches.
 */
public final class Whitespace {
  /** Java's {@code \s} is ASCII only; {@code (?U)} makes it Unicode's White_Space. */
  static final String PATTERN = "(?U)^\\s+|\\s+$";

  /**
   * Every character {@code (?U)\s} matches (Unicode White_Space has none outside the Basic
   * Multilingual Plane), derived from the pattern so the two cannot disagree.
   */
  static final String CHARACTERS;

  static {
    Pattern space = Pattern.compile("(?U)\\s");
    StringBuilder b = new StringBuilder();
    IntStream.range(0, Character.MAX_VALUE + 1).filter(c -> space.matcher(String.valueOf((char) c)).matches())
        .forEach(c -> b.append((char) c));
    CHARACTERS = b.toString();
  }

  private Whitespace() {}

  /**
   * The text with leading and trailing whitespace (spaces, tabs, newlines, NBSP, ...) removed:
   * what removing {@link #PATTERN} does, as Spark's trim with a character set, which is several
   * times cheaper than a regular expression on every id and e-mail of every row.
   *
   * <p>A value whose first and last characters are printable ASCII ({@code '!'} to {@code '~'}) is
   * returned as it is, without the trim: every whitespace character is a control character or the
   * space (at most U+0020) or outside ASCII, so such a value has none at either end. Spark's trim
   * with a character set looks every character at an end up in the set and lays out the positions of
   * every character of the value first; the two comparisons cost a fraction of that, and ids and
   * e-mails almost always pass them (the 4M sample's read: docs/BENCHMARKS.md, 2026-12-03 (late night)).
   */
  public static Column trim(Column text) {
    return when(printableAscii(text).and(printableAscii(substring(text, -1, 1))), text)
        .otherwise(functions.trim(text, CHARACTERS));
  }

  /**
   * Whether a text's first character is printable ASCII: Spark compares strings by their UTF-8
   * bytes, so the text sorts from {@code "!"} (0x21) up to, not including, U+007F (DEL) exactly
   * when its first byte is 0x21 to 0x7e. Null for a null text.
   */
  private static Column printableAscii(Column text) {
    return text.geq(lit("!")).and(text.lt(lit("\u007f")));
  }
}
