package io.identityjoin.fs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Local file permissions and link checks through java.nio, for the two calls Hadoop's local file
 * system makes by starting a process when its native library is absent (as it is on a laptop and in
 * Maven's classpath): {@code chmod} after every file and folder it creates, and {@code readlink}
 * before every rename. A small run creates and renames a few hundred files, and each process costs
 * a few milliseconds on the critical path (docs/BENCHMARKS.md, 2026-12-03 afternoon).
 */
final class NioPermissions {

  private static final PosixFilePermission[] BITS = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  private NioPermissions() {}

  /**
   * Sets {@code permission} on {@code file} and returns true, or returns false if java.nio cannot
   * express it (a sticky bit, or a file system without POSIX permissions): the caller then falls
   * back to Hadoop's own way.
   */
  static boolean set(File file, FsPermission permission) throws IOException {
    short mode = permission.toShort();
    if ((mode & ~0777) != 0) {
      return false;
    }
    Set<PosixFilePermission> bits = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        bits.add(BITS[i]);
      }
    }
    try {
      Files.setPosixFilePermissions(file.toPath(), bits);
      return true;
    } catch (UnsupportedOperationException notPosix) {
      return false;
    }
  }

  /** Whether {@code file} is a symbolic link (a missing file is not). */
  static boolean isSymbolicLink(File file) {
    return Files.isSymbolicLink(file.toPath());
  }
}
