package io.identityjoin.core;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Trimming as the semantics mean it: every kind of leading and trailing whitespace, not only ' '. */
public final class Whitespace {

  /** What {@code \s} matches in a Java regular expression: space, \t, \n, \u000B, \f, \r. */
  static final String CHARACTERS = " \t\n\u000B\f\r";

  private Whitespace() {}

  /**
   * The text with leading and trailing whitespace (spaces, tabs, newlines, ...) removed. Spark's
   * trim with a character set, not a regular expression: the same result as removing
   * {@code ^\s+|\s+$}, several times cheaper on every id and e-mail of every row.
   */
  public static Column trim(Column text) {
    return functions.trim(text, CHARACTERS);
  }
}
