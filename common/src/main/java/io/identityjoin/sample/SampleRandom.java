package io.identityjoin.sample;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import org.apache.spark.sql.Column;

/**
 * Every random choice of the sample. A value is a pure function of (seed, salt, row keys) through
 * Spark's xxhash64, never of partitioning, row order, time or the machine, so the same options give
 * the same tables anywhere. The salt names the choice, keeping different choices independent.
 */
record SampleRandom(long seed) {

  private static final long PER_MILLION = 1_000_000L;

  /** The 64-bit hash all choices start from. */
  Column hash(String salt, Column... keys) {
    Column[] in = new Column[keys.length + 2];
    in[0] = lit(seed);
    in[1] = lit(salt);
    System.arraycopy(keys, 0, in, 2, keys.length);
    return xxhash64(in);
  }

  /** A long uniform in [0, n). */
  Column below(long n, String salt, Column... keys) {
    return pmod(hash(salt, keys), lit(n));
  }

  /** True with probability p. */
  Column chance(double p, String salt, Column... keys) {
    return below(PER_MILLION, salt, keys).lt(lit(Math.round(p * PER_MILLION)));
  }

  /** One of the values, equally likely. */
  Column pick(String[] values, String salt, Column... keys) {
    Column[] lits = Arrays.stream(values).map(v -> lit(v)).toArray(Column[]::new);
    return element_at(array(lits), below(values.length, salt, keys).plus(1).cast("int"));
  }

  /** One of the values, each as likely as its weight. */
  Column weighted(String[] values, int[] weights, String salt, Column... keys) {
    if (values.length != weights.length || values.length == 0) {
      throw new IllegalArgumentException("one weight per value");
    }
    int total = Arrays.stream(weights).sum();
    Column draw = below(total, salt, keys);
    Column chosen = lit(values[values.length - 1]);
    int upTo = total - weights[weights.length - 1];
    for (int i = values.length - 2; i >= 0; i--) {
      chosen = when(draw.lt(upTo), lit(values[i])).otherwise(chosen);
      upTo -= weights[i];
    }
    return chosen;
  }
}
