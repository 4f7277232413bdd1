-- Databricks notebook source
-- MAGIC %md
-- MAGIC # What the identity table answers
-- MAGIC
-- MAGIC Questions that need every tool's records of a person in one place. The cell below runs
-- MAGIC `identity_tables`, which registers the views `identity_map`, `user_identities`, `segment_users`,
-- MAGIC `zendesk_ticket` and `stripe_subscription` (set its widgets to your paths). Every query here reads
-- MAGIC only those views.

-- COMMAND ----------

-- MAGIC %run ./identity_tables

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Tickets and the person who asked
-- MAGIC Each Zendesk ticket's requester is a Zendesk user; `identity_map` gives that user's person.

-- COMMAND ----------

CREATE OR REPLACE TEMPORARY VIEW ticket_person AS
SELECT t.id AS ticket_id, m.person_id
FROM zendesk_ticket t
JOIN identity_map m
  ON m.source = 'zendesk' AND m.source_id = trim(CAST(t.requester_id AS STRING))

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Which referral source sends us the most Zendesk tickets?
-- MAGIC The referral source is Segment's; a person's Segment user is `user_identities.segment_id`
-- MAGIC (the smallest, if a person has several). Tickets from persons without a Segment user are counted
-- MAGIC in the next cell.

-- COMMAND ----------

SELECT s.referral_source, count(*) AS tickets, count(DISTINCT tp.person_id) AS persons
FROM ticket_person tp
JOIN user_identities u ON u.person_id = tp.person_id
JOIN segment_users s ON trim(CAST(s.id AS STRING)) = u.segment_id
GROUP BY s.referral_source
ORDER BY tickets DESC, referral_source

-- COMMAND ----------

SELECT count(*) AS tickets,
       count_if(u.segment_id IS NOT NULL) AS with_segment_user,
       count_if(u.segment_id IS NULL) AS without_segment_user,
       round(100 * count_if(u.segment_id IS NOT NULL) / count(*), 1) AS attributed_pct
FROM ticket_person tp
JOIN user_identities u ON u.person_id = tp.person_id

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## How many tickets do we receive per Stripe pricing tier?
-- MAGIC A person's tier is the plan of their most expensive subscription that is not canceled, across all of
-- MAGIC their Stripe customers; a person with Stripe customers but no such subscription counts as
-- MAGIC `(no current subscription)`. Tickets from persons without any Stripe customer are left out.

-- COMMAND ----------

CREATE OR REPLACE TEMPORARY VIEW person_tier AS
SELECT m.person_id, coalesce(max_by(s.plan, s.amount), '(no current subscription)') AS tier
FROM identity_map m
LEFT JOIN stripe_subscription s
  ON s.customer = m.source_id AND s.status <> 'canceled'
WHERE m.source = 'stripe'
GROUP BY m.person_id

-- COMMAND ----------

SELECT pt.tier, count(*) AS tickets, count(DISTINCT tp.person_id) AS persons
FROM ticket_person tp
JOIN person_tier pt ON pt.person_id = tp.person_id
GROUP BY pt.tier
ORDER BY tickets DESC, tier

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Match rates
-- MAGIC Per source: how its records were matched, and the share that belongs to a person with a Segment
-- MAGIC user (what a join on Segment would keep) or with a Stripe customer.

-- COMMAND ----------

SELECT m.source,
       count(*) AS records,
       count_if(m.match_rule = 'anchor') AS anchor,
       count_if(m.match_rule = 'external_id') AS by_external_id,
       count_if(m.match_rule = 'email') AS by_email,
       count_if(m.match_rule = 'unmatched') AS unmatched,
       round(100 * count_if(u.segment_id IS NOT NULL) / count(*), 1) AS with_segment_user_pct,
       round(100 * count_if(u.stripe_id IS NOT NULL) / count(*), 1) AS with_stripe_customer_pct
FROM identity_map m
JOIN user_identities u ON u.person_id = m.person_id
GROUP BY m.source
ORDER BY m.source

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## How many tools know each person?

-- COMMAND ----------

SELECT sources, count(*) AS persons
FROM (SELECT person_id, count(DISTINCT source) AS sources FROM identity_map GROUP BY person_id)
GROUP BY sources
ORDER BY sources
