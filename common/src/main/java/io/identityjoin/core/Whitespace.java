package io.identityjoin.core;

import static org.apache.spark.sql.functions.regexp_replace;

import org.apache.spark.sql.Column;

/** Trimming as the semantics mean it: every kind of leading and trailing whitespace, not only ' '. */
public final class Whitespace {
  private Whitespace() {}

  /** The text with leading and trailing whitespace (spaces, tabs, newlines, ...) removed. */
  public static Column trim(Column text) {
    return regexp_replace(text, "^\\s+|\\s+$", "");
  }
}
