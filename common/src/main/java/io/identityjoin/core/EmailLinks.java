package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import io.identityjoin.config.JoinStrategy;
import io.identityjoin.config.Settings;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

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
    return of(recordRows, externalIdLinks, OptionalLong.empty(), settings);
  }

  /**
   * As {@link #of(Dataset, Dataset, Settings)}, with the external-ID links' row count when it is known.
   * With the anchor's {@code join-strategy = auto}, the records linked by external id are then
   * broadcast when that many fit under the threshold: Spark estimates a checkpoint of the links by
   * what it was built from, far over their size, and left to that the join shuffled and sorted every
   * other source's rows by vertex before the shuffle by address (at 4M records, 3.2 million rows).
   */
  public static Dataset<Row> of(Dataset<Row> recordRows, Dataset<Row> externalIdLinks, OptionalLong externalIdLinkCount,
      Settings settings) {
    JoinStrategy strategy = settings.anchorSource().joinStrategy();
    if (strategy == JoinStrategy.AUTO && externalIdLinkCount.isPresent()
        && LinkJoin.fitsBroadcast(externalIdLinkCount.getAsLong(), LINKED_RECORD_BYTES,
            settings.broadcastThresholdBytes())) {
      strategy = JoinStrategy.BROADCAST;
    }
    // Not de-duplicated here: history rows repeat a record's address, and the star below only
    // compares each row with its address's smallest vertex, so repeats cost a row, not a link.
    Dataset<Row> withEmail = recordRows
        .where(col(SourceRecords.SOURCE_ID).isNotNull().and(col(SourceRecords.EMAIL).isNotNull()))
        .select(col(SourceRecords.SOURCE), col(SourceRecords.VERTEX), col(SourceRecords.EMAIL));
    Dataset<Row> anchor = withEmail.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()));
    Dataset<Row> others = withEmail.where(col(SourceRecords.SOURCE).notEqual(settings.anchor()));
    // Not de-duplicated: an anti-join's result is the same with repeated keys on its right side, a
    // record linked to two anchor records is rare, and a de-duplication would shuffle the links once
    // more before a broadcast (a sort-merge join shuffles them by record anyway).
    Dataset<Row> linkedByExternalId = externalIdLinks.select(col(ExternalIdLinks.SRC));
    Dataset<Row> othersWithoutExternalIdLink = LinkJoin.join(others, linkedByExternalId,
        others.col(SourceRecords.VERTEX).equalTo(linkedByExternalId.col(ExternalIdLinks.SRC)), "left_anti",
        strategy, settings.broadcastThresholdBytes());
    // Each address comes with its 64-bit hash, put first in the window's partitioning below: Spark
    // sorts each partition by it before the address, and compares rows by an 8-byte prefix of the
    // first key. Addresses often share their first 8 bytes (john.smi...), which sent most
    // comparisons of the sort by address to comparing the whole strings (at 4M records 29 % of
    // the stage); hashes almost never tie.
    Dataset<Row> taking = anchor.unionByName(othersWithoutExternalIdLink)
        .select(col(SourceRecords.VERTEX), col(SourceRecords.EMAIL),
            col(SourceRecords.SOURCE).equalTo(settings.anchor()).as(ExternalIdLinks.SRC_ANCHOR),
            SourceRecords.emailHash().as(SourceRecords.EMAIL_HASH));

    // One shuffle by address: each row meets its address's smallest vertex (a window, not a
    // groupBy joined back, which would shuffle and compute `taking` twice). An address held by
    // one record only has no row whose vertex differs from it, so it makes no link.
    // The rows of an address are sorted by vertex, so the smallest comes first, and a record's
    // repeated rows (history rows with one address) come one after the other: the first of them
    // makes the link and the others are dropped by comparing each vertex with the one before. That
    // de-duplicates in the window's own sort, where a distinct() after it built a hash map of every
    // link with its address.
    // The smallest vertex and whether it is an anchor record: a struct's order is its first field's.
    WindowSpec byAddress = Window.partitionBy(col(SourceRecords.EMAIL_HASH), col(SourceRecords.EMAIL))
        .orderBy(col(SourceRecords.VERTEX));
    Column rep = min(struct(col(SourceRecords.VERTEX), col(ExternalIdLinks.SRC_ANCHOR))).over(byAddress);
    Column previous = lag(col(SourceRecords.VERTEX), 1).over(byAddress);
    return taking.select(col(SourceRecords.VERTEX), col(SourceRecords.EMAIL), col(ExternalIdLinks.SRC_ANCHOR),
            rep.as("rep"), previous.as("previous"))
        .where(col(SourceRecords.VERTEX).notEqual(col("rep." + SourceRecords.VERTEX))
            .and(col("previous").isNull().or(col(SourceRecords.VERTEX).notEqual(col("previous")))))
        .select(col(SourceRecords.VERTEX).as(ExternalIdLinks.SRC), col("rep." + SourceRecords.VERTEX).as(ExternalIdLinks.DST),
            col(SourceRecords.EMAIL).as(ExternalIdLinks.VALUE), col(ExternalIdLinks.SRC_ANCHOR),
            col("rep." + ExternalIdLinks.SRC_ANCHOR).as(ExternalIdLinks.DST_ANCHOR));
  }

  /** A linked record's vertex, as Spark's hash relation of longs holds it, is at most this big. */
  static final long LINKED_RECORD_BYTES = HubCap.HASH_BYTES;
}
