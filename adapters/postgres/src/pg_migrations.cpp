#include "pg_migrations.hpp"

#include <vector>

namespace valet::adapters::postgres {

namespace {

// Each step is applied once, in order. Add new steps at the end; never edit an applied one.
const std::vector<const char*> kSteps = {
    // 1: jobs, pipelines and results. `seq` keeps creation order for equal timestamps;
    // deleting a pipeline deletes its jobs, deleting a job deletes its result.
    R"sql(
    CREATE TABLE valet_pipelines (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      status smallint NOT NULL,
      run_at timestamptz,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      completed_at timestamptz
    );
    CREATE INDEX valet_pipelines_by_creation ON valet_pipelines (created_at, seq);
    CREATE INDEX valet_pipelines_by_status ON valet_pipelines (status, created_at, seq);
    CREATE TABLE valet_jobs (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      task_name text NOT NULL,
      task_params json,
      timeout integer NOT NULL DEFAULT 0,
      status smallint NOT NULL,
      failure_reason text NOT NULL DEFAULT '',
      pipeline_id uuid REFERENCES valet_pipelines (id) ON DELETE CASCADE,
      pipeline_position integer,
      next_job_id uuid,
      previous_job_id uuid,
      use_previous_results boolean NOT NULL DEFAULT false,
      run_at timestamptz,
      scheduled_at timestamptz,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      completed_at timestamptz
    );
    CREATE INDEX valet_jobs_by_creation ON valet_jobs (created_at, seq);
    CREATE INDEX valet_jobs_by_status ON valet_jobs (status, created_at, seq);
    CREATE INDEX valet_jobs_by_pipeline ON valet_jobs (pipeline_id, pipeline_position);
    CREATE TABLE valet_results (
      job_id uuid PRIMARY KEY REFERENCES valet_jobs (id) ON DELETE CASCADE,
      metadata json,
      error text NOT NULL DEFAULT ''
    );
    )sql",
    // 2: due-job lookup touches only PENDING jobs that have a run_at.
    R"sql(
    CREATE INDEX valet_jobs_due ON valet_jobs (run_at, seq)
      WHERE status = 1 AND run_at IS NOT NULL;
    )sql",
    // 3: jobs outside pipelines (most of them) stay out of the pipeline index, so their status
    // changes, which rewrite every index entry of the row, write one index less.
    R"sql(
    CREATE INDEX valet_jobs_in_pipeline ON valet_jobs (pipeline_id, pipeline_position)
      WHERE pipeline_id IS NOT NULL;
    DROP INDEX valet_jobs_by_pipeline;
    )sql",
    // 4: leases, retries and idempotency keys. The new columns have constant defaults, so adding
    // them rewrites no row. The lease index holds only IN_PROGRESS jobs, ordered by expiry with
    // the jobs that have no lease (started before this step) first; its expression must match
    // the one in ListExpiredLeases. A key row goes with the job or pipeline that holds it, so a
    // stored key always names a record that exists.
    R"sql(
    ALTER TABLE valet_jobs
      ADD COLUMN max_retries integer NOT NULL DEFAULT 0,
      ADD COLUMN attempt integer NOT NULL DEFAULT 0,
      ADD COLUMN attempts json,
      ADD COLUMN lease_token text NOT NULL DEFAULT '',
      ADD COLUMN lease_expires_at timestamptz;
    CREATE INDEX valet_jobs_leases
      ON valet_jobs ((coalesce(lease_expires_at, '-infinity')), seq) WHERE status = 3;
    CREATE TABLE valet_job_keys (
      key bytea PRIMARY KEY,
      job_id uuid NOT NULL REFERENCES valet_jobs (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX valet_job_keys_by_job ON valet_job_keys (job_id);
    CREATE TABLE valet_pipeline_keys (
      key bytea PRIMARY KEY,
      pipeline_id uuid NOT NULL REFERENCES valet_pipelines (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX valet_pipeline_keys_by_pipeline ON valet_pipeline_keys (pipeline_id);
    )sql",
    // 5: schedules. `timing`, `target` and `last_runs` are json, which keeps the text as written.
    // Lists are by (created_at, id); the due lookup ranges over the schedules that have a next
    // tick only, so paused ones cost it nothing.
    R"sql(
    CREATE TABLE valet_schedules (
      id uuid PRIMARY KEY,
      name text NOT NULL UNIQUE,
      description text NOT NULL DEFAULT '',
      timing json NOT NULL,
      target json NOT NULL,
      paused boolean NOT NULL DEFAULT false,
      next_run_at timestamptz,
      last_runs json,
      origin text NOT NULL DEFAULT 'api',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      revision bigint NOT NULL DEFAULT 0
    );
    CREATE INDEX valet_schedules_by_creation ON valet_schedules (created_at, id);
    CREATE INDEX valet_schedules_due ON valet_schedules (next_run_at, id)
      WHERE next_run_at IS NOT NULL;
    )sql",
    // 6: groups. `definition` is json, which keeps the text as written. Lists are by
    // (created_at, id), all of them or those in one status (the PENDING ones are what every
    // instance watches).
    R"sql(
    CREATE TABLE valet_groups (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      definition json NOT NULL,
      status smallint NOT NULL,
      failure_reason text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL,
      completed_at timestamptz,
      revision bigint NOT NULL DEFAULT 0
    );
    CREATE INDEX valet_groups_by_creation ON valet_groups (created_at, id);
    CREATE INDEX valet_groups_by_status ON valet_groups (status, created_at, id);
    )sql",
    // 7: a running attempt's progress, as json. No default: adding it rewrites no row.
    R"sql(
    ALTER TABLE valet_jobs ADD COLUMN progress json;
    )sql",
    // 8: labels, as jsonb for containment (labels @> '{"k":"v"}'). The GIN index holds only the
    // jobs that have labels, so the others cost it nothing.
    R"sql(
    ALTER TABLE valet_jobs ADD COLUMN labels jsonb;
    CREATE INDEX valet_jobs_labels ON valet_jobs USING gin (labels jsonb_path_ops)
      WHERE labels IS NOT NULL;
    )sql",
    // 9: retention's indexes: finished jobs of no pipeline and finished pipelines, by completion.
    R"sql(
    CREATE INDEX valet_jobs_finished ON valet_jobs (completed_at, seq)
      WHERE status >= 4 AND pipeline_id IS NULL;
    CREATE INDEX valet_pipelines_finished ON valet_pipelines (completed_at, seq)
      WHERE status >= 4;
    )sql",
};

}  // namespace

