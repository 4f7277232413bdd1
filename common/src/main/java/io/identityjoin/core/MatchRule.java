package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Rule 6: each record says how it joined its person — {@code anchor} (a record of the anchor
 * source), {@code external_id} (its external id named an anchor record), {@code email} (linked to
 * at least one other record by e-mail), or {@code unmatched}.
 */
public final class MatchRule {

  public static final String ANCHOR = "anchor";
  public static final String EXTERNAL_ID = "external_id";
  public static final String EMAIL = "email";
  public static final String UNMATCHED = "unmatched";

  private MatchRule() {}

  /**
   * @param linkedByExternalId true where the record is the source side of an external-ID link
   * @param inGraph true where the record is an endpoint of any link
   */
  public static Column of(String anchor, Column linkedByExternalId, Column inGraph) {
    // A non-anchor record in the graph without an external-ID link can only be there by e-mail.
    return when(col(SourceRecords.SOURCE).equalTo(anchor), lit(ANCHOR))
        .when(linkedByExternalId, lit(EXTERNAL_ID))
        .when(inGraph, lit(EMAIL))
        .otherwise(lit(UNMATCHED));
  }
}
