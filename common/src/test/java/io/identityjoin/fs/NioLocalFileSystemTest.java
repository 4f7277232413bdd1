package io.identityjoin.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.testing.SparkSessionExtension;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.AbstractFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.NativeCodeLoader;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkSessionExtension.class)
class NioLocalFileSystemTest {

  @TempDir
  java.nio.file.Path dir;

  private static FileSystem fileSystem() throws IOException {
    FileSystem fs = new NioLocalFileSystem();
    fs.initialize(URI.create("file:///"), new Configuration());
    return fs;
  }

  @Test
  void filesAndFoldersGetTheirPermissionsWithoutAProcess() throws Exception {
    FileSystem fs = fileSystem();
    Path file = new Path(dir.resolve("a/file.txt").toUri());
    Path folder = new Path(dir.resolve("b/c").toUri());
    List<String> started = processesStartedBy(() -> {
      try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0640), true, 4096, (short) 1, 1 << 20, null)) {
        out.writeUTF("x");
      }
      return fs.mkdirs(folder, new FsPermission((short) 0710));
    });
    assertEquals(List.of(), started);
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/file.txt"))));
    assertEquals("rwx--x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("b/c"))));
    // The checksum file beside it was written too (this is the checksummed file system).
    assertTrue(Files.exists(dir.resolve("a/.file.txt.crc")));
    // What it saves: without its native library, Hadoop's own starts a chmod for each (and the
    // recording above would have seen them).
    if (!NativeCodeLoader.isNativeCodeLoaded()) {
      LocalFileSystem hadoop = new LocalFileSystem();
      hadoop.initialize(URI.create("file:///"), new Configuration());
      List<String> hadoops = processesStartedBy(() -> hadoop.mkdirs(new Path(dir.resolve("d").toUri()),
          new FsPermission((short) 0710)));
      assertEquals(List.of("chmod 0710 " + dir.resolve("d")), hadoops);
    }
  }

  @Test
  void aStickyBitIsLeftToHadoop() throws Exception {
    FileSystem fs = fileSystem();
    Path folder = new Path(dir.resolve("shared").toUri());
    fs.mkdirs(folder);
    fs.setPermission(folder, new FsPermission((short) 01777));
    FileStatus status = fs.getFileStatus(folder);
    assertTrue(status.getPermission().getStickyBit());
    assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("shared"))));
  }

  @Test
  void linkStatusIsHadoopsForFilesLinksAndMissingPaths() throws Exception {
    RawLocalFileSystem hadoop = new RawLocalFileSystem();
    hadoop.initialize(URI.create("file:///"), new Configuration());
    NioLocalFileSystem.Raw nio = new NioLocalFileSystem.Raw();
    nio.initialize(URI.create("file:///"), new Configuration());
    Files.writeString(dir.resolve("target.txt"), "12345");
    Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("target.txt"));
    // Both the scheme-qualified path (what Spark and Delta pass) and the bare one.
    for (String name : List.of("target.txt", "link.txt")) {
      for (Path p : List.of(new Path(dir.resolve(name).toUri()), new Path(dir.resolve(name).toString()))) {
        FileStatus expected = hadoop.getFileLinkStatus(p);
        FileStatus actual = nio.getFileLinkStatus(p);
        assertEquals(expected.isSymlink(), actual.isSymlink(), p.toString());
        assertEquals(expected.getLen(), actual.getLen(), p.toString());
        assertEquals(expected.getPath(), actual.getPath(), p.toString());
        if (expected.isSymlink()) {
          assertEquals(expected.getSymlink(), actual.getSymlink(), p.toString());
        }
      }
    }
    assertTrue(nio.getFileLinkStatus(new Path(dir.resolve("link.txt").toString())).isSymlink());
    Path missing = new Path(dir.resolve("missing.txt").toUri());
    assertThrows(FileNotFoundException.class, () -> hadoop.getFileLinkStatus(missing));
    assertThrows(FileNotFoundException.class, () -> nio.getFileLinkStatus(missing));
  }

  @Test
  void fileContextRenamesWithoutAProcessAndRefusesToOverwrite() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());
    FileContext fc = FileContext.getFileContext(URI.create("file:///"), conf);
    assertInstanceOf(NioLocalFs.class, fc.getDefaultFileSystem());
    Path from = new Path(dir.resolve("from.json").toUri());
    Path to = new Path(dir.resolve("to.json").toUri());
    List<String> started = processesStartedBy(() -> {
      try (FSDataOutputStream out = fc.create(from, java.util.EnumSet.of(org.apache.hadoop.fs.CreateFlag.CREATE))) {
        out.writeUTF("{}");
      }
      fc.rename(from, to, Options.Rename.NONE);
      return null;
    });
    assertEquals(List.of(), started);
    assertTrue(Files.exists(dir.resolve("to.json")));
    assertFalse(Files.exists(dir.resolve("from.json")));
    // Delta's log store relies on a rename that never replaces a commit another writer made.
    Files.writeString(dir.resolve("again.json"), "{}");
    assertThrows(org.apache.hadoop.fs.FileAlreadyExistsException.class,
        () -> fc.rename(new Path(dir.resolve("again.json").toUri()), to, Options.Rename.NONE));
    AbstractFileSystem afs = fc.getDefaultFileSystem();
    assertEquals(-1, afs.getUriDefaultPort());
  }

  @Test
  void aDeltaTableIsWrittenAndCommittedThroughTheSessionWithoutAProcess(SparkSession spark) throws Exception {
    assertEquals(NioLocalFileSystem.class.getName(), spark.sparkContext().hadoopConfiguration().get("fs.file.impl"));
    String path = dir.resolve("table").toString();
    List<String> started = processesStartedBy(() -> {
      spark.range(0, 100, 1, 2).write().format("delta").save(path);
      spark.range(100, 150, 1, 2).write().format("delta").mode("append").save(path);
      return null;
    });
    assertEquals(List.of(), started);
    assertEquals(150, spark.read().format("delta").load(path).count());
    assertEquals(4950 + (100 + 149) * 25, spark.read().format("delta").load(path).agg(org.apache.spark.sql.functions.sum("id"))
        .first().getLong(0));
  }

  /** The commands of chmod and readlink processes the JVM started while {@code work} ran (from JFR). */
  private List<String> processesStartedBy(Callable<?> work) throws Exception {
    java.nio.file.Path jfr = dir.resolve("processes.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ProcessStart");
      recording.start();
      work.call();
      recording.stop();
      recording.dump(jfr);
    }
    List<String> commands = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String command = e.getString("command");
      if (command.startsWith("chmod") || command.startsWith("readlink")) {
        commands.add(command);
      }
    }
    Files.delete(jfr);
    return commands;
  }
}
