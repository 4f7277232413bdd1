package io.identityjoin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.IdentityJoinException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** identity-join.guards: reference.conf's defaults and the errors that name the key. */
class GuardSettingsTest {

  @TempDir Path dir;

  private GuardSettings load(String... overrides) throws IOException {
    Path p = dir.resolve("job.conf");
    Files.writeString(p, SettingsLoaderTest.CONTRACT);
    return SettingsLoader.load(p.toFile(), List.of(overrides)).guards();
  }

  @Test
  void theDefaultsBlockTheUsualJunkCapHubsAtFiftyAndLeaveAnchorIdsUnlimited() throws IOException {
    GuardSettings g = load();
    assertTrue(g.blockedEmails().containsAll(List.of("test@test.com", "null", "none", "n/a", "unknown")));
    assertTrue(g.blockedEmailPatterns().stream()
        .anyMatch(p -> java.util.regex.Pattern.compile(p).matcher("noreply@shop.io").find()));
    assertTrue(g.blockedExternalIds().containsAll(List.of("0", "-1", "null", "none", "n/a", "unknown")));
    assertEquals(List.of("^[0-]*$"), g.blockedExternalIdPatterns());
    assertEquals(50, g.maxRecordsPerEmail());
    assertEquals(50, g.maxRecordsPerExternalId());
    assertFalse(g.anchorProtection());
    assertEquals(g, SettingsLoader.defaultGuards());
  }

  @Test
  void capsTakeANumberOrUnlimitedAndBlockedValuesAreLowerCased() throws IOException {
    GuardSettings g = load("guards.max-records-per-email=unlimited", "guards.max-anchor-ids-per-person=1",
        "guards.max-records-per-external-id=7");
    assertEquals(Long.MAX_VALUE, g.maxRecordsPerEmail());
    assertEquals(7, g.maxRecordsPerExternalId());
    assertTrue(g.anchorProtection());
    assertEquals(1, g.maxAnchorIdsPerPerson());
    Path p = dir.resolve("guards.conf");
    Files.writeString(p, SettingsLoaderTest.CONTRACT + "identity-join.guards.blocked-external-ids = [\" NULL \", \"TBD\"]\n");
    assertEquals(List.of("null", "tbd"), SettingsLoader.load(p.toFile(), List.of()).guards().blockedExternalIds());
  }

  @Test
  void badGuardValuesFailNamingTheKey() throws IOException {
    for (String[] bad : new String[][] {
        {"guards.max-records-per-email=0", "identity-join.guards.max-records-per-email"},
        {"guards.max-anchor-ids-per-person=lots", "identity-join.guards.max-anchor-ids-per-person"}}) {
      IdentityJoinException e = assertThrows(IdentityJoinException.class, () -> load(bad[0]));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
    Path p = dir.resolve("regex.conf");
    Files.writeString(p, SettingsLoaderTest.CONTRACT + "identity-join.guards.blocked-email-patterns = [\"(unclosed\"]\n");
    File f = p.toFile();
    IdentityJoinException e = assertThrows(IdentityJoinException.class, () -> SettingsLoader.load(f, List.of()));
    assertTrue(e.getMessage().contains("identity-join.guards.blocked-email-patterns"), e.getMessage());
  }
}
