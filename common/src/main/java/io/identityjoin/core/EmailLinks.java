package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import io.identityjoin.config.Settings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rule 4, the e-mail fallback: a record's usable e-mails take part in linking only if it is an
 * anchor record or has no external-ID link; records whose taking-part e-mails are equal are
 * linked. So a Zendesk user whose external id names Segment user A but whose e-mail is Segment
 * user B's joins A only.
 *
 * <p>Records sharing an address are linked as a star to the smallest record vertex with that
 * address (n records, n - 1 links) rather than pairwise (n² links): the persons are the same.
 */
public final class EmailLinks {

  private EmailLinks() {}

  /**
   * Links {@code (src, dst, value)}: value is the shared normalized address.
   *
   * @param externalIdLinks output of {@link ExternalIdLinks#of}
   */
  public static Dataset<Row> of(Dataset<Row> recordRows, Dataset<Row> externalIdLinks, Settings settings) {
    Dataset<Row> withEmail = recordRows
        .where(col(SourceRecords.SOURCE_ID).isNotNull().and(col(SourceRecords.EMAIL).isNotNull()))
        .select(col(SourceRecords.SOURCE), col(SourceRecords.VERTEX), col(SourceRecords.EMAIL))
        .distinct();
    Dataset<Row> anchor = withEmail.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()));
    Dataset<Row> others = withEmail.where(col(SourceRecords.SOURCE).notEqual(settings.anchor()));
    Dataset<Row> linkedByExternalId = externalIdLinks.select(col(ExternalIdLinks.SRC)).distinct();
    Dataset<Row> othersWithoutExternalIdLink = LinkJoin.join(others, linkedByExternalId,
        others.col(SourceRecords.VERTEX).equalTo(linkedByExternalId.col(ExternalIdLinks.SRC)), "left_anti",
        settings.anchorSource().joinStrategy(), settings.broadcastThresholdBytes());
    Dataset<Row> taking = anchor.unionByName(othersWithoutExternalIdLink)
        .select(SourceRecords.VERTEX, SourceRecords.EMAIL);

    Dataset<Row> shared = taking.groupBy(SourceRecords.EMAIL)
        .agg(min(SourceRecords.VERTEX).as("rep"), count(lit(1)).as("n"))
        .where(col("n").geq(2))
        .select(col(SourceRecords.EMAIL).as("shared_email"), col("rep"));
    // Both sides are as large as the e-mail set: a sort-merge join unless small enough to broadcast.
    return LinkJoin.join(taking, shared, taking.col(SourceRecords.EMAIL).equalTo(shared.col("shared_email")),
            "inner", io.identityjoin.config.JoinStrategy.AUTO, settings.broadcastThresholdBytes())
        .where(col(SourceRecords.VERTEX).notEqual(col("rep")))
        .select(col(SourceRecords.VERTEX).as(ExternalIdLinks.SRC), col("rep").as(ExternalIdLinks.DST),
            col(SourceRecords.EMAIL).as(ExternalIdLinks.VALUE));
  }
}
