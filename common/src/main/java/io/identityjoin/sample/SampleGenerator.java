package io.identityjoin.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.md5;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A synthetic SaaS estate with ground truth: the user tables of six tools (Segment as the anchor)
 * and two of their child tables, for a given number of true persons.
 *
 * <p>Everything derives from {@code spark.range(persons)}: each person's attributes, and whether
 * and how each tool holds them, are pure functions of (seed, person, salt), so there is no driver-side
 * data, the record count grows linearly with persons, and the same options give the same rows for
 * any partitioning. Every user table carries {@value #TRUE_PERSON}, the key of the true person,
 * for evaluation only.
 *
 * <p>Person 0 is the classic case: Segment and Stripe know justin@biebs.com, Zendesk knows
 * ziggy@stardust.com under the same Segment id, so only the external id joins Stripe and Zendesk.
 */
public final class SampleGenerator {

  public static final String SEGMENT_USERS = "segment/users";
  public static final String ZENDESK_USER = "zendesk/user";
  public static final String STRIPE_CUSTOMER = "stripe/customer";
  public static final String SALESFORCE_LEAD = "salesforce/lead";
  public static final String INTERCOM_CONTACT_HISTORY = "intercom/contact_history";
  public static final String MAILCHIMP_MEMBER = "mailchimp/member";
  public static final String ZENDESK_TICKET = "zendesk/ticket";
  public static final String STRIPE_SUBSCRIPTION = "stripe/subscription";

  /** The tables that hold people; each has {@value #TRUE_PERSON}. */
  public static final List<String> USER_TABLES = List.of(
      SEGMENT_USERS, ZENDESK_USER, STRIPE_CUSTOMER, SALESFORCE_LEAD, INTERCOM_CONTACT_HISTORY,
      MAILCHIMP_MEMBER);

  public static final String TRUE_PERSON = "true_person";

  private static final long SIGNUPS_FROM = 1_546_300_800L; // 2019-01-01T00:00:00Z
  private static final long SIGNUP_SPAN_SECONDS = 5L * 365 * 86_400;
  private static final long DAY = 86_400L;

  private static final String[] FIRST_NAMES = {
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "John",
    "Katherine", "Tim", "Radia", "Guido", "Hedy", "Bjarne", "Sophie", "James", "Anita", "Donald",
    "Joan", "Edsger", "Mary", "Niklaus", "Karen", "Leslie", "Shafi", "Vint", "Lynn", "Robert",
    "Carol", "Brian", "Susan", "Larry", "Jean", "Fran", "Adele", "Ivan", "Evelyn", "Peter"
  };
  private static final String[] LAST_NAMES = {
    "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson",
    "Allen", "McCarthy", "Johnson", "Berners-Lee", "Perlman", "van Rossum", "Lamarr", "Stroustrup", "Wilson",
    "Gosling", "Borg", "Knuth", "Clarke", "Dijkstra", "Kenneth", "Wirth", "Jones", "Lamport",
    "Goldwasser", "Cerf", "Conway", "Kahn", "Shaw", "Kernighan", "Kare", "Page", "Sammet", "Bilas",
    "Goldberg", "Sutherland", "Pinkerton", "Naur"
  };
  private static final String[] PERSONAL_DOMAINS = {
    "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de"
  };
  private static final String[] WORK_DOMAINS = {
    "acme.io", "initech.com", "globex.net", "umbrella.co", "hooli.com", "piedpiper.com", "stark.dev"
  };
  private static final String[] REFERRAL_SOURCES = {
    "google", "facebook", "newsletter", "partner", "direct", "linkedin", "twitter", "producthunt"
  };
  private static final String[] TICKET_SUBJECTS = {
    "Cannot log in", "Refund request", "Invoice missing", "Feature request: dark mode",
    "API rate limit", "Password reset not arriving", "Upgrade plan", "Bug in export",
    "Cancel account", "SSO setup"
  };
  private static final String[] PLANS = {"starter", "pro", "business", "enterprise"};
  private static final int[] PLAN_WEIGHTS = {45, 35, 15, 5};
  private static final long[] PLAN_CENTS = {900, 2_900, 9_900, 49_900};

  private final SampleRandom random;
  private final SampleIds ids;
  private final EmailNoise noise;

  private SampleGenerator(SampleOptions options) {
    this.random = new SampleRandom(options.seed());
    this.ids = new SampleIds(random);
    this.noise = new EmailNoise(random);
  }

  /** The sample's tables, keyed by relative table path, user tables first. Writes nothing. */
  public static Map<String, Dataset<Row>> tables(SparkSession spark, SampleOptions options) {
    SampleGenerator g = new SampleGenerator(options);
    Dataset<Row> persons = g.persons(spark, options.persons());
    Dataset<Row> zendeskUsers = g.zendeskUsers(persons);
    Dataset<Row> stripeCustomers = g.stripeCustomers(persons);

    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(SEGMENT_USERS, g.segmentUsers(persons));
    tables.put(ZENDESK_USER, zendeskUsers.select(
        col("id"), col("external_id"), col("email"), col("name"), col(TRUE_PERSON)));
    tables.put(STRIPE_CUSTOMER, stripeCustomers.select(
        col("id"), col("email"), col("name"), col(TRUE_PERSON)));
    tables.put(SALESFORCE_LEAD, g.salesforceLeads(persons));
    tables.put(INTERCOM_CONTACT_HISTORY, g.intercomContactHistory(persons));
    tables.put(MAILCHIMP_MEMBER, g.mailchimpMembers(persons));
    tables.put(ZENDESK_TICKET, g.zendeskTickets(zendeskUsers));
    tables.put(STRIPE_SUBSCRIPTION, g.stripeSubscriptions(stripeCustomers));
    return tables;
  }

  /**
   * One row per true person with what every tool may know about them. Built in two steps so the
   * drawn names are computed once, not once per reference (Spark keeps a non-trivial expression
   * that is referenced twice as its own column rather than inlining it).
   */
  private Dataset<Row> persons(SparkSession spark, long count) {
    Column pid = col("id");
    Dataset<Row> drawn = spark.range(count).select(
        pid.as("pid"),
        concat(lit("person-"), pid.cast("string")).as(TRUE_PERSON),
        pid.equalTo(0).as("classic"),
        random.pick(FIRST_NAMES, "first-name", pid).as("first"),
        random.pick(LAST_NAMES, "last-name", pid).as("last"),
        random.pick(PERSONAL_DOMAINS, "personal-domain", pid).as("personal_domain"),
        random.pick(WORK_DOMAINS, "work-domain", pid).as("work_domain"),
        // About 80% of persons have a Segment user; the rest live only in other tools.
        pid.equalTo(0).or(random.chance(0.8, "in-segment", pid)).as("in_segment"),
        ids.segmentUserId(pid).as("segment_id"),
        timestamp_seconds(lit(SIGNUPS_FROM).plus(random.below(SIGNUP_SPAN_SECONDS, "signup", pid)))
            .as("signup_at"));
    Column classic = col("classic");
    Column first = col("first");
    Column lastLocal = lower(concat_ws("", split(col("last"), "[ -]")));
    Column number = col("pid").cast("string");
    // The person number keeps namesakes' addresses apart; the two patterns never meet.
    Column primary =
        concat(lower(first), lit("."), lastLocal, number, lit("@"), col("personal_domain"));
    Column secondary =
        concat(lower(substring(first, 1, 1)), lastLocal, number, lit("@"), col("work_domain"));
    return drawn.select(
        col("pid"),
        col(TRUE_PERSON),
        classic,
        when(classic, lit("Justin")).otherwise(first).as("first_name"),
        when(classic, lit("Bieber")).otherwise(col("last")).as("last_name"),
        when(classic, lit("justin@biebs.com")).otherwise(primary).as("primary_email"),
        when(classic, lit("ziggy@stardust.com")).otherwise(secondary).as("secondary_email"),
        col("in_segment"),
        col("segment_id"),
        col("signup_at"));
  }

  private Dataset<Row> segmentUsers(Dataset<Row> persons) {
    Column pid = col("pid");
    Column address = when(random.chance(0.9, "segment-email", pid), col("primary_email"))
        .otherwise(col("secondary_email"));
    return persons.where(col("in_segment"))
        .select(col("*"), address.as("address"))
        .select(
            col("segment_id").as("id"),
            when(col("classic"), col("address"))
                .otherwise(noise.dirty(col("address"), 0.01, 0.0, "segment", pid)).as("email"),
            fullName().as("name"),
            random.pick(REFERRAL_SOURCES, "referral-source", pid).as("referral_source"),
            col("signup_at").as("created_at"),
            col(TRUE_PERSON));
  }

  /** Zendesk users with the person columns the ticket table needs. */
  private Dataset<Row> zendeskUsers(Dataset<Row> persons) {
    Column pid = col("pid");
    Column draw = col("external_id_draw");
    Column blank = random.pick(new String[] {"", " "}, "zendesk-blank", pid);
    Column externalId = when(col("classic"), col("segment_id"))
        .when(col("in_segment"),
            when(draw.lt(850), col("segment_id"))
                .when(draw.lt(920), lit(null).cast("string"))
                .when(draw.lt(970), blank)
                // Rare data-entry slip: the id of the next person's Segment user.
                .when(draw.lt(975), ids.segmentUserId(pid.plus(1)))
                .otherwise(col("segment_id")))
        // No Segment user: mostly no id, a few dangling ones (a deleted Segment user).
        .otherwise(
            when(draw.lt(60), col("segment_id"))
                .when(draw.lt(100), lit(""))
                .otherwise(lit(null).cast("string")));
    Column address = when(col("classic"), col("secondary_email"))
        .when(random.chance(0.85, "zendesk-email", pid), col("primary_email"))
        .otherwise(col("secondary_email"));
    Column name = when(random.chance(0.85, "zendesk-full-name", pid), fullName())
        .otherwise(col("first_name"));
    return persons.where(col("classic").or(random.chance(0.6, "in-zendesk", pid)))
        .select(col("*"), address.as("address"),
            random.below(1000, "zendesk-external-id", pid).as("external_id_draw"))
        .select(
            pid,
            col("signup_at"),
            ids.zendeskUserId(pid).as("id"),
            externalId.as("external_id"),
            when(col("classic"), col("address"))
                .otherwise(noise.dirty(col("address"), 0.02, 0.0, "zendesk", pid)).as("email"),
            name.as("name"),
            col(TRUE_PERSON));
  }

  /** 0–5 tickets per Zendesk user. */
  private Dataset<Row> zendeskTickets(Dataset<Row> zendeskUsers) {
    Column pid = col("pid");
    Column ticket = col("ticket");
    return zendeskUsers
        .select(pid, col("id").as("requester_id"), col("signup_at"),
            explode(upTo(random.below(6, "zendesk-tickets", pid))).as("ticket"))
        .select(
            pid.multiply(5).plus(ticket).plus(1).as("id"),
            col("requester_id"),
            random.pick(TICKET_SUBJECTS, "ticket-subject", pid, ticket).as("subject"),
            random.weighted(new String[] {"new", "open", "pending", "solved", "closed"},
                new int[] {5, 15, 10, 30, 40}, "ticket-status", pid, ticket).as("status"),
            after(col("signup_at"), ticket.multiply(30 * DAY),
                random.below(30 * DAY, "ticket-created", pid, ticket)).as("created_at"));
  }

  /** Stripe customers: most customers once, some twice (a second card under another address). */
  private Dataset<Row> stripeCustomers(Dataset<Row> persons) {
    Column pid = col("pid");
    Column draw = random.below(1000, "stripe-customers", pid);
    Column count = when(col("classic"), lit(1L))
        .when(draw.lt(450), lit(1L))
        .when(draw.lt(520), lit(2L))
        .otherwise(lit(0L));
    Column nth = col("nth");
    Column address = when(nth.equalTo(1), col("secondary_email"))
        .when(col("classic"), col("primary_email"))
        .when(random.chance(0.85, "stripe-email", pid), col("primary_email"))
        .otherwise(col("secondary_email"));
    return persons
        .select(col("*"), explode(upTo(count)).as("nth"))
        .select(col("*"), pid.multiply(2).plus(nth).as("key"), address.as("address"))
        .select(
            col("key"),
            pid,
            col("signup_at"),
            ids.stripeCustomerId(col("key")).as("id"),
            when(col("classic"), col("address"))
                .otherwise(noise.dirty(col("address"), 0.02, 0.03, "stripe", pid, nth)).as("email"),
            when(random.chance(0.9, "stripe-name", pid, nth), fullName())
                .otherwise(lit(null).cast("string")).as("name"),
            col(TRUE_PERSON));
  }

  /** 0–2 subscriptions per Stripe customer, priced by plan. */
  private Dataset<Row> stripeSubscriptions(Dataset<Row> stripeCustomers) {
    Column key = col("key");
    Column nth = col("nth");
    Column amount = lit(PLAN_CENTS[PLAN_CENTS.length - 1]);
    for (int i = PLANS.length - 2; i >= 0; i--) {
      amount = when(col("plan").equalTo(PLANS[i]), lit(PLAN_CENTS[i])).otherwise(amount);
    }
    return stripeCustomers
        .select(key, col("id").as("customer"), col("signup_at"),
            explode(upTo(random.below(3, "stripe-subscriptions", key))).as("nth"))
        .select(
            ids.stripeSubscriptionId(key.multiply(2).plus(nth)).as("id"),
            col("customer"),
            random.weighted(PLANS, PLAN_WEIGHTS, "subscription-plan", key, nth).as("plan"),
            random.weighted(new String[] {"active", "trialing", "past_due", "canceled"},
                new int[] {60, 10, 5, 25}, "subscription-status", key, nth).as("status"),
            after(col("signup_at"), nth.multiply(90 * DAY),
                random.below(60 * DAY, "subscription-created", key, nth)).as("created_at"))
        .select(col("id"), col("customer"), col("plan"), amount.as("amount"), col("status"),
            col("created_at"));
  }

  private Dataset<Row> salesforceLeads(Dataset<Row> persons) {
    Column pid = col("pid");
    Column address = when(random.chance(0.8, "salesforce-email", pid), col("primary_email"))
        .otherwise(col("secondary_email"));
    return persons.where(random.chance(0.4, "in-salesforce", pid).and(not(col("classic"))))
        .select(col("*"), address.as("address"), ids.salesforceLeadBody(pid).as("body"))
        .select(
            SampleIds.salesforceCaseSafe(col("body")).as("Id"),
            noise.dirty(col("address"), 0.03, 0.03, "salesforce", pid).as("Email"),
            when(random.chance(0.95, "salesforce-first-name", pid), col("first_name"))
                .otherwise(lit(null).cast("string")).as("FirstName"),
            col("last_name").as("LastName"),
            col(TRUE_PERSON));
  }

  /**
   * 1–4 history rows per Intercom contact. The address may change between rows; a contact that
   * signed up later is anonymous (no external id) in its first row.
   */
  private Dataset<Row> intercomContactHistory(Dataset<Row> persons) {
    Column pid = col("pid");
    Column row = col("row");
    Column identified = col("in_segment").and(random.chance(0.75, "intercom-identified", pid));
    Column anonymousFirst = row.equalTo(0).and(col("rows").gt(1))
        .and(random.chance(0.3, "intercom-late-identified", pid));
    Column externalId = when(identified.and(not(anonymousFirst)), col("segment_id"))
        .otherwise(lit(null).cast("string"));
    Column address = when(random.chance(0.8, "intercom-email", pid, row), col("primary_email"))
        .otherwise(col("secondary_email"));
    return persons
        .where(random.chance(0.5, "in-intercom", pid).and(not(col("classic"))))
        .select(col("*"), random.below(4, "intercom-rows", pid).plus(1).as("rows"))
        .select(col("*"), explode(upTo(col("rows"))).as("row"))
        .select(col("*"), address.as("address"), externalId.as("external_id"))
        .select(
            ids.intercomContactId(pid, col("signup_at")).as("id"),
            col("external_id"),
            when(random.chance(0.95, "intercom-user-id", pid), col("external_id"))
                .otherwise(lit(null).cast("string")).as("user_id"),
            noise.dirty(col("address"), 0.02, 0.0, "intercom", pid, row).as("email"),
            after(col("signup_at"), row.multiply(20 * DAY),
                random.below(20 * DAY, "intercom-updated", pid, row)).as("updated_at"),
            col(TRUE_PERSON));
  }

  /**
   * Mailchimp members: the id is Mailchimp's subscriber hash, md5 of the lower-cased address. Some
   * persons subscribed both of their addresses. Mailchimp validates addresses, so only case varies.
   */
  private Dataset<Row> mailchimpMembers(Dataset<Row> persons) {
    Column pid = col("pid");
    Column nth = col("nth");
    Column count = when(random.chance(0.15, "mailchimp-second", pid), lit(2L)).otherwise(lit(1L));
    Column firstIsPrimary = random.chance(0.9, "mailchimp-primary", pid);
    Column address = when(nth.equalTo(0).equalTo(firstIsPrimary), col("primary_email"))
        .otherwise(col("secondary_email"));
    return persons
        .where(random.chance(0.6, "in-mailchimp", pid).and(not(col("classic"))))
        .select(col("*"), explode(upTo(count)).as("nth"))
        .select(col("*"), address.as("address"))
        .select(noise.recased(col("address"), "mailchimp", pid, nth).as("email_address"), pid, nth,
            col(TRUE_PERSON))
        .select(
            md5(lower(col("email_address"))).as("id"),
            col("email_address"),
            random.weighted(new String[] {"subscribed", "unsubscribed", "cleaned"},
                new int[] {75, 18, 7}, "mailchimp-status", pid, nth).as("status"),
            col(TRUE_PERSON));
  }

  private static Column fullName() {
    return concat_ws(" ", col("first_name"), col("last_name"));
  }

  /** 0, 1, …, n-1; null (no rows once exploded) when n is 0. */
  private static Column upTo(Column n) {
    return when(n.gt(0), sequence(lit(0L), n.cast("long").minus(1)));
  }

  private static Column after(Column start, Column offsetSeconds, Column jitterSeconds) {
    return timestamp_seconds(unix_seconds(start).plus(offsetSeconds).plus(jitterSeconds));
  }
}
