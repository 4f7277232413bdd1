package io.identityjoin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.IdentityJoinException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

  /** The minimal file of the config contract, as written there. */
  static final String CONTRACT = """
      identity-join {
        anchor = "segment"
        sources {
          segment { format = "parquet", path = "/data/segment/users", id-column = "id", email-column = "email" }
          zendesk { format = "delta", path = "s3a://lake/zendesk/user", id-column = "id", email-column = "email", external-id-column = "external_id" }
          stripe  { format = "parquet", path = "/data/stripe/customer", id-column = "id", email-column = "email" }
        }
        output { path = "/data/identity", format = "delta" }   # or "parquet"
      }
      """;

  @TempDir Path dir;

  private File write(String text) throws IOException {
    Path p = dir.resolve("job.conf");
    Files.writeString(p, text);
    return p.toFile();
  }

  private IdentityJoinException error(String text, String... overrides) throws IOException {
    File f = write(text);
    return assertThrows(IdentityJoinException.class, () -> SettingsLoader.load(f, List.of(overrides)));
  }

  @Test
  void theContractsMinimalFileWorksAsWritten() throws IOException {
    Settings s = SettingsLoader.load(write(CONTRACT), List.of());
    assertEquals("segment", s.anchor());
    assertEquals(List.of("segment", "stripe", "zendesk"), s.sourceNames(), "anchor first, then by name");
    SourceSettings zendesk = s.source("zendesk");
    assertEquals(TableFormat.DELTA, zendesk.format());
    assertEquals("s3a://lake/zendesk/user", zendesk.path());
    assertEquals(Optional.of("external_id"), zendesk.externalIdColumn());
    assertEquals(Optional.empty(), s.source("stripe").externalIdColumn());
    assertEquals(JoinStrategy.AUTO, zendesk.joinStrategy());
    assertEquals(TableFormat.DELTA, s.output().format());
    assertEquals("/data/identity/identity_map", s.output().tablePath(OutputSettings.IDENTITY_MAP));
    assertEquals(64L * 1024 * 1024, s.broadcastThresholdBytes(), "reference.conf default");
    assertEquals(Optional.of("person_bucket"), s.output().userIdentitiesPartitionBy());
    assertTrue(s.sample().isEmpty());
  }

  @Test
  void setOverridesTheFileWithOrWithoutThePrefix() throws IOException {
    Settings s = SettingsLoader.load(write(CONTRACT), List.of("output.format=parquet",
        "identity-join.sources.stripe.join-strategy=broadcast", "joins.broadcast-threshold=1MiB",
        "output.user-identities-partition-by="));
    assertEquals(TableFormat.PARQUET, s.output().format());
    assertEquals(JoinStrategy.BROADCAST, s.source("stripe").joinStrategy());
    assertEquals(1024L * 1024, s.broadcastThresholdBytes());
    assertEquals(Optional.empty(), s.output().userIdentitiesPartitionBy());
  }

  @Test
  void hadoopConfTakesQuotedNestedAndSparkHadoopKeysAndValuesFromTheEnvironment() throws IOException {
    Settings s = SettingsLoader.load(write(CONTRACT + """
        identity-join.hadoop-conf {
          "fs.s3a.endpoint" = "http://127.0.0.1:9000"
          fs.s3a.path.style.access = true
          "spark.hadoop.fs.s3a.connection.ssl.enabled" = false
          "fs.s3a.access.key" = ${?PATH}
          "fs.s3a.secret.key" = ${?IDENTITY_JOIN_TEST_SURELY_UNSET}
        }
        """), List.of("hadoop-conf.fs.s3a.connection.maximum=8"));
    assertEquals(java.util.Map.of(
        "fs.s3a.endpoint", "http://127.0.0.1:9000",
        "fs.s3a.path.style.access", "true",
        "fs.s3a.connection.ssl.enabled", "false",
        "fs.s3a.access.key", System.getenv("PATH"),
        "fs.s3a.connection.maximum", "8"), s.hadoopConf(), "an unset ${?VAR} leaves its key out");
    assertEquals(java.util.Map.of(), SettingsLoader.load(write(CONTRACT), List.of()).hadoopConf());
  }

  @Test
  void theClusterS3ExampleLoadsAndTakesItsS3SettingsOnlyFromTheEnvironment() {
    Settings s = SettingsLoader.load(Path.of("..", "conf", "cluster-s3.conf").toFile(), List.of());
    assertTrue(s.output().path().startsWith("s3a://"), s.output().path());
    java.util.Set<String> fromEnv = java.util.Set.of("fs.s3a.endpoint", "fs.s3a.path.style.access",
        "fs.s3a.access.key", "fs.s3a.secret.key");
    assertTrue(fromEnv.containsAll(s.hadoopConf().keySet()), s.hadoopConf().keySet().toString());
    if (System.getenv("S3_ENDPOINT") == null) {
      assertTrue(!s.hadoopConf().containsKey("fs.s3a.endpoint"), "an unset variable leaves its key out");
    }
  }

  @Test
  void anchorNotAmongTheSourcesNamesTheKey() throws IOException {
    IdentityJoinException e = error(CONTRACT, "anchor=hubspot");
    assertTrue(e.getMessage().contains("identity-join.anchor") && e.getMessage().contains("hubspot"), e.getMessage());
  }

  @Test
  void unknownFormatNamesTheSourceKey() throws IOException {
    IdentityJoinException e = error(CONTRACT, "sources.stripe.format=csv");
    assertTrue(e.getMessage().contains("identity-join.sources.stripe.format") && e.getMessage().contains("csv"),
        e.getMessage());
  }

  @Test
  void missingPathNamesTheSourceKey() throws IOException {
    IdentityJoinException e = error(CONTRACT.replace("path = \"/data/stripe/customer\", ", ""));
    assertTrue(e.getMessage().contains("identity-join.sources.stripe.path"), e.getMessage());
  }

  @Test
  void missingOutputPathNamesTheKey() throws IOException {
    IdentityJoinException e = error(CONTRACT.replace("path = \"/data/identity\", ", ""));
    assertTrue(e.getMessage().contains("identity-join.output.path"), e.getMessage());
  }

  @Test
  void anExternalIdColumnOnTheAnchorIsRefused() throws IOException {
    IdentityJoinException e = error(CONTRACT, "sources.segment.external-id-column=user_id");
    assertTrue(e.getMessage().contains("identity-join.sources.segment.external-id-column"), e.getMessage());
  }

  @Test
  void unknownJoinStrategyAndPartitionColumnAreRefused() throws IOException {
    assertTrue(error(CONTRACT, "sources.stripe.join-strategy=hash").getMessage()
        .contains("identity-join.sources.stripe.join-strategy"));
    assertTrue(error(CONTRACT, "output.user-identities-partition-by=nope").getMessage()
        .contains("identity-join.output.user-identities-partition-by"));
  }

  @Test
  void sourceNamesMustBeUsableAsFoldersAndColumns() throws IOException {
    IdentityJoinException e = error(CONTRACT.replace("stripe  {", "\"stripe-eu\" {"));
    assertTrue(e.getMessage().contains("identity-join.sources.stripe-eu"), e.getMessage());
  }

  @Test
  void aMissingConfigFileIsNamed() {
    IdentityJoinException e = assertThrows(IdentityJoinException.class,
        () -> SettingsLoader.load(new File(dir.toFile(), "nope.conf"), List.of()));
    assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
  }

  @Test
  void aBadSetPairIsNamed() throws IOException {
    assertTrue(error(CONTRACT, "justakey").getMessage().contains("--set justakey"));
  }

  @Test
  void privacyAndCorruptFileKeysAreParsed() throws IOException {
    Settings s = SettingsLoader.load(write(CONTRACT), List.of("output.email=SHA256",
        "output.email-salt-env=IJ_SALT", "suppression.path=/data/privacy/deletions", "suppression.format=delta",
        "suppression.email-column=email", "sources.stripe.ignore-corrupt-files=true"));
    assertEquals(EmailMode.SHA256, s.output().email());
    assertEquals(Optional.of("IJ_SALT"), s.output().emailSaltEnv());
    SuppressionSettings list = s.suppression().orElseThrow();
    assertEquals(TableFormat.DELTA, list.format());
    assertEquals(Optional.of("email"), list.emailColumn());
    assertEquals(Optional.empty(), list.idColumn());
    assertTrue(s.source("stripe").ignoresCorruptFiles());
    Settings defaults = SettingsLoader.load(write(CONTRACT), List.of());
    assertEquals(EmailMode.PLAIN, defaults.output().email());
    assertTrue(defaults.suppression().isEmpty());
    assertTrue(!defaults.source("stripe").ignoresCorruptFiles());
  }

  @Test
  void badPrivacyKeysAreRefusedNamingTheKey() throws IOException {
    assertTrue(error(CONTRACT, "output.email=md5").getMessage().contains("identity-join.output.email"));
    assertTrue(error(CONTRACT, "output.email-salt-env=IJ_SALT").getMessage()
        .contains("identity-join.output.email-salt-env"), "a salt without sha256");
    assertTrue(error(CONTRACT, "output.email=drop", "output.user-identities-partition-by=email").getMessage()
        .contains("identity-join.output.user-identities-partition-by"));
    assertTrue(error(CONTRACT, "suppression.path=/x", "suppression.source-column=source").getMessage()
        .contains("identity-join.suppression"), "source without id");
    assertTrue(error(CONTRACT, "suppression.path=/x").getMessage().contains("identity-join.suppression"),
        "no column at all");
    assertTrue(error(CONTRACT, "sources.stripe.ignore-corrupt-files=maybe").getMessage()
        .contains("identity-join.sources.stripe.ignore-corrupt-files"));
  }

  @Test
  void executionKeysAreParsedAndBadOnesRefusedNamingTheKey() throws IOException {
    Settings defaults = SettingsLoader.load(write(CONTRACT), List.of());
    assertEquals(new ExecutionSettings(ExecutionSettings.WholeStageCodegen.AUTO, 1_000_000), defaults.execution());
    assertEquals(1_000_000, defaults.execution().rowsPerWriteTask());
    assertEquals(100_000, defaults.execution().rowsPerInputPartition());
    Settings set = SettingsLoader.load(write(CONTRACT), List.of("execution.whole-stage-codegen=ON",
        "execution.whole-stage-codegen-min-rows=5", "execution.rows-per-write-task=250000",
        "execution.rows-per-input-partition=7", "execution.compress-caches=true", "execution.side-by-side-max-rows=0"));
    assertEquals(new ExecutionSettings(ExecutionSettings.WholeStageCodegen.ON, 5, 250_000, 7, true, 0), set.execution());
    assertTrue(error(CONTRACT, "execution.side-by-side-max-rows=-1").getMessage()
        .contains("side-by-side-max-rows"));
    assertTrue(error(CONTRACT, "execution.compress-caches=sometimes").getMessage()
        .contains("identity-join.execution.compress-caches"));
    assertTrue(error(CONTRACT, "execution.whole-stage-codegen=sometimes").getMessage()
        .contains("identity-join.execution.whole-stage-codegen"));
    assertTrue(error(CONTRACT, "execution.whole-stage-codegen-min-rows=-1").getMessage()
        .contains("identity-join.execution.whole-stage-codegen-min-rows"));
    assertTrue(error(CONTRACT, "execution.rows-per-write-task=0").getMessage()
        .contains("identity-join.execution.rows-per-write-task"));
    assertTrue(error(CONTRACT, "execution.rows-per-input-partition=-3").getMessage()
        .contains("identity-join.execution.rows-per-input-partition"));
  }
}
