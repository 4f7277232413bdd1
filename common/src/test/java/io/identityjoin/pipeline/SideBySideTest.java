package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.ExecutionSettings;
import io.identityjoin.config.SettingsLoader;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Independent work runs at the same time on a small input, one piece after another on a large one. */
@ExtendWith(SparkSessionExtension.class)
class SideBySideTest {

  private static final ExecutionSettings EXECUTION = SettingsLoader.defaultExecution();

  /** A piece that waits (up to 30 s) for every piece to have started, and says whether they all did. */
  private static Supplier<Boolean> waitingForAll(CountDownLatch started) {
    return () -> {
      started.countDown();
      try {
        return started.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @Test
  void aSmallInputRunsItsPiecesAtTheSameTimeWithTheCallersJobDescription(SparkSession spark) {
    SideBySide small = SideBySide.forInput(EXECUTION.sideBySideMaxRows() - 1, EXECUTION);
    assertTrue(small.together());
    CountDownLatch started = new CountDownLatch(3);
    List<String> descriptions = Collections.synchronizedList(new ArrayList<>());
    List<Boolean> sawTheOthers = JobDescription.during("evidence", () -> small.run(List.of(
        waitingForAll(started), waitingForAll(started),
        () -> {
          descriptions.add(spark.sparkContext().getLocalProperty(JobDescription.PROPERTY));
          return waitingForAll(started).get();
        })));
    assertEquals(List.of(true, true, true), sawTheOthers, "each piece saw the other two running");
    assertEquals(List.of("identity-join evidence"), descriptions, "a piece's jobs carry the caller's description");
  }

  @Test
  void aLargeInputRunsItsPiecesOneAfterAnotherOnTheCallersThreadInOrder() {
    SideBySide large = SideBySide.forInput(EXECUTION.sideBySideMaxRows(), EXECUTION);
    assertFalse(large.together());
    Thread caller = Thread.currentThread();
    List<Integer> order = new ArrayList<>();
    List<Integer> results = large.run(List.of(() -> {
      order.add(1);
      return caller == Thread.currentThread() ? 10 : -1;
    }, () -> {
      order.add(2);
      return caller == Thread.currentThread() ? 20 : -1;
    }));
    assertEquals(List.of(10, 20), results);
    assertEquals(List.of(1, 2), order);
  }

  @Test
  void zeroTurnsItOff() {
    ExecutionSettings never = new ExecutionSettings(EXECUTION.wholeStageCodegen(), EXECUTION.wholeStageCodegenMinRows(),
        EXECUTION.rowsPerWriteTask(), EXECUTION.rowsPerInputPartition(), EXECUTION.compressCaches(), 0);
    assertFalse(SideBySide.forInput(0, never).together());
    assertEquals(1_000_000, EXECUTION.sideBySideMaxRows(), "reference.conf's default");
  }

  @Test
  void resultsComeInTheOrderGivenAndAFailureIsThrownAfterEveryPieceFinished() {
    assertEquals(List.of("a", "b", "c"), SideBySide.always().run(List.of(() -> {
      sleep(200);
      return "a";
    }, () -> "b", () -> "c")));

    List<String> finished = Collections.synchronizedList(new ArrayList<>());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SideBySide.always().run(
        List.<Supplier<String>>of(() -> {
          throw new IllegalStateException("dangling external ids: injected failure");
        }, () -> {
          throw new IllegalArgumentException("e-mail conflicts: injected failure");
        }, () -> {
          sleep(200);
          finished.add("evidence");
          return "evidence";
        })));
    assertEquals("dangling external ids: injected failure", e.getMessage());
    assertEquals(1, e.getSuppressed().length);
    assertEquals("e-mail conflicts: injected failure", e.getSuppressed()[0].getMessage());
    assertEquals(List.of("evidence"), finished, "the slow piece finished before the failure was thrown");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
