package io.identityjoin.jobs;

import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleOptions;
import io.identityjoin.sample.SampleWriter;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The embedded sample (300 persons, seed 7), written once per test JVM for the job tests that only read it. */
final class TestSample {

  private static Path dir;

  private TestSample() {}

  static synchronized Path dir() {
    if (dir == null) {
      try {
        Path d = Files.createTempDirectory("identity-join-test-sample");
        SampleWriter.write(SampleGenerator.tables(SparkSessionExtension.session(), new SampleOptions(300, 7)),
            d.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
        dir = d;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  private static void delete(Path d) {
    try (Stream<Path> files = Files.walk(d)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}
