package io.identityjoin.write;

import io.identityjoin.pipeline.SideBySide;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Writes the tables a run replaces at the same time, each from its own driver thread
 * ({@link SideBySide#always}), then the append-only ones one after another. A table's write is a
 * Spark job and then work on the driver (Delta's commit: the log, its snapshot; Parquet's job
 * commit: renames); written one after another, the driver work of one table leaves the executors
 * idle, and on a small input that idle time is most of the write. Every write is waited for, even
 * after one fails; the first failure is thrown (the others added as suppressed), and the
 * append-only tables are then not written.
 */
final class ConcurrentWrites {

  private ConcurrentWrites() {}

  static void run(List<IdentityTablesWriter.Table> tables, Consumer<IdentityTablesWriter.Table> write) {
    List<Supplier<Void>> replaced = tables.stream().filter(t -> !t.append()).<Supplier<Void>>map(t -> () -> {
      write.accept(t);
      return null;
    }).toList();
    SideBySide.always().run(replaced);
    tables.stream().filter(IdentityTablesWriter.Table::append).forEach(write);
  }
}
