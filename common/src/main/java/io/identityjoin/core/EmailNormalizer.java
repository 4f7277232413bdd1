package io.identityjoin.core;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Rule 2: an e-mail is trimmed and lower-cased, and is usable only if it then looks like
 * {@code local@domain.tld}. Anything else counts as no e-mail.
 */
public final class EmailNormalizer {

  /**
   * The contract's pattern: one '@', no whitespace, a dot in the domain part. Non-ASCII letters
   * are allowed (internationalized addresses); whitespace means Unicode white space ({@code (?U)}).
   */
  public static final String USABLE_EMAIL = "(?U)^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

  private EmailNormalizer() {}

  /** The normalized address, or null when the raw value is not a usable e-mail. */
  public static Column normalize(Column raw) {
    return usableOrNull(cleaned(raw));
  }

  /**
   * The raw value trimmed and lower-cased, usable or not: what {@link #usableOrNull} and
   * {@link #isUnusableCleaned} take.
   */
  public static Column cleaned(Column raw) {
    return lower(Whitespace.trim(raw));
  }

  /** {@link #normalize} of the raw value whose {@link #cleaned} value this is. */
  public static Column usableOrNull(Column cleaned) {
    return when(cleaned.rlike(USABLE_EMAIL), cleaned).otherwise(lit(null).cast("string"));
  }

  /**
   * True where the raw value whose {@link #cleaned} value this is was present and not blank but is
   * not a usable e-mail (a counted skip); lower-casing never empties a text, so the cleaned value's
   * blank check is the raw value's. False, not null, for a null value.
   */
  public static Column isUnusableCleaned(Column cleaned) {
    return cleaned.isNotNull().and(cleaned.notEqual("")).and(not(cleaned.rlike(USABLE_EMAIL)));
  }
}
