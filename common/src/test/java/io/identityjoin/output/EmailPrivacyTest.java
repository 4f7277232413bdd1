package io.identityjoin.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.EmailMode;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.TableFormat;
import io.identityjoin.testing.SparkSessionExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** output.email = plain | sha256 | drop, with the salt from an environment variable. */
@ExtendWith(SparkSessionExtension.class)
class EmailPrivacyTest {

  private static OutputSettings output(EmailMode mode, String saltEnv) {
    return new OutputSettings("/tmp/unused", TableFormat.DELTA, Optional.empty(), 4, mode,
        Optional.ofNullable(saltEnv));
  }

  private static Dataset<Row> table(SparkSession spark) {
    return spark.sql("SELECT * FROM VALUES ('p1', 'jörg@beispiel.de', 2), ('p2', NULL, 1) AS t(person_id, email, n)");
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void plainKeepsTheTableAsItIs(SparkSession spark) {
    Dataset<Row> t = table(spark);
    assertEquals(t, EmailPrivacy.of(output(EmailMode.PLAIN, null), Map.of()).apply(t));
  }

  @Test
  void sha256IsTheHexDigestOfSaltPlusTheNormalizedAddressInItsPlace(SparkSession spark) throws Exception {
    Dataset<Row> hashed = EmailPrivacy.of(output(EmailMode.SHA256, null), Map.of()).apply(table(spark));
    assertEquals(List.of("person_id", "email_sha256", "n"), List.of(hashed.columns()));
    List<Row> rows = hashed.orderBy("person_id").collectAsList();
    assertEquals(sha256("jörg@beispiel.de"), rows.get(0).getString(1), "UTF-8 bytes, lower-case hex");
    assertNull(rows.get(1).get(1), "no address, no hash");

    Dataset<Row> salted = EmailPrivacy.of(output(EmailMode.SHA256, "IJ_SALT"), Map.of("IJ_SALT", "pepper"))
        .apply(table(spark));
    assertEquals(sha256("pepperjörg@beispiel.de"), salted.orderBy("person_id").first().getString(1));
  }

  @Test
  void dropRemovesTheColumn(SparkSession spark) {
    Dataset<Row> dropped = EmailPrivacy.of(output(EmailMode.DROP, null), Map.of()).apply(table(spark));
    assertEquals(List.of("person_id", "n"), List.of(dropped.columns()));
  }

  @Test
  void anUnsetSaltVariableFailsNamingTheKeyAndTheVariable() {
    IdentityJoinException e = assertThrows(IdentityJoinException.class,
        () -> EmailPrivacy.of(output(EmailMode.SHA256, "IJ_SALT"), Map.of("IJ_SALT", "")));
    assertTrue(e.getMessage().contains("identity-join.output.email-salt-env"), e.getMessage());
    assertTrue(e.getMessage().contains("IJ_SALT"), e.getMessage());
    assertFalse(e.getMessage().contains("pepper"));
  }
}
