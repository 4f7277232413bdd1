package io.identityjoin.config;

import java.util.Optional;

/**
 * Where and how the identity tables are written ({@code identity-join.output}).
 *
 * @param userIdentitiesPartitionBy column of user_identities to partition by; empty: none
 * @param personBuckets number of values of the {@code person_bucket} column
 * @param email how both tables carry e-mail addresses
 * @param emailSaltEnv name of the environment variable holding the salt of {@link EmailMode#SHA256}
 */
public record OutputSettings(
    String path,
    TableFormat format,
    Optional<String> userIdentitiesPartitionBy,
    int personBuckets,
    EmailMode email,
    Optional<String> emailSaltEnv) {

  /** Plain e-mails, no salt. */
  public OutputSettings(String path, TableFormat format, Optional<String> userIdentitiesPartitionBy,
      int personBuckets) {
    this(path, format, userIdentitiesPartitionBy, personBuckets, EmailMode.PLAIN, Optional.empty());
  }

  public static final String IDENTITY_MAP = "identity_map";
  public static final String USER_IDENTITIES = "user_identities";
  public static final String PERSON_MERGES = "person_merges";
  public static final String SUMMARY_FILE = "run_summary.json";
  public static final String REPORT_FILE = "report.html";

  public String tablePath(String table) {
    return path.endsWith("/") ? path + table : path + "/" + table;
  }
}
