package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bin/local-cluster as a user runs it, on the jar `mvn package` just built: a standalone master and
 * two workers in their own JVMs, the job submitted with SparkSubmit in client mode, its output
 * compared with local mode's, the processes stopped.
 */
class LocalClusterIT {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  static final Path WORK = ROOT.resolve("jobs/target/local-cluster-it");

  @Test
  void theClusterRunWritesWhatLocalModeWrites() throws IOException, InterruptedException {
    // The script's local-mode run writes the 300-person sample here when it is absent.
    ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("bin/local-cluster").toString(),
        "--work", WORK.toString(), "--sample", WORK.resolve("sample").toString(), "--persons", "300")
        .redirectErrorStream(true)
        .redirectOutput(Files.createDirectories(WORK).resolve("local-cluster.out").toFile());
    // The jar and classpath.txt come from this build's package phase; never start Maven from here.
    pb.environment().put("IDENTITY_JOIN_NO_BUILD", "1");
    Process script = pb.start();
    if (!script.waitFor(20, TimeUnit.MINUTES)) {
      script.descendants().forEach(ProcessHandle::destroy);
      script.destroy();
    }
    String out = Files.readString(WORK.resolve("local-cluster.out"));
    assertEquals(0, script.exitValue(), out);

    assertTrue(out.contains("two workers registered"), out);
    assertTrue(out.contains("the master launched 2 executors"), out);
    Matcher rows = Pattern.compile("identity_map: ([0-9,]+) rows in A, ([0-9,]+) in B, 0 only in A, 0 only in B \\(same\\)")
        .matcher(out);
    assertTrue(rows.find(), out);
    assertEquals(rows.group(1), rows.group(2));
    assertTrue(Long.parseLong(rows.group(1).replace(",", "")) > 1000, "the 300-person sample has ~1,200 records");
    assertTrue(out.contains("user_identities:") && out.contains("same identity tables"), out);

    // Both executors ran tasks, each in its worker's JVM.
    for (String worker : List.of("1", "2")) {
      try (Stream<Path> files = Files.walk(WORK.resolve("workers").resolve(worker))) {
        List<Path> stderr = files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
        assertEquals(1, stderr.size(), "one executor on worker " + worker);
        assertTrue(Files.readString(stderr.get(0)).contains("Running task"), "worker " + worker + " ran tasks");
      }
    }
    // Every process the script started is gone.
    Matcher pids = Pattern.compile("stopped the master and workers \\(pids ([0-9 ]+)\\)").matcher(out);
    assertTrue(pids.find(), out);
    for (String pid : pids.group(1).trim().split(" ")) {
      assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), "pid " + pid);
    }
  }
}
