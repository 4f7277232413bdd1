package io.identityjoin.pipeline;

import io.identityjoin.config.ExecutionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs independent pieces of driver work (each starting its own Spark jobs) at the same time, each
 * from its own driver thread, or one after another.
 *
 * <p>Why: on a small input a Spark job is mostly the driver's work (planning, code generation,
 * scheduling, collecting results) and the executors' cores sit idle between jobs; a 67,500-record
 * run kept its two cores 20–50 % busy (docs/BENCHMARKS.md). Spark runs jobs from several threads of
 * one application side by side, sharing the task slots. On a large input each job already fills the
 * cores, and two at once would only hold two jobs' shuffle data on the heap together, so there the
 * pieces run one after another. Threads are created per call: Spark's local properties (the job
 * description) and the active session are copied into a thread when it is created.
 *
 * <p>Every piece is waited for, even after one fails; the first failure is thrown, with the others
 * added as suppressed.
 */
public final class SideBySide {

  private final boolean together;

  private SideBySide(boolean together) {
    this.together = together;
  }

  /** Side by side below {@code execution.side-by-side-max-rows} rows read (a small input). */
  public static SideBySide forInput(long rowsRead, ExecutionSettings settings) {
    return new SideBySide(rowsRead < settings.sideBySideMaxRows());
  }

  /** Always side by side. */
  public static SideBySide always() {
    return new SideBySide(true);
  }

  /** Whether {@link #run} runs its pieces at the same time. */
  public boolean together() {
    return together;
  }

  /** Runs every piece; their results in the order given. */
  public <T> List<T> run(List<Supplier<T>> pieces) {
    if (!together || pieces.size() < 2) {
      return pieces.stream().map(Supplier::get).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(pieces.size(), r -> {
      Thread t = new Thread(r, "identity-join-side-by-side");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> running = new ArrayList<>();
      for (Supplier<T> piece : pieces) {
        running.add(pool.submit(piece::get));
      }
      return awaitAll(running);
    } finally {
      pool.shutdown();
    }
  }

  private static <T> List<T> awaitAll(List<Future<T>> running) {
    List<T> results = new ArrayList<>();
    RuntimeException first = null;
    for (Future<T> f : running) {
      try {
        results.add(f.get());
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
        throw new IllegalStateException("interrupted while waiting for work running side by side", e);
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }
}
