package io.identityjoin.jobs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API on 127.0.0.1: s3proxy (its jar-with-dependencies, copied to target/s3proxy by Maven)
 * in its own JVM with a filesystem backend, so its Jetty, Guava and Jackson never meet Spark's.
 * Each folder under {@link #dataDir()} is a bucket.
 */
final class S3ProxyServer implements AutoCloseable {

  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final int port;

  private S3ProxyServer(Process process, Path dataDir, Path log, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
  }

  /** Starts s3proxy accepting (accessKey, secretKey) with V2 or V4 signatures; returns once it listens. */
  static S3ProxyServer start(Path work, String accessKey, String secretKey) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no s3proxy jar at " + jar + " (Maven copies it there: run through mvn)");
    }
    Path data = Files.createDirectories(work.resolve("s3-data"));
    int port = freePort();
    Path properties = Files.writeString(work.resolve("s3proxy.properties"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + data) + "\n");
    Path log = work.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3ProxyServer server = new S3ProxyServer(p, data, log, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!server.listening()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("s3proxy did not start on port " + port + ":\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    return server;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  Path dataDir() {
    return dataDir;
  }

  /** An empty bucket. */
  void createBucket(String name) throws IOException {
    Files.createDirectories(dataDir.resolve(name));
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
