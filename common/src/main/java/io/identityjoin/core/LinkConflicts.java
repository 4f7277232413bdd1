package io.identityjoin.core;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;

import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the link rules resolved but people should look at: external ids that name no anchor record
 * (dangling: the record fell back to e-mail), and records whose external id names one anchor record
 * while their e-mail is another anchor record's (rule 4 followed the external id). Reported and
 * flagged; they change no link.
 */
public final class LinkConflicts {

  /** The anchor record an e-mail conflict points at, by its id. */
  public static final String EMAIL_ANCHOR_ID = "email_anchor_id";

  private LinkConflicts() {}

  /**
   * {@code (vertex, source, source_id, external_id)}: non-anchor records whose linkable external id
   * names no anchor record.
   *
   * @param externalIdMatches output of {@link ExternalIdLinks#matches}
   */
  public static Dataset<Row> dangling(Dataset<Row> externalIdMatches) {
    return externalIdMatches.where(col(ExternalIdLinks.DST).isNull())
        .select(col(ExternalIdLinks.SRC).as(SourceRecords.VERTEX), col(SourceRecords.SOURCE),
            col(SourceRecords.SOURCE_ID), col(ExternalIdLinks.VALUE).as(SourceRecords.EXTERNAL_ID));
  }

  /**
   * {@code (vertex, source, source_id, external_id, email, email_anchor_id)}: records linked by
   * external id (to the anchor id {@code external_id}, the smallest if several) whose linkable
   * e-mail is that of an anchor record they are not linked to.
   */
  public static Dataset<Row> emailConflicts(Dataset<Row> linkRows, Dataset<Row> externalIdLinks, Settings settings) {
    // Per linked record, the id it is linked by and every anchor record it is linked to: the anchor
    // records it is linked to are then a filter on the pairs below, not an anti-join that shuffles
    // the pairs and the links once more.
    Dataset<Row> linked = externalIdLinks.groupBy(ExternalIdLinks.SRC)
        .agg(min(ExternalIdLinks.VALUE).as(SourceRecords.EXTERNAL_ID),
            collect_set(ExternalIdLinks.DST).as(LINKED_ANCHORS));
    Dataset<Row> withEmail = SourceRecords.withId(linkRows).where(col(SourceRecords.EMAIL).isNotNull())
        .select(col(SourceRecords.VERTEX), col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID),
            col(SourceRecords.EMAIL), SourceRecords.emailHash().as(SourceRecords.EMAIL_HASH));
    // Only records of a source with an external-id column can have an external-id link: their rows
    // (all of them: a history row without the id still carries the record's e-mail) meet the links
    // first.
    Dataset<Row> candidates = withEmail.where(col(SourceRecords.SOURCE)
        .isin(settings.externalIdSources().stream().map(SourceSettings::name).toArray()));
    Dataset<Row> records = candidates
        .join(linked, candidates.col(SourceRecords.VERTEX).equalTo(linked.col(ExternalIdLinks.SRC)))
        .drop(ExternalIdLinks.SRC);
    Dataset<Row> anchorEmails = withEmail.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()))
        .select(col(SourceRecords.VERTEX).as(ANCHOR_VERTEX), col(SourceRecords.SOURCE_ID).as(EMAIL_ANCHOR_ID),
            col(SourceRecords.EMAIL).as(ANCHOR_EMAIL), col(SourceRecords.EMAIL_HASH).as(ANCHOR_EMAIL_HASH));
    // Joined on the address's hash as well as on the address (SourceRecords.emailHash says why).
    // Neither side is de-duplicated before (a record's or an anchor record's history rows repeat an
    // address): the pairs are, after, on the join's partitioning by the hash and the address, which
    // the de-duplication groups by, so each side is shuffled once.
    return records.join(anchorEmails,
            records.col(SourceRecords.EMAIL_HASH).equalTo(anchorEmails.col(ANCHOR_EMAIL_HASH))
                .and(records.col(SourceRecords.EMAIL).equalTo(anchorEmails.col(ANCHOR_EMAIL))))
        .where(not(array_contains(col(LINKED_ANCHORS), col(ANCHOR_VERTEX))))
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EXTERNAL_ID,
            SourceRecords.EMAIL, EMAIL_ANCHOR_ID, SourceRecords.EMAIL_HASH)
        .distinct()
        .drop(SourceRecords.EMAIL_HASH);
  }

  private static final String LINKED_ANCHORS = "linked_anchors";
  private static final String ANCHOR_VERTEX = "anchor_vertex";
  private static final String ANCHOR_EMAIL = "anchor_email";
  private static final String ANCHOR_EMAIL_HASH = "anchor_email_hash";
}