Result<int> SchemaVersion(PgConnection& connection) {
  auto exists = connection.Execute(
      "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND "
      "tablename = 'valet_schema_migrations'");
  if (!exists.ok()) return exists.status();
  if (exists->rows() == 0) return 0;
  auto version =
      connection.Execute("SELECT coalesce(max(version), 0) FROM valet_schema_migrations");
  if (!version.ok()) return version.status();
  return static_cast<int>(version->Integer(0, 0));
}

Status Migrate(PgConnection& connection, const std::string& schema, int target_version) {
  // One lock per schema, held for the whole run: a second process waits, then finds nothing to do.
  // `schema` is a plain identifier (checked by the caller), so it can be spliced in.
  std::string key = "hashtext('valet_migrations:" + schema + "')";
  if (auto created = connection.Execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
      !created.ok()) {
    // Another process may have created it at the same moment; the lock below sorts that out.
    if (created.status().code() != StatusCode::kConflict) return created.status();
  }
  if (auto locked = connection.Execute("SELECT pg_advisory_lock(" + key + ")"); !locked.ok()) {
    return locked.status();
  }
  Status outcome = Status::Ok();
  auto table = connection.Execute(
      "CREATE TABLE IF NOT EXISTS valet_schema_migrations ("
      " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
  auto current = table.ok() ? SchemaVersion(connection) : Result<int>(table.status());
  if (!current.ok()) outcome = current.status();
  for (int version = current.ok() ? *current + 1 : target_version + 1;
       outcome.ok() && version <= target_version; ++version) {
    std::string step = std::string("BEGIN;") + kSteps[static_cast<std::size_t>(version - 1)] +
                       "INSERT INTO valet_schema_migrations (version) VALUES (" +
                       std::to_string(version) + "); COMMIT;";
    if (auto applied = connection.Execute(step); !applied.ok()) {
      connection.Execute("ROLLBACK").status().IgnoreError();
      outcome = Status(applied.status().code(), "schema migration " + std::to_string(version) +
                                                    " failed: " + applied.status().message());
    }
  }
  connection.Execute("SELECT pg_advisory_unlock(" + key + ")").status().IgnoreError();
  return outcome;
}

}  // namespace valet::adapters::postgres
