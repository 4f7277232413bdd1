package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No credential in any file the project ships (configs, scripts, docs, the jar's sources and
 * resources): S3 keys come from the AWS provider chain or {@code ${?ENV}} substitutions, a salt
 * from an environment variable named in config.
 */
class ShippedFilesTest {

  static final List<String> SHIPPED = List.of("README.md", "conf", "bin", ".ci", "docs", "notebooks",
      "common/src/main", "jobs/src/main");

  static final List<Pattern> CREDENTIALS = List.of(
      // AWS access key ids (long-term and temporary).
      Pattern.compile("\\b(AKIA|ASIA|A3T[A-Z0-9])[A-Z0-9]{16}\\b"),
      // A key, secret, password or token assigned a literal (not ${...}, $VAR or a placeholder in <>).
      Pattern.compile("(?i)\\b[\\w.-]*(secret|password|passwd|access[._-]?key|session[._-]?token|credential)"
          + "[\\w.-]*\\s*[=:]\\s*\"?(?![$<{])[A-Za-z0-9/+=_-]{8,}"),
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));

  @Test
  void noFileTheProjectShipsHoldsACredential() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("conf")),
        "tests run from the jobs module: " + root);
    List<String> found = new ArrayList<>();
    int scanned = 0;
    for (String entry : SHIPPED) {
      Path p = root.resolve(entry);
      if (!Files.exists(p)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(p)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String text;
          try {
            text = Files.readString(f);
          } catch (MalformedInputException binary) {
            continue;
          }
          scanned++;
          for (Pattern c : CREDENTIALS) {
            Matcher m = c.matcher(text);
            while (m.find()) {
              found.add(root.relativize(f) + ": " + m.group());
            }
          }
        }
      }
    }
    assertTrue(scanned > 30, "scanned " + scanned + " files");
    assertTrue(found.isEmpty(), "credential-like values in shipped files: " + found);
  }
}
