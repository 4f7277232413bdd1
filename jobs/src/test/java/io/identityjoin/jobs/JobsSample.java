package io.identityjoin.jobs;

import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleOptions;
import io.identityjoin.sample.SampleWriter;
import io.identityjoin.testing.SparkSessionExtension;
import java.nio.file.Path;

/** The sample the jobs tests read: 300 persons, seed 7, written once per test JVM under target/. */
final class JobsSample {

  static final long PERSONS = 300;
  static final long SEED = 7;

  private static Path dir;

  private JobsSample() {}

  static synchronized Path dir() {
    if (dir == null) {
      Path d = Path.of("target", "test-sample").toAbsolutePath();
      SampleWriter.write(SampleGenerator.tables(SparkSessionExtension.session(), new SampleOptions(PERSONS, SEED)),
          d.toString());
      dir = d;
    }
    return dir;
  }
}
