package io.identityjoin.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Over-merge guards ({@code identity-join.guards}): values that never link, hub caps, and the
 * anchor-id limit per person. Comparisons of blocked values are on the normalized e-mail and on
 * the trimmed, lower-cased external id.
 *
 * @param blockedEmails exact normalized addresses that never link
 * @param blockedEmailPatterns regular expressions (Java syntax, searched with find) on the
 *     normalized address
 * @param blockedExternalIds exact external ids that never link (compared lower-cased)
 * @param blockedExternalIdPatterns regular expressions on the trimmed, lower-cased external id
 * @param maxRecordsPerEmail an address carried by more records than this does not link
 * @param maxRecordsPerExternalId an external id carried by more records of one source than this
 *     does not link
 * @param maxAnchorIdsPerPerson 0 for unlimited; else e-mail links are dropped so that no person
 *     holds more anchor records than this (external-ID links are never dropped)
 */
public record GuardSettings(
    List<String> blockedEmails,
    List<String> blockedEmailPatterns,
    List<String> blockedExternalIds,
    List<String> blockedExternalIdPatterns,
    long maxRecordsPerEmail,
    long maxRecordsPerExternalId,
    long maxAnchorIdsPerPerson) {

  public GuardSettings {
    blockedEmails = List.copyOf(blockedEmails);
    blockedEmailPatterns = List.copyOf(blockedEmailPatterns);
    blockedExternalIds = List.copyOf(blockedExternalIds);
    blockedExternalIdPatterns = List.copyOf(blockedExternalIdPatterns);
    blockedEmailPatterns.forEach(Pattern::compile);
    blockedExternalIdPatterns.forEach(Pattern::compile);
  }

  /** No value blocked, no cap: every link the identity rules make is kept. */
  public static GuardSettings none() {
    return new GuardSettings(List.of(), List.of(), List.of(), List.of(), Long.MAX_VALUE, Long.MAX_VALUE, 0);
  }

  public boolean anchorProtection() {
    return maxAnchorIdsPerPerson > 0;
  }

  public GuardSettings withMaxRecordsPerEmail(long max) {
    return new GuardSettings(blockedEmails, blockedEmailPatterns, blockedExternalIds, blockedExternalIdPatterns,
        max, maxRecordsPerExternalId, maxAnchorIdsPerPerson);
  }

  public GuardSettings withMaxRecordsPerExternalId(long max) {
    return new GuardSettings(blockedEmails, blockedEmailPatterns, blockedExternalIds, blockedExternalIdPatterns,
        maxRecordsPerEmail, max, maxAnchorIdsPerPerson);
  }

  public GuardSettings withMaxAnchorIdsPerPerson(long max) {
    return new GuardSettings(blockedEmails, blockedEmailPatterns, blockedExternalIds, blockedExternalIdPatterns,
        maxRecordsPerEmail, maxRecordsPerExternalId, max);
  }
}
