package io.identityjoin.jobs;

import io.identityjoin.config.Settings;
import io.identityjoin.sample.SampleWriter;
import io.identityjoin.sample.SplinkSample;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code identity-join sample}: writes the synthetic SaaS sample (with ground truth) to a folder. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Writes the deterministic synthetic sample: Segment users, Zendesk user (Delta), Stripe customer, "
        + "Salesforce lead, Intercom contact_history, Mailchimp member, plus Zendesk tickets and Stripe "
        + "subscriptions, each user table with a true_person ground-truth column.")
final class SampleCommand implements Callable<Integer> {

  @Option(names = "--dir", defaultValue = "data/sample", description = "Target folder (default: ${DEFAULT-VALUE}).")
  String dir;

  @Option(names = "--persons", defaultValue = "1000", description = "True persons to generate (default: ${DEFAULT-VALUE}).")
  long persons;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--force", description = "Overwrite the folder if it exists.")
  boolean force;

  @Option(names = "--splink", paramLabel = "CSV", description = "Instead of the synthetic sample, spread a Splink "
      + "labelled CSV (unique_id, ..., email, cluster; e.g. fake_20000.csv) over the sources crm, support and billing "
      + "as Parquet, with cluster as true_person (read by conf/splink.conf).")
  String splink;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (splink != null) {
      var tables = SplinkSample.tables(IdentityJoinJob.session(), splink);
      SampleWriter.write(tables, dir);
      tables.forEach((table, rows) -> spec.commandLine().getOut().printf("wrote %,d records of %s to %s%n",
          rows.count(), splink, SampleWriter.pathOf(dir, table)));
      spec.commandLine().getOut().flush();
      return 0;
    }
    Settings.SampleSettings sample = new Settings.SampleSettings(dir, persons, seed);
    if (force) {
      SampleData.write(IdentityJoinJob.session(), sample, spec.commandLine().getOut());
    } else {
      SampleData.ensure(IdentityJoinJob.session(), sample, spec.commandLine().getOut());
    }
    return 0;
  }
}
