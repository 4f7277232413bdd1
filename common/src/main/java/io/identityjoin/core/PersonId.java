package io.identityjoin.core;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.lpad;

import org.apache.spark.sql.Column;

/**
 * Rule 7: {@code person_id} is deterministic. Each record's vertex is {@code xxhash64(source,
 * source_id)} (Spark's xxhash64, seed 42); a person's component is the smallest vertex among its
 * records; {@code person_id = "p" + the component as 16 lower-case hex digits} (two's complement).
 * It depends only on which records form the person, so the same input gives the same ids on every
 * run, with any partition count.
 */
public final class PersonId {

  private PersonId() {}

  public static Column of(Column component) {
    return concat(lit("p"), lower(lpad(hex(component), 16, "0")));
  }
}
