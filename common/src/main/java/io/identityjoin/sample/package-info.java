/**
 * A synthetic SaaS estate with ground truth, for tests, demos and benchmarks of identity-join.
 *
 * <p>{@link io.identityjoin.sample.SampleGenerator} builds the tables (pure, from
 * {@code spark.range}); {@link io.identityjoin.sample.SampleWriter} writes them under a folder
 * (Zendesk's users as Delta, the rest as Parquet). Each user table's {@code true_person} column
 * names the true person; the job must ignore it, evaluation compares against it.
 */
package io.identityjoin.sample;
