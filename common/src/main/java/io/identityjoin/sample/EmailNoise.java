package io.identityjoin.sample;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.initcap;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * How the sample dirties e-mail addresses the way SaaS tools hold them: random upper case,
 * surrounding spaces, placeholders that are no address at all, and junk addresses that several
 * different people type into billing and CRM forms.
 */
final class EmailNoise {

  /** Values of an e-mail field that name nobody; null among them. */
  static final String[] INVALID = {"n/a", "", null, "bob@", "no email", "  ", "none"};
  /** Role or placeholder addresses shared by unrelated people. */
  static final String[] SHARED_JUNK = {
    "info@company.com", "admin@company.com", "test@test.com", "billing@acme.com",
    "noreply@example.com"
  };

  private static final int MIXED_CASE_VARIANTS = 7;

  private final SampleRandom random;

  EmailNoise(SampleRandom random) {
    this.random = random;
  }

  /**
   * The address as a tool holds it: with probability invalid a placeholder, else with probability
   * junk a shared junk address, else the address with random case and surrounding spaces. The
   * address is referenced several times: pass a column, not an expression to recompute.
   */
  Column dirty(Column email, double invalid, double junk, String salt, Column... keys) {
    Column draw = random.below(1_000_000, salt + "-quality", keys);
    long invalidBelow = Math.round(invalid * 1_000_000);
    long junkBelow = invalidBelow + Math.round(junk * 1_000_000);
    return when(draw.lt(invalidBelow), pickInvalid(salt, keys))
        .when(draw.lt(junkBelow), random.pick(SHARED_JUNK, salt + "-junk", keys))
        .otherwise(spaced(recased(email, salt, keys), salt, keys));
  }

  /**
   * The address with its letters' case changed for about a third of records, as people type it.
   * The address is referenced several times: pass a column, not an expression to recompute.
   */
  Column recased(Column email, String salt, Column... keys) {
    Column draw = random.below(100, salt + "-case", keys);
    return when(draw.lt(66), email)
        .when(draw.lt(78), initcap(email))
        .when(draw.lt(86), upper(email))
        .otherwise(randomlyUpper(email, salt, keys));
  }

  /**
   * Some letters upper-cased, as in "adA.LoVelace@Gmail.com": one of a few fixed letter sets, drawn
   * per record. A per-character draw would need a lambda, which Spark interprets row by row.
   */
  private Column randomlyUpper(Column email, String salt, Column... keys) {
    Column variant = random.below(MIXED_CASE_VARIANTS, salt + "-letters", keys);
    Column chosen = email;
    for (int v = 0; v < MIXED_CASE_VARIANTS; v++) {
      String letters = letterSet(v);
      chosen = when(variant.equalTo(v), translate(email, letters, letters.toUpperCase()))
          .otherwise(chosen);
    }
    return chosen;
  }

  /** Letter set v for mixed case: about 3 in 7 letters, a different 3 in 7 for each v. */
  private static String letterSet(int v) {
    StringBuilder letters = new StringBuilder();
    for (char c = 'a'; c <= 'z'; c++) {
      if (((c - 'a') * 3 + v) % 7 < 3) {
        letters.append(c);
      }
    }
    return letters.toString();
  }

  /** Leading or trailing spaces on about one record in seven. */
  private Column spaced(Column email, String salt, Column... keys) {
    Column draw = random.below(20, salt + "-space", keys);
    Column before =
        when(draw.equalTo(0), lit(" ")).when(draw.equalTo(2), lit("  ")).otherwise(lit(""));
    Column after =
        when(draw.equalTo(1), lit(" ")).when(draw.equalTo(2), lit("  ")).otherwise(lit(""));
    return concat(before, email, after);
  }

  private Column pickInvalid(String salt, Column... keys) {
    Column draw = random.below(INVALID.length, salt + "-invalid", keys);
    Column chosen = lit(null).cast("string");
    for (int i = 0; i < INVALID.length; i++) {
      if (INVALID[i] != null) {
        chosen = when(draw.equalTo(i), lit(INVALID[i])).otherwise(chosen);
      }
    }
    return chosen;
  }
}
