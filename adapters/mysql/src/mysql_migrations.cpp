#include "mysql_migrations.hpp"

#include <string>
#include <vector>

namespace valet::adapters::mysql {

namespace {

// Each step is applied once, in order. Add new steps at the end; never edit an applied one.
// MySQL commits DDL implicitly, so a step cannot be rolled back: every statement is written to
// be harmless when run again (IF NOT EXISTS), and a step that failed half-way is simply rerun.
//
// Timestamps are BIGINT microseconds since the Unix epoch: exact, free of the session time zone,
// and compared as integers by the indexes. Ids are CHAR(36) UUID text. Text and JSON columns are
// utf8mb4 with a binary collation, so values come back byte for byte and compare exactly.
const std::vector<std::vector<const char*>> kSteps = {
    // 1: jobs, pipelines and results. `seq` keeps creation order for equal timestamps;
    // deleting a pipeline deletes its jobs, deleting a job deletes its result.
    {
        R"sql(
        CREATE TABLE IF NOT EXISTS valet_pipelines (
          id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
          seq BIGINT NOT NULL AUTO_INCREMENT UNIQUE,
          name MEDIUMTEXT NOT NULL,
          description MEDIUMTEXT NOT NULL,
          status SMALLINT NOT NULL,
          run_at BIGINT NULL,
          created_at BIGINT NOT NULL,
          started_at BIGINT NULL,
          completed_at BIGINT NULL,
          INDEX valet_pipelines_by_creation (created_at, seq),
          INDEX valet_pipelines_by_status (status, created_at, seq)
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        )sql",
        R"sql(
        CREATE TABLE IF NOT EXISTS valet_jobs (
          id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
          seq BIGINT NOT NULL AUTO_INCREMENT UNIQUE,
          name MEDIUMTEXT NOT NULL,
          description MEDIUMTEXT NOT NULL,
          task_name MEDIUMTEXT NOT NULL,
          task_params LONGTEXT NULL,
          timeout INT NOT NULL DEFAULT 0,
          status SMALLINT NOT NULL,
          failure_reason MEDIUMTEXT NOT NULL,
          pipeline_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
          pipeline_position INT NULL,
          next_job_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
          previous_job_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
          use_previous_results BOOLEAN NOT NULL DEFAULT FALSE,
          run_at BIGINT NULL,
          scheduled_at BIGINT NULL,
          created_at BIGINT NOT NULL,
          started_at BIGINT NULL,
          completed_at BIGINT NULL,
          INDEX valet_jobs_by_creation (created_at, seq),
          INDEX valet_jobs_by_status (status, created_at, seq),
          INDEX valet_jobs_by_pipeline (pipeline_id, pipeline_position),
          CONSTRAINT valet_jobs_pipeline FOREIGN KEY (pipeline_id)
            REFERENCES valet_pipelines (id) ON DELETE CASCADE
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        )sql",
        R"sql(
        CREATE TABLE IF NOT EXISTS valet_results (
          job_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
          metadata LONGTEXT NULL,
          error MEDIUMTEXT NOT NULL,
          CONSTRAINT valet_results_job FOREIGN KEY (job_id)
            REFERENCES valet_jobs (id) ON DELETE CASCADE
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        )sql",
    },
    // 2: due-job lookup: PENDING jobs by run_at, in claim order.
    {
        "CREATE INDEX IF NOT EXISTS valet_jobs_due ON valet_jobs (status, run_at, seq)",
    },
    // 3: leases, retries, stranded jobs and Idempotency-Keys. The new columns have defaults (a
    // job running from before has no lease, so it counts as expired), which MariaDB adds without
    // rewriting the table. Each index serves one sweep as a range in the order it returns:
    // expired leases (NULL first), PENDING jobs that wait for nothing by creation, and SCHEDULED
    // jobs by the time they were queued. Tokens and keys are VARBINARY because utf8mb4_bin pads:
    // it would take "k" and "k " for one key. A key row names its record without a foreign key:
    // a key whose record was deleted is free, so deletes need not touch the key tables.
    {
        R"sql(
        ALTER TABLE valet_jobs
          ADD COLUMN IF NOT EXISTS max_retries INT NOT NULL DEFAULT 0,
          ADD COLUMN IF NOT EXISTS attempt INT NOT NULL DEFAULT 0,
          ADD COLUMN IF NOT EXISTS attempts LONGTEXT NULL,
          ADD COLUMN IF NOT EXISTS lease_token VARBINARY(255) NOT NULL DEFAULT '',
          ADD COLUMN IF NOT EXISTS lease_expires_at BIGINT NULL
        )sql",
        "CREATE INDEX IF NOT EXISTS valet_jobs_leases "
        "ON valet_jobs (status, lease_expires_at, seq)",
        "CREATE INDEX IF NOT EXISTS valet_jobs_unqueued "
        "ON valet_jobs (status, run_at, previous_job_id, created_at, seq)",
        "CREATE INDEX IF NOT EXISTS valet_jobs_queued ON valet_jobs (status, scheduled_at, seq)",
        R"sql(
        CREATE TABLE IF NOT EXISTS valet_job_keys (
          idempotency_key VARBINARY(255) NOT NULL PRIMARY KEY,
          job_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
          expires_at BIGINT NOT NULL
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        )sql",
        R"sql(
        CREATE TABLE IF NOT EXISTS valet_pipeline_keys (
          idempotency_key VARBINARY(255) NOT NULL PRIMARY KEY,
          pipeline_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
          expires_at BIGINT NOT NULL
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        )sql",
    },
    // 4: schedules, timestamps in microseconds like every other table. A name may be longer than
    // an index key can hold, so its uniqueness is a unique index on its SHA-256, kept in a stored
    // generated column that no write can forget; hashing the bytes also tells "k" from "k ",
    // which the padding utf8mb4_bin would take as one name. The due lookup is a range over
    // (next_run_at, id) past the NULLs of the schedules that have no next tick.
    {
        R"sql(
        CREATE TABLE IF NOT EXISTS valet_schedules (
          id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
          name MEDIUMTEXT NOT NULL,
          name_hash BINARY(32) AS (UNHEX(SHA2(name, 256))) STORED,
          description MEDIUMTEXT NOT NULL,
          timing LONGTEXT NOT NULL,
          target LONGTEXT NOT NULL,
          paused BOOLEAN NOT NULL DEFAULT FALSE,
          next_run_at BIGINT NULL,
          last_runs LONGTEXT NULL,
          origin MEDIUMTEXT NOT NULL,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          revision BIGINT NOT NULL DEFAULT 0,
          UNIQUE INDEX valet_schedules_by_name (name_hash),
          INDEX valet_schedules_by_creation (created_at, id),
          INDEX valet_schedules_due (next_run_at, id)
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        )sql",
    },
    // 5: groups, timestamps in microseconds like every other table. `definition` is JSON text.
    // Lists range over (created_at, id), or over (status, created_at, id) for one status.
    {
        R"sql(
        CREATE TABLE IF NOT EXISTS valet_groups (
          id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
          name MEDIUMTEXT NOT NULL,
          description MEDIUMTEXT NOT NULL,
          definition LONGTEXT NOT NULL,
          status SMALLINT NOT NULL,
          failure_reason MEDIUMTEXT NOT NULL,
          created_at BIGINT NOT NULL,
          completed_at BIGINT NULL,
          revision BIGINT NOT NULL DEFAULT 0,
          INDEX valet_groups_by_creation (created_at, id),
          INDEX valet_groups_by_status (status, created_at, id)
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        )sql",
    },
    // 6: a running attempt's progress, JSON text like `attempts`.
    {
        "ALTER TABLE valet_jobs ADD COLUMN IF NOT EXISTS progress LONGTEXT NULL",
    },
    // 7: labels, a JSON object as text. Label filters read it with JSON_VALUE while walking the
    // status or creation index.
    {
        "ALTER TABLE valet_jobs ADD COLUMN IF NOT EXISTS labels LONGTEXT NULL",
    },
    // 8: retention's indexes. MariaDB has no partial indexes, so `finished_at` is completed_at
    // for a finished job of no pipeline (pipeline jobs have a position) and for a finished
    // pipeline, NULL otherwise; virtual, so adding it rewrites no row, only builds the index.
    {
        "ALTER TABLE valet_jobs ADD COLUMN IF NOT EXISTS finished_at BIGINT AS "
        "(IF(status >= 4 AND pipeline_position IS NULL, completed_at, NULL)) VIRTUAL",
        "CREATE INDEX IF NOT EXISTS valet_jobs_finished ON valet_jobs (finished_at, seq)",
        "ALTER TABLE valet_pipelines ADD COLUMN IF NOT EXISTS finished_at BIGINT AS "
        "(IF(status >= 4, completed_at, NULL)) VIRTUAL",
        "CREATE INDEX IF NOT EXISTS valet_pipelines_finished ON valet_pipelines "
        "(finished_at, seq)",
    },
};

}  // namespace

