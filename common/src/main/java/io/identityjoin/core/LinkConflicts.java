package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import org.apache.spark.sql.Column;
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
    Dataset<Row> linked = externalIdLinks.groupBy(ExternalIdLinks.SRC)
        .agg(min(ExternalIdLinks.VALUE).as(SourceRecords.EXTERNAL_ID));
    Dataset<Row> withEmail = SourceRecords.withId(linkRows).where(col(SourceRecords.EMAIL).isNotNull())
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EMAIL);
    // Only records of a source with an external-id column can have an external-id link: their rows
    // (all of them: a history row without the id still carries the record's e-mail) meet the links
    // first and are de-duplicated after, on the join's partitioning, instead of every row of every
    // source being de-duplicated and shuffled again for the join.
    Column fromLinkingSource = lit(false);
    for (SourceSettings source : settings.externalIdSources()) {
      fromLinkingSource = fromLinkingSource.or(col(SourceRecords.SOURCE).equalTo(source.name()));
    }
    Dataset<Row> candidates = withEmail.where(fromLinkingSource);
    Dataset<Row> records = candidates
        .join(linked, candidates.col(SourceRecords.VERTEX).equalTo(linked.col(ExternalIdLinks.SRC)))
        .drop(ExternalIdLinks.SRC)
        .distinct();
    Dataset<Row> anchorEmails = withEmail.where(col(SourceRecords.SOURCE).equalTo(settings.anchor()))
        .select(col(SourceRecords.VERTEX).as("anchor_vertex"), col(SourceRecords.SOURCE_ID).as(EMAIL_ANCHOR_ID),
            col(SourceRecords.EMAIL).as("anchor_email"))
        .distinct();
    // Joined on the address's hash as well as on the address: Spark sorts both sides by the first
    // key's 8-byte prefix, which addresses often share (see EmailLinks) and hashes almost never do.
    Dataset<Row> sameEmail = records.join(anchorEmails,
        xxhash64(records.col(SourceRecords.EMAIL)).equalTo(xxhash64(anchorEmails.col("anchor_email")))
            .and(records.col(SourceRecords.EMAIL).equalTo(anchorEmails.col("anchor_email"))));
    return sameEmail.join(externalIdLinks,
            sameEmail.col(SourceRecords.VERTEX).equalTo(externalIdLinks.col(ExternalIdLinks.SRC))
                .and(sameEmail.col("anchor_vertex").equalTo(externalIdLinks.col(ExternalIdLinks.DST))),
            "left_anti")
        .select(SourceRecords.VERTEX, SourceRecords.SOURCE, SourceRecords.SOURCE_ID, SourceRecords.EXTERNAL_ID,
            SourceRecords.EMAIL, EMAIL_ANCHOR_ID);
  }
}
