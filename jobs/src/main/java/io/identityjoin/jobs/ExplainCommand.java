package io.identityjoin.jobs;

import io.identityjoin.IdentityJoinException;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.config.Settings;
import io.identityjoin.explain.Explanation;
import io.identityjoin.read.IdentityTables;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code identity-join explain}: why a record is in its person, read from the written identity_map. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Prints the chain of links (record -> value -> record ...) from one record to its person's anchor "
        + "record, and the tree of links joining every member, read from the identity_map the last run wrote "
        + "(nothing is recomputed).")
final class ExplainCommand implements Callable<Integer> {

  @Mixin IdentityJoinCommand.ConfigOptions options;

  @Option(names = "--source", required = true, description = "The record's source, as named in the config.")
  String source;

  @Option(names = "--id", required = true, description = "The record's id in that source (as text, trimmed).")
  String id;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = options.load();
    if (!settings.sourceNames().contains(source)) {
      throw new IdentityJoinException("--source: '" + source + "' is not among the sources ("
          + String.join(", ", settings.sourceNames()) + ")");
    }
    var identityMap = IdentityTables.read(IdentityJoinJob.session(), settings.output(), OutputSettings.IDENTITY_MAP);
    PrintWriter out = spec.commandLine().getOut();
    var explanation = Explanation.of(identityMap, source, id.trim());
    if (explanation.isEmpty()) {
      throw new IdentityJoinException("no record " + source + "/" + id.trim() + " in "
          + settings.output().tablePath(OutputSettings.IDENTITY_MAP));
    }
    out.print(explanation.get().toText());
    out.flush();
    return 0;
  }
}
