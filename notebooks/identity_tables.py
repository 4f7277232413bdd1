# Databricks notebook source
# MAGIC %md
# MAGIC # identity-join: the tables a run wrote
# MAGIC
# MAGIC Run the job first (`databricks bundle run identity_join`, see the README's "Run on Databricks"),
# MAGIC then point the two widgets above at its `output.path` and at the folder holding the SaaS tables.
# MAGIC This notebook registers the temporary views every SQL cell here and in `identity_questions` reads:
# MAGIC
# MAGIC | view | table |
# MAGIC | --- | --- |
# MAGIC | `identity_map` | `<output_path>/identity_map`: one row per record (`person_id, source, source_id, email, match_rule`) |
# MAGIC | `user_identities` | `<output_path>/user_identities`: one row per person (`person_id, email, record_count, <source>_id, <source>_ids, person_bucket`) |
# MAGIC | `run_summary` | `<output_path>/run_summary.json` |
# MAGIC | `segment_users` | `<lake_path>/segment/users` (`id, email, name, referral_source, ...`) |
# MAGIC | `zendesk_ticket` | `<lake_path>/zendesk/ticket` (`id, requester_id, subject, status, created_at`) |
# MAGIC | `stripe_subscription` | `<lake_path>/stripe/subscription` (`id, customer, plan, amount, status, created_at`) |
# MAGIC
# MAGIC If your SaaS tables are catalog tables rather than folders, replace the last three with
# MAGIC `spark.table("main.zendesk.ticket").createOrReplaceTempView("zendesk_ticket")` and so on.

# COMMAND ----------

dbutils.widgets.text("output_path", "/Volumes/main/identity/lake/identity", "identity-join output.path")
dbutils.widgets.text("lake_path", "/Volumes/main/identity/lake", "Folder of segment/, zendesk/, stripe/")
output_path = dbutils.widgets.get("output_path").rstrip("/")
lake_path = dbutils.widgets.get("lake_path").rstrip("/")


def table_format(path):
    """Delta if the folder has a transaction log, else Parquet (the sample writes both)."""
    try:
        dbutils.fs.ls(path + "/_delta_log")
        return "delta"
    except Exception:
        return "parquet"


views = {
    "identity_map": output_path + "/identity_map",
    "user_identities": output_path + "/user_identities",
    "segment_users": lake_path + "/segment/users",
    "zendesk_ticket": lake_path + "/zendesk/ticket",
    "stripe_subscription": lake_path + "/stripe/subscription",
}
for view, path in views.items():
    spark.read.format(table_format(path)).load(path).createOrReplaceTempView(view)
spark.read.option("multiLine", "true").json(output_path + "/run_summary.json").createOrReplaceTempView("run_summary")

# COMMAND ----------

# MAGIC %md
# MAGIC ## The run
# MAGIC Rows read and records per source with their match rules, from `run_summary.json` (which also holds the
# MAGIC links per rule, persons, connected-component rounds and stage timings: `SELECT * FROM run_summary`).

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT run_id, src.source, src.rows_read, src.records, src.match_rules
# MAGIC FROM (SELECT run_id, explode(sources) AS src FROM run_summary)

# COMMAND ----------

# MAGIC %md
# MAGIC ## How each source's records were matched
# MAGIC `anchor`: a Segment user; `external_id`: linked by the external id; `email`: linked by e-mail only; `unmatched`: a person of its own.

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT source, match_rule, count(*) AS records
# MAGIC FROM identity_map
# MAGIC GROUP BY source, match_rule
# MAGIC ORDER BY source, match_rule

# COMMAND ----------

# MAGIC %md
# MAGIC ## The largest persons
# MAGIC Worth a look after every run: an unexpectedly large person usually means a shared address (support@, info@) joining strangers.

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT person_id, email, record_count
# MAGIC FROM user_identities
# MAGIC ORDER BY record_count DESC, person_id
# MAGIC LIMIT 20
