package io.identityjoin.jobs;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.Settings;
import io.identityjoin.config.SettingsLoader;
import java.io.File;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line: with no subcommand it runs the identity job. Parsing, help and error
 * messages are picocli's; an {@link IdentityJoinException} becomes one line on stderr and exit
 * code 2.
 */
@Command(name = "identity-join", mixinStandardHelpOptions = true, version = "identity-join 0.1.0",
    description = "Links each source's user table to an anchor source by external id, with e-mail as fallback, "
        + "groups records into persons (connected components) and writes identity_map and user_identities.",
    subcommands = {SampleCommand.class, CompareCommand.class, ExplainCommand.class, EvaluateCommand.class, CommandLine.HelpCommand.class})
public final class IdentityJoinCommand implements Callable<Integer> {

  /** {@code --config} and {@code --set}, shared by every subcommand that reads settings. */
  public static final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
        description = "HOCON file with an identity-join block; overrides reference.conf.")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Override one key (repeatable), e.g. --set output.format=parquet. The 'identity-join.' "
            + "prefix may be left out.")
    List<String> overrides = new ArrayList<>();

    public Settings load() {
      return SettingsLoader.load(config, overrides);
    }
  }

  @Mixin ConfigOptions options;

  @Option(names = "--dry-run", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
      description = "Compute the new tables and report what would change (records moving between persons, merges, "
          + "splits) without touching the published output. The report (dry_run.json and the full lists as JSON "
          + "lines) goes to DIR, by default <output.path>/_dry_run/<run-id>/.")
  String dryRun;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = options.load();
    SparkSession spark = IdentityJoinJob.session();
    settings.sample().ifPresent(sample -> {
      try (HadoopConfScope ignored = HadoopConfScope.apply(spark, settings.hadoopConf())) {
        SampleData.ensure(spark, sample, spec.commandLine().getOut());
      }
    });
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun != null) {
      out.print(IdentityJoinJob.dryRun(spark, settings, dryRun.isBlank() ? Optional.empty() : Optional.of(dryRun))
          .toText());
    } else {
      out.print(IdentityJoinJob.run(spark, settings).toText());
    }
    out.flush();
    return 0;
  }

  /** Runs the command line and returns its exit code; never exits the JVM. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new IdentityJoinCommand());
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      IdentityJoinException problem = find(e);
      if (problem != null) {
        line.getErr().println("identity-join: " + problem.getMessage());
        line.getErr().flush();
        return 2;
      }
      throw e;
    });
    return cl;
  }

  private static IdentityJoinException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IdentityJoinException ije) {
        return ije;
      }
    }
    return null;
  }
}
