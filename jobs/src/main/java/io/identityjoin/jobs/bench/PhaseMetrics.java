package io.identityjoin.jobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What one timed phase cost: wall seconds, shuffle bytes from Spark's own task metrics (a
 * listener sums every finished task's), and the JVM heap (in local mode the executors are the
 * driver JVM): the peak heap in use (sampled every 10 ms, garbage included), and the peak of
 * what was still live after a garbage collection.
 */
final class PhaseMetrics {

  /** The figures of one phase. {@code seconds} is null when the phase hit its time cap. */
  record Figures(Double seconds, long shuffleReadBytes, long shuffleWriteBytes, long peakHeapBytes,
      long peakLiveHeapBytes) {}

  /**
   * How HotSpot's collectors name a collection of the whole heap (the parallel and serial
   * collectors' full collections, G1's full collection; G1's young and mixed ones are "end of minor
   * GC").
   */
  static final String FULL_COLLECTION = "end of major GC";

  private final SparkContext sc;
  private final AtomicLong shuffleRead = new AtomicLong();
  private final AtomicLong shuffleWrite = new AtomicLong();
  private final AtomicLong liveAfterGc = new AtomicLong();
  private final AtomicLong used = new AtomicLong();
  /** Per collector, the number of the last collection notified (GcInfo ids count a collector's collections). */
  private final Map<String, AtomicLong> notified = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<String> heapPools;
  /** Wall milliseconds of the phase's Spark jobs by call site, for --profile. */
  private final Map<String, Long> jobMillis = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Integer, long[]> jobStarts = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Integer, String> jobSites = new java.util.concurrent.ConcurrentHashMap<>();
  /** The first job naming each stage (the one that runs it), and per job site its tasks' CPU, GC and spill. */
  private final Map<Integer, String> stageSites = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, long[]> siteTasks = new java.util.concurrent.ConcurrentHashMap<>();

  PhaseMetrics(SparkContext sc) {
    this.sc = sc;
    sc.addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        // The result stage is named after the action's call site, e.g. "count at X.java:57".
        String site = scala.collection.JavaConverters.seqAsJavaList(start.stageInfos()).stream()
            .max(java.util.Comparator.comparingInt(org.apache.spark.scheduler.StageInfo::stageId))
            .map(org.apache.spark.scheduler.StageInfo::name).orElse("?");
        // The job's description names the part of the run that started it (JobDescription).
        String description = start.properties() == null ? null : start.properties()
            .getProperty(io.identityjoin.pipeline.JobDescription.PROPERTY);
        if (description != null) {
          site = description + "  [" + site + "]";
        }
        jobStarts.put(start.jobId(), new long[] {start.time()});
        jobSites.put(start.jobId(), site);
        for (org.apache.spark.scheduler.StageInfo stage : scala.collection.JavaConverters
            .seqAsJavaList(start.stageInfos())) {
          stageSites.putIfAbsent(stage.stageId(), site);
        }
      }

      @Override
      public void onJobEnd(SparkListenerJobEnd end) {
        long[] t = jobStarts.remove(end.jobId());
        String site = jobSites.remove(end.jobId());
        if (t != null) {
          jobMillis.merge(site, end.time() - t[0], Long::sum);
        }
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics m = end.taskMetrics();
        if (m != null) {
          shuffleRead.addAndGet(m.shuffleReadMetrics().totalBytesRead());
          shuffleWrite.addAndGet(m.shuffleWriteMetrics().bytesWritten());
          String site = stageSites.get(end.stageId());
          if (site != null) {
            long[] add = {m.executorCpuTime(), m.jvmGCTime(), m.diskBytesSpilled()};
            siteTasks.merge(site, add, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
          }
        }
      }
    });
    heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    Thread sampler = new Thread(() -> {
      while (true) {
        used.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((n, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                .from((CompositeData) n.getUserData());
            if (FULL_COLLECTION.equals(info.getGcAction())) {
              Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
              long live = after.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                  .mapToLong(e -> e.getValue().getUsed()).sum();
              liveAfterGc.accumulateAndGet(live, Math::max);
            }
            // Marked notified only once its figure is in: settleCollections() waits on this mark
            // before measure() resets the figures, so the collection a phase starts with cannot
            // land its live figure in the phase.
            notified.computeIfAbsent(info.getGcName(), k -> new AtomicLong())
                .accumulateAndGet(info.getGcInfo().getId(), Math::max);
          }
        }, null, null);
      }
    }
    // Collections before the listeners were added are never notified: count them as notified.
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      notified.computeIfAbsent(gc.getName(), k -> new AtomicLong()).accumulateAndGet(gc.getCollectionCount(), Math::max);
    }
  }

  /**
   * Waits (at most 5 s) until every collection each collector has counted has been notified:
   * notifications come on a thread of their own, after the collection, so the full collection a
   * phase starts with could otherwise be counted as the phase's.
   */
  private void settleCollections() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!allNotified() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean allNotified() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long counted = gc.getCollectionCount();
      AtomicLong last = notified.get(gc.getName());
      if (counted > 0 && (last == null || last.get() < counted)) {
        return false;
      }
    }
    return true;
  }

  /** Runs {@code phase} and measures it; the phase returns false when it hit its cap. */
  Figures measure(Supplier<Boolean> phase) {
    System.gc();
    settle();
    settleCollections();
    shuffleRead.set(0);
    shuffleWrite.set(0);
    liveAfterGc.set(0);
    used.set(0);
    jobMillis.clear();
    siteTasks.clear();
    stageSites.clear();
    long start = System.nanoTime();
    boolean finished = phase.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    settle();
    settleCollections();
    return new Figures(finished ? seconds : null, shuffleRead.get(), shuffleWrite.get(), used.get(),
        liveAfterGc.get());
  }

  /** Waits until the listener bus has delivered every task-end event of the phase. */
  private void settle() {
    try {
      sc.listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain in time", e);
    }
  }

  /**
   * The phase's Spark jobs' wall seconds summed by description and call site, largest first, with
   * their tasks' CPU and GC seconds and the bytes they spilled to disk (Spark's task metrics). Jobs
   * can overlap (a query's broadcast and adaptive stages run as jobs of their own while the job
   * that started them waits), so the sum can exceed the phase's wall time.
   */
  String profile() {
    StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "       %9s %9s %8s %10s%n",
        "jobs wall", "task cpu", "task gc", "spilled"));
    jobMillis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(40)
        .forEach(e -> {
          long[] t = siteTasks.getOrDefault(e.getKey(), new long[3]);
          b.append(String.format(java.util.Locale.ROOT, "       %7.1f s %7.1f s %6.1f s %10s  %s%n",
              e.getValue() / 1e3, t[0] / 1e9, t[1] / 1e3, BenchTable.bytes(t[2]), e.getKey()));
        });
    return b.toString();
  }
}
