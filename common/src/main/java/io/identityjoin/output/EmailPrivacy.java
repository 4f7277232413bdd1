package io.identityjoin.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.when;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.EmailMode;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.SettingsLoader;
import io.identityjoin.core.MatchRule;
import io.identityjoin.core.SourceRecords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How the output tables carry e-mail addresses ({@code output.email}): {@code plain} keeps the
 * normalized address in {@code email}; {@code sha256} replaces it with {@code email_sha256}, the
 * lower-case hex SHA-256 of the UTF-8 bytes of salt + normalized address (so
 * {@code sha256(lower(trim(address)))} joins to it when there is no salt); {@code drop} removes
 * the column. Applied to both tables just before they are written; linking never sees it.
 */
public final class EmailPrivacy {

  public static final String EMAIL_SHA256 = "email_sha256";

  private final EmailMode mode;
  private final String salt;

  private EmailPrivacy(EmailMode mode, String salt) {
    this.mode = mode;
    this.salt = salt;
  }

  /**
   * The output's e-mail treatment; the salt is read from the environment variable the settings
   * name. Fails, naming the key and the variable (never its value), if that variable is unset or empty.
   */
  public static EmailPrivacy of(OutputSettings output, Map<String, String> environment) {
    String salt = "";
    if (output.emailSaltEnv().isPresent()) {
      String name = output.emailSaltEnv().get();
      salt = environment.getOrDefault(name, "");
      if (salt.isEmpty()) {
        throw new IdentityJoinException(SettingsLoader.ROOT + ".output.email-salt-env: the environment variable '"
            + name + "' is not set or empty");
      }
    }
    return new EmailPrivacy(output.email(), salt);
  }

  /**
   * The table with its {@code email} column kept, hashed or dropped, and e-mail values of
   * {@code matched_by} (where {@code matched_on = 'email'}) kept, hashed the same way or nulled;
   * other columns unchanged.
   */
  public Dataset<Row> apply(Dataset<Row> table) {
    if (mode != EmailMode.PLAIN && Arrays.asList(table.columns()).containsAll(
        List.of(IdentityMap.MATCHED_BY, IdentityMap.MATCHED_ON))) {
      Column byEmail = col(IdentityMap.MATCHED_ON).equalTo(MatchRule.EMAIL);
      Column value = mode == EmailMode.DROP ? lit(null).cast("string") : hash(col(IdentityMap.MATCHED_BY));
      table = table.withColumn(IdentityMap.MATCHED_BY, when(byEmail, value).otherwise(col(IdentityMap.MATCHED_BY)));
    }
    if (mode == EmailMode.PLAIN || Arrays.stream(table.columns()).noneMatch(SourceRecords.EMAIL::equals)) {
      return table;
    }
    if (mode == EmailMode.DROP) {
      return table.drop(SourceRecords.EMAIL);
    }
    Column hashed = hash(col(SourceRecords.EMAIL));
    // Keep the column where email was, under a name that says what it holds.
    Column[] columns = Arrays.stream(table.columns())
        .map(c -> c.equals(SourceRecords.EMAIL) ? hashed.as(EMAIL_SHA256) : col("`" + c + "`"))
        .toArray(Column[]::new);
    return table.select(columns);
  }

  private Column hash(Column email) {
    return sha2(salt.isEmpty() ? email : concat(lit(salt), email), 256);
  }

  /**
   * One address as the output shows it, for text written beside the tables (report.html): itself,
   * its salted SHA-256 (equal to the tables' {@code email_sha256}), or a placeholder.
   */
  public String text(String email) {
    if (email == null || mode == EmailMode.PLAIN) {
      return email;
    }
    if (mode == EmailMode.DROP) {
      return "(e-mail not shown: output.email = drop)";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((salt + email).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
