package io.identityjoin.write;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Writes the tables a run replaces at the same time, each from its own driver thread, then the
 * append-only ones one after another. A table's write is a Spark job and then work on the driver
 * (Delta's commit: the log, its snapshot; Parquet's job commit: renames); written one after
 * another, the driver work of one table leaves the executors idle, and on a small input that idle
 * time is most of the write. Spark runs jobs from several threads of one application side by side
 * (its scheduler shares the task slots), and the threads inherit the caller's job description and
 * active session. Every write is waited for, even after one fails; the first failure is thrown
 * (the others added as suppressed), and the append-only tables are then not written.
 */
final class ConcurrentWrites {

  private ConcurrentWrites() {}

  static void run(List<IdentityTablesWriter.Table> tables, Consumer<IdentityTablesWriter.Table> write) {
    List<IdentityTablesWriter.Table> replaced = tables.stream().filter(t -> !t.append()).toList();
    if (replaced.size() > 1) {
      // New threads per call: Spark's local properties (the job description) are copied into a
      // thread when it is created.
      ExecutorService pool = Executors.newFixedThreadPool(replaced.size(), r -> {
        Thread t = new Thread(r, "identity-join-write");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<?>> writes = new ArrayList<>();
        for (IdentityTablesWriter.Table t : replaced) {
          writes.add(pool.submit(() -> write.accept(t)));
        }
        awaitAll(writes);
      } finally {
        pool.shutdown();
      }
    } else {
      replaced.forEach(write);
    }
    tables.stream().filter(IdentityTablesWriter.Table::append).forEach(write);
  }

  private static void awaitAll(List<Future<?>> writes) {
    RuntimeException first = null;
    for (Future<?> f : writes) {
      try {
        f.get();
      } catch (ExecutionException e) {
        RuntimeException failure = e.getCause() instanceof RuntimeException r ? r
            : new IllegalStateException(e.getCause());
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(failure);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing the output tables", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
