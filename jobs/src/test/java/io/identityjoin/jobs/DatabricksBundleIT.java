package io.identityjoin.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.Settings;
import io.identityjoin.config.SettingsLoader;
import io.identityjoin.config.TableFormat;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/** databricks.yml against the build: the jar it uploads, the class it runs, the runtime it picks. */
class DatabricksBundleIT {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  /** Databricks Runtime LTS lines and their Apache Spark (Databricks release notes, "Supported LTS releases"). */
  static final Map<String, String> LTS_SPARK = Map.of("13.3", "3.4", "14.3", "3.5", "15.4", "3.5", "16.4", "3.5");

  @SuppressWarnings("unchecked")
  static <T> T at(Object node, Object... path) {
    Object n = node;
    for (Object key : path) {
      n = key instanceof Integer i ? ((List<Object>) n).get(i) : ((Map<String, Object>) n).get(key);
      assertNotNull(n, "databricks.yml has no " + key + " along " + List.of(path));
    }
    return (T) n;
  }

  @Test
  void theBundleRunsTheBuiltJarsMainClassOnAMatchingRuntime() throws Exception {
    Map<String, Object> bundle;
    try (Reader r = Files.newBufferedReader(ROOT.resolve("databricks.yml"))) {
      bundle = new Yaml().load(r);
    }
    Map<String, Object> job = at(bundle, "resources", "jobs", "identity_join");
    Map<String, Object> task = at(job, "tasks", 0);

    // The jar: what the shade plugin names it, what the artifact builds and uploads, what the task installs.
    String jarName = shadeFinalName() + ".jar";
    String library = at(task, "libraries", 0, "jar");
    assertEquals("./jobs/target/" + jarName, library);
    assertEquals(library, (String) at(bundle, "artifacts", "identity_join_jar", "files", 0, "source"));
    String build = at(bundle, "artifacts", "identity_join_jar", "build");
    assertTrue(build.startsWith("mvn ") && build.contains(" package"), build);
    Path jar = ROOT.resolve(library);
    assertTrue(Files.isRegularFile(jar), jar + " is built by the package phase before this test");

    // The main class: in the jar, with the main a JAR task calls.
    String mainClass = at(task, "spark_jar_task", "main_class_name");
    try (JarFile jf = new JarFile(jar.toFile())) {
      assertNotNull(jf.getEntry(mainClass.replace('.', '/') + ".class"), mainClass + " in " + jar);
    }
    Method main = Class.forName(mainClass).getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()));

    // --config points at a Unity Catalog volume, and conf/databricks.conf is a valid config.
    List<String> parameters = at(task, "spark_jar_task", "parameters");
    assertEquals(List.of("--config", "${var.config}"), parameters);
    String config = at(bundle, "variables", "config", "default");
    assertTrue(config.startsWith("/Volumes/"), config);
    Settings settings = SettingsLoader.load(ROOT.resolve("conf/databricks.conf").toFile(), List.of());
    assertTrue(settings.output().path().startsWith("/Volumes/"), settings.output().path());
    assertEquals(TableFormat.DELTA, settings.output().format());

    // The runtime: an LTS whose Spark and Scala are ours, and Java 17 for our Java 17 bytecode.
    Map<String, Object> cluster = at(job, "job_clusters", 0, "new_cluster");
    assertEquals((String) at(job, "job_clusters", 0, "job_cluster_key"), (String) at(task, "job_cluster_key"));
    String runtime = at(cluster, "spark_version");
    String scala = rootProperty("scala.binary.version");
    assertTrue(runtime.endsWith("-scala" + scala), runtime + " vs Scala " + scala);
    String lts = runtime.substring(0, runtime.indexOf(".x-"));
    assertNotNull(LTS_SPARK.get(lts), runtime + " is not an LTS runtime");
    assertTrue(rootProperty("spark.version").startsWith(LTS_SPARK.get(lts) + "."),
        runtime + " runs Spark " + LTS_SPARK.get(lts) + ", we build against " + rootProperty("spark.version"));
    assertEquals("17", rootProperty("maven.compiler.release"));
    assertEquals("zulu17-ca-amd64", (String) at(cluster, "spark_env_vars", "JNAME"));
  }

  private static String shadeFinalName() throws Exception {
    NodeList plugins = pom(ROOT.resolve("jobs/pom.xml")).getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (text(plugin, "artifactId").equals("maven-shade-plugin")) {
        return text(plugin, "finalName");
      }
    }
    throw new AssertionError("jobs/pom.xml has no maven-shade-plugin");
  }

  private static String rootProperty(String name) throws Exception {
    return text(pom(ROOT.resolve("pom.xml")).getDocumentElement(), name);
  }

  private static Document pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static String text(Element parent, String tag) throws IOException {
    NodeList nodes = parent.getElementsByTagName(tag);
    if (nodes.getLength() == 0) {
      throw new AssertionError("no <" + tag + "> in " + parent.getTagName());
    }
    return nodes.item(0).getTextContent().trim();
  }
}
