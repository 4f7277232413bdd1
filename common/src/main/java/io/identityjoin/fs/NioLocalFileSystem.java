package io.identityjoin.fs;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's {@code file:} file system (checksums included) that sets permissions and checks for links
 * through java.nio instead of a {@code chmod} or {@code readlink} process ({@link NioPermissions}).
 * Everything else is Hadoop's. The launcher sets it for local mode as {@code fs.file.impl}; Delta's
 * log goes through {@link NioLocalFs}, its {@code FileContext} twin.
 */
public class NioLocalFileSystem extends LocalFileSystem {

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw (checksum-less) file system underneath, shared with {@link NioLocalFs}. */
  static class Raw extends RawLocalFileSystem {

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (!NioPermissions.set(pathToFile(p), permission)) {
        super.setPermission(p, permission);
      }
    }

    /**
     * Hadoop asks {@code readlink} first, then returns {@link #getFileStatus} when the path is no
     * link: the same here, without the process.
     */
    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      if (NioPermissions.isSymbolicLink(pathToFile(f))) {
        return super.getFileLinkStatus(f);
      }
      return getFileStatus(f);
    }
  }
}
