package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's JIT options (bin/classpath.sh, {@code identity_join_jit}): with the full JIT, the
 * JVM reads conf/jit-directives.json, which keeps the server compiler (C2) off code that runs while
 * a query is planned and compiled rather than on its rows. A JVM refuses to start with a directives
 * file it cannot parse, so these start real ones.
 */
class LauncherJitTest {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  static final Path DIRECTIVES = ROOT.resolve("conf/jit-directives.json");

  @Test
  void theDirectivesFileParsesAndExcludesOnlyC2() throws Exception {
    Run r = run(List.of(java(), "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + DIRECTIVES,
        "-XX:+CompilerDirectivesPrint", "-version"), Map.of());
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("1 compiler directives added"), r.output());
    // The directive's own block: C2 excluded, C1 left to the default directive (not enabled here).
    String own = r.output().substring(r.output().indexOf("matching: "), r.output().indexOf("Directive: (default)"));
    assertTrue(own.contains("org/codehaus/janino/*.*"), own);
    String c1 = own.substring(own.indexOf("c1 directives:"), own.indexOf("c2 directives:"));
    String c2 = own.substring(own.indexOf("c2 directives:"));
    assertTrue(c1.contains("Enable:false"), c1);
    assertTrue(c2.contains("Enable:true") && c2.contains("Exclude:true"), c2);
  }

  @Test
  void noExcludedPatternCoversCodeThatRunsOnEveryRow() throws IOException {
    String text = Files.readString(DIRECTIVES);
    // Generated classes, Spark's row formats, writers, sorters and maps, Parquet and our own code
    // run per row: they must keep C2.
    for (String hot : List.of("org/apache/spark/sql/catalyst/expressions", "org/apache/spark/unsafe",
        "org/apache/spark/util/collection", "org/apache/spark/sql/execution/\"", "org/apache/parquet",
        "io/identityjoin", "\"*.*\"", "scala/")) {
      assertFalse(text.contains(hot), "conf/jit-directives.json excludes " + hot + " from C2");
    }
  }

  @Test
  void theFullJitReadsTheDirectivesAndTheQuickOneDoesNot() throws Exception {
    String full = jitOptions("full");
    assertTrue(full.contains("-XX:+UnlockDiagnosticVMOptions"), full);
    assertTrue(full.contains("-XX:CompilerDirectivesFile=" + DIRECTIVES), full);
    String quick = jitOptions("quick");
    assertTrue(quick.contains("-XX:TieredStopAtLevel=1"), quick);
    assertFalse(quick.contains("CompilerDirectivesFile"), quick);
    // And a JVM starts with the full options as the launcher gives them, its announcement of the
    // directives on standard error: standard output is the job's.
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(List.of(full.trim().split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Hello.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertEquals("hello" + System.lineSeparator(), out);
    assertTrue(err.contains("1 compiler directives added"), err);
  }

  /** A main whose standard output is known. */
  public static final class Hello {
    public static void main(String[] args) {
      System.out.println("hello");
    }
  }

  private static String jitOptions(String jit) throws Exception {
    Run r = run(List.of("bash", "-c", "ROOT=\"$1\"; source \"$1/bin/classpath.sh\"; identity_join_jit", "jit",
        ROOT.toString()), Map.of("IDENTITY_JOIN_JIT", jit));
    assertEquals(0, r.exit(), r.output());
    return r.output();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("IDENTITY_JOIN_JIT_DEFAULT");
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