Result<int> SchemaVersion(MysqlConnection& connection) {
  auto exists = connection.Execute(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND "
      "table_name = 'valet_schema_migrations'");
  if (!exists.ok()) return exists.status();
  if (exists->rows() == 0) return 0;
  auto version =
      connection.Execute("SELECT COALESCE(MAX(version), 0) FROM valet_schema_migrations");
  if (!version.ok()) return version.status();
  return static_cast<int>(version->Integer(0, 0));
}

Status Migrate(MysqlConnection& connection, int target_version) {
  // One lock per database, held for the whole run: a second process waits, then finds nothing to
  // do. Lock names are at most 64 characters; database names are too, so the prefix is short.
  const std::string key = "LEFT(CONCAT('valet:', DATABASE()), 64)";
  auto locked = connection.Execute("SELECT GET_LOCK(" + key + ", 30)");
  if (!locked.ok()) return locked.status();
  if (locked->Integer(0, 0) != 1) {
    return Status::Unavailable("mysql: another process holds the migration lock");
  }
  Status outcome = Status::Ok();
  auto table = connection.Execute(
      "CREATE TABLE IF NOT EXISTS valet_schema_migrations ("
      " version INT NOT NULL PRIMARY KEY,"
      " applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE = InnoDB");
  auto current = table.ok() ? SchemaVersion(connection) : Result<int>(table.status());
  if (!current.ok()) outcome = current.status();
  for (int version = current.ok() ? *current + 1 : target_version + 1;
       outcome.ok() && version <= target_version; ++version) {
    for (const char* statement : kSteps[static_cast<std::size_t>(version - 1)]) {
      if (auto applied = connection.Execute(statement); !applied.ok()) {
        outcome = Status(applied.status().code(), "schema migration " + std::to_string(version) +
                                                      " failed: " + applied.status().message());
        break;
      }
    }
    if (outcome.ok()) {
      auto recorded = connection.Execute("INSERT INTO valet_schema_migrations (version) VALUES (" +
                                         std::to_string(version) + ")");
      if (!recorded.ok()) outcome = recorded.status();
    }
  }
  connection.Execute("SELECT RELEASE_LOCK(" + key + ")").status().IgnoreError();
  return outcome;
}

}  // namespace valet::adapters::mysql
