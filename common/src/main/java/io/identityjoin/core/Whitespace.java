package io.identityjoin.core;

import static org.apache.spark.sql.functions.regexp_replace;

import org.apache.spark.sql.Column;

/**
 * Trimming as the semantics mean it: every kind of leading and trailing whitespace, not only ' '.
 * Unicode white space counts too (no-break space U+00A0, ideographic space U+3000, ...): values
 * pasted from web forms and spreadsheets carry them, and an address that keeps one never matches.
 */
public final class Whitespace {
  /** Java's {@code \s} is ASCII only; {@code (?U)} makes it Unicode's White_Space. */
  static final String PATTERN = "(?U)^\\s+|\\s+$";

  private Whitespace() {}

  /** The text with leading and trailing whitespace (spaces, tabs, newlines, NBSP, ...) removed. */
  public static Column trim(Column text) {
    return regexp_replace(text, PATTERN, "");
  }
}
