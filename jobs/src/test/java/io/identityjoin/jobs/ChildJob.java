package io.identityjoin.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The job in a child JVM, as bin/identity-join runs it ({@link Launcher}, a local master, Delta's
 * session extension), on this test JVM's classpath. The test classpath's log4j2.properties logs
 * identity-join at INFO on stderr, so the stage lines ({@code stage ... started}, {@code stage write
 * ...}) are there to pick a moment from.
 */
final class ChildJob {

  /** How the child ended: its exit code, and its stderr lines. */
  record Ended(int exitCode, boolean killed, List<String> lines) {
    long count(String marker) {
      return lines.stream().filter(l -> l.contains(marker)).count();
    }

    String tail() {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }

  private final List<String> command = new ArrayList<>();
  private final Path workDir;

  /**
   * @param master e.g. {@code local[2]}, or {@code local[2,4]} for 4 attempts per task
   * @param extraProperties further {@code -Dkey=value} options (e.g. a test-only Spark plugin)
   */
  ChildJob(Path workDir, String master, List<String> extraProperties, String... args) {
    this.workDir = workDir;
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).forEach(command::add);
    command.addAll(List.of(
        "-Dspark.master=" + master,
        "-Dspark.ui.enabled=false",
        "-Dspark.sql.shuffle.partitions=4",
        "-Dspark.default.parallelism=4",
        "-Dspark.driver.bindAddress=127.0.0.1",
        "-Dspark.driver.host=127.0.0.1",
        "-Dspark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
        "-Dspark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "-Dspark.databricks.delta.snapshotPartitions=2",
        "-Dspark.sql.warehouse.dir=" + workDir.resolve("warehouse")));
    command.addAll(extraProperties);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
    command.addAll(List.of(args));
  }

  /** Runs to the end. */
  Ended run() {
    return runUntil(null);
  }

  /**
   * Runs until a stderr line contains {@code killMarker}, then SIGKILLs the JVM (no shutdown hook,
   * no finally block runs); with a null marker, or if the marker never shows, runs to the end.
   */
  Ended runUntil(String killMarker) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch seen = new CountDownLatch(1);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
          if (killMarker != null && line.contains(killMarker)) {
            seen.countDown();
          }
        }
      } catch (IOException e) {
        // the process was killed
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      boolean killed = false;
      if (killMarker != null) {
        while (p.isAlive() && !seen.await(100, TimeUnit.MILLISECONDS)) {
          // wait for the marker or the end
        }
        if (p.isAlive()) {
          p.destroyForcibly(); // SIGKILL on Linux and macOS
          killed = true;
        }
      }
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("child job did not end in 10 minutes");
      }
      reader.join(10_000);
      return new Ended(p.exitValue(), killed, new ArrayList<>(lines));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
