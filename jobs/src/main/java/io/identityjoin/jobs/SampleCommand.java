package io.identityjoin.jobs;

import io.identityjoin.config.Settings;
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

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Settings.SampleSettings sample = new Settings.SampleSettings(dir, persons, seed);
    if (force) {
      SampleData.write(IdentityJoinJob.session(), sample, spec.commandLine().getOut());
    } else {
      SampleData.ensure(IdentityJoinJob.session(), sample, spec.commandLine().getOut());
    }
    return 0;
  }
}
