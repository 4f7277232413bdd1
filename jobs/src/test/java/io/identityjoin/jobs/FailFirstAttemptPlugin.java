package io.identityjoin.jobs;

import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Test only (it lives in the test sources, never in the jar): a Spark plugin that fails the first
 * attempt of every task, so that every stage of a run — reading, joins, connected components,
 * writing — runs through Spark's task retry. Enable it with {@code -Dspark.plugins=} this class
 * and a master that allows retries ({@code local[2,4]}).
 */
public final class FailFirstAttemptPlugin implements SparkPlugin {

  static final String MARKER = "identity-join-test: injected failure";

  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {}

      @Override
      public void onTaskStart() {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0) {
          System.err.println(MARKER + " in stage " + task.stageId() + ", partition " + task.partitionId());
          throw new IllegalStateException(MARKER);
        }
      }
    };
  }
}
