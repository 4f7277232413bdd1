package io.identityjoin.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wall-clock seconds per named stage of a run, in the order the stages ran. Each stage's start
 * is logged at INFO ({@code stage <name> started}): operators see where a run is, and the crash
 * tests pick their moment from these lines.
 */
public final class StageClock {
  private static final Logger LOG = LoggerFactory.getLogger(StageClock.class);
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  public <T> T time(String stage, Supplier<T> work) {
    LOG.info("stage {} started", stage);
    long start = System.nanoTime();
    try {
      return JobDescription.during(stage, work);
    } finally {
      seconds.merge(stage, (System.nanoTime() - start) / 1e9, Double::sum);
    }
  }

  public void time(String stage, Runnable work) {
    time(stage, () -> {
      work.run();
      return null;
    });
  }

  public Map<String, Double> seconds() {
    return new LinkedHashMap<>(seconds);
  }
}
