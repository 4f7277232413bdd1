package io.identityjoin.sample;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * The id formats of the sampled tools. An id that must be unique is a bijection of the record's
 * key: a keyed Feistel permutation over two halves of digits, so ids look random yet never collide,
 * with no driver-side bookkeeping.
 */
final class SampleIds {

  static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String HEX = "0123456789abcdef";
  /** Salesforce's alphabet for the 3-character case-safe suffix of an 18-character id. */
  private static final String SALESFORCE_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  private static final int FEISTEL_ROUNDS = 3;
  /**
   * Zendesk user ids: 10 digits from 1e9. The multiplier (a prime, Knuth's golden-ratio constant)
   * is coprime with the 9e9 range, so distinct persons get distinct ids.
   */
  private static final long ZENDESK_FIRST = 1_000_000_000L;
  private static final long ZENDESK_RANGE = 9_000_000_000L;
  private static final long ZENDESK_STEP = 2_654_435_761L;
  private static final long ZENDESK_OFFSET = 303_028_105L;

  private final SampleRandom random;

  SampleIds(SampleRandom random) {
    this.random = random;
  }

  /** Segment user id: 10 alphanumerics like "mYhgYcRBC7". */
  Column segmentUserId(Column pid) {
    return alphabetic(pid, BASE62, 5, "segment-user-id");
  }

  /** Zendesk user id: a 10-digit bigint like 1303028105. */
  Column zendeskUserId(Column pid) {
    Column spread = pid.multiply(lit(ZENDESK_STEP)).plus(lit(ZENDESK_OFFSET));
    return lit(ZENDESK_FIRST).plus(pmod(spread, lit(ZENDESK_RANGE)));
  }

  /** Stripe customer id: "cus_" and 14 alphanumerics. */
  Column stripeCustomerId(Column key) {
    return concat(lit("cus_"), alphabetic(key, BASE62, 7, "stripe-customer-id"));
  }

  /** Stripe subscription id: "sub_" and 14 alphanumerics. */
  Column stripeSubscriptionId(Column key) {
    return concat(lit("sub_"), alphabetic(key, BASE62, 7, "stripe-subscription-id"));
  }

  /**
   * The 15-character case-sensitive body of a Salesforce lead id: key prefix "00Q", a pod-like
   * "5e00", then 8 unique characters. {@link #salesforceCaseSafe} turns it into the 18-character
   * id.
   */
  Column salesforceLeadBody(Column key) {
    return concat(lit("00Q5e00"), alphabetic(key, BASE62, 4, "salesforce-lead-id"));
  }

  /**
   * Salesforce's 18-character id: the 15-character body plus one suffix character per 5-character
   * chunk, whose bit i says that the chunk's i-th character is upper case.
   */
  static Column salesforceCaseSafe(Column body) {
    Column id = body;
    for (int chunk = 0; chunk < 3; chunk++) {
      Column bits = lit(0);
      for (int i = 0; i < 5; i++) {
        Column ch = body.substr(chunk * 5 + i + 1, 1);
        bits = bits.plus(when(ch.rlike("^[A-Z]$"), lit(1 << i)).otherwise(lit(0)));
      }
      id = concat(id, character(SALESFORCE_SUFFIX, bits));
    }
    return id;
  }

  /** Intercom contact id: 24 hex characters, an ObjectId-like creation second, 16 unique ones. */
  Column intercomContactId(Column key, Column createdAt) {
    Column second = lpad(lower(hex(unix_seconds(createdAt))), 8, "0");
    return concat(second, alphabetic(key, HEX, 8, "intercom-contact-id"));
  }

  /**
   * 2 * digitsPerHalf characters of the alphabet, distinct for distinct keys below
   * radix^(2 * digitsPerHalf): the key's two halves go through a keyed Feistel network (a
   * permutation whatever the round function) and each half is written in the alphabet.
   */
  private Column alphabetic(Column key, String alphabet, int digitsPerHalf, String salt) {
    long radix = alphabet.length();
    long half = pow(radix, digitsPerHalf);
    Column right = pmod(key, lit(half));
    Column left = quotient(key, half);
    for (int round = 0; round < FEISTEL_ROUNDS; round++) {
      Column mixed = pmod(left.plus(random.below(half, salt, lit(round), right)), lit(half));
      left = right;
      right = mixed;
    }
    return concat(digits(left, alphabet, digitsPerHalf), digits(right, alphabet, digitsPerHalf));
  }

  /** value (below radix^count) in count characters of the alphabet, most significant first. */
  private static Column digits(Column value, String alphabet, int count) {
    long radix = alphabet.length();
    Column[] chars = new Column[count];
    for (int i = 0; i < count; i++) {
      Column digit = pmod(quotient(value, pow(radix, count - 1 - i)), lit(radix));
      chars[i] = character(alphabet, digit);
    }
    return concat(chars);
  }

  /** The alphabet's character at a 0-based index (an array lookup: far cheaper than substring). */
  private static Column character(String alphabet, Column index) {
    Column[] chars = new Column[alphabet.length()];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = lit(alphabet.substring(i, i + 1));
    }
    return element_at(array(chars), index.plus(1).cast("int"));
  }

  /**
   * floor(value / divisor) for non-negative longs below 2^53: the double quotient then can neither
   * reach the next integer nor fall below the true one, so the floor is exact.
   */
  private static Column quotient(Column value, long divisor) {
    return floor(value.divide(lit(divisor)));
  }

  private static long pow(long base, int exponent) {
    long result = 1;
    for (int i = 0; i < exponent; i++) {
      result = Math.multiplyExact(result, base);
    }
    return result;
  }
}
