package io.identityjoin.config;

import java.util.Optional;

/**
 * Where and how the identity tables are written ({@code identity-join.output}).
 *
 * @param userIdentitiesPartitionBy column of user_identities to partition by; empty: none
 * @param personBuckets number of values of the {@code person_bucket} column
 */
public record OutputSettings(
    String path,
    TableFormat format,
    Optional<String> userIdentitiesPartitionBy,
    int personBuckets) {

  public static final String IDENTITY_MAP = "identity_map";
  public static final String USER_IDENTITIES = "user_identities";
  public static final String PERSON_MERGES = "person_merges";
  public static final String SUMMARY_FILE = "run_summary.json";

  public String tablePath(String table) {
    return path.endsWith("/") ? path + table : path + "/" + table;
  }
}
