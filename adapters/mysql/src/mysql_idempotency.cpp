#include "mysql_idempotency.hpp"

#include <optional>

#include "mysql_rows.hpp"

namespace valet::adapters::mysql {

struct KeyTable {
  std::string name;  // prefixes the names of the statements
  const char* lock;
  const char* record_exists;
  const char* insert;
  const char* take_over;
};

const KeyTable kJobKeys{
    "kJobKey",
    "SELECT job_id, expires_at FROM valet_job_keys WHERE idempotency_key = ? FOR UPDATE",
    "SELECT 1 FROM valet_jobs WHERE id = ?",
    "INSERT INTO valet_job_keys (idempotency_key, job_id, expires_at) VALUES (?, ?, ?)",
    "UPDATE valet_job_keys SET job_id = ?, expires_at = ? WHERE idempotency_key = ?",
};

const KeyTable kPipelineKeys{
    "kPipelineKey",
    "SELECT pipeline_id, expires_at FROM valet_pipeline_keys WHERE idempotency_key = ? FOR UPDATE",
    "SELECT 1 FROM valet_pipelines WHERE id = ?",
    "INSERT INTO valet_pipeline_keys (idempotency_key, pipeline_id, expires_at) VALUES (?, ?, ?)",
    "UPDATE valet_pipeline_keys SET pipeline_id = ?, expires_at = ? WHERE idempotency_key = ?",
};

namespace {

constexpr std::size_t kMaxKeyBytes = 255;
// A loser of the race reads the winner on its second try; more are for deadlocks between
// waiters when a winner rolls back (InnoDB's duplicate-key waits take shared locks).
constexpr int kTries = 5;

}  // namespace

Result<std::string> CreateOnce(MysqlConnection& connection, const KeyTable& table,
                               const IdempotencyKey& key, const std::string& id,
                               TimePoint created_at, const std::function<Status()>& insert) {
  if (key.key.size() > kMaxKeyBytes) {
    return Status::InvalidArgument("an idempotency key is at most 255 bytes");
  }
  Status status = Status::Ok();
  for (int tries = 1; tries <= kTries; ++tries) {
    std::optional<std::string> holder;
    bool lost_race = false;
    status = InTransaction(connection, [&]() -> Status {
      // A locking read of a missing row locks nothing under READ COMMITTED: two callers with a
      // new key both get past it, and the primary key of the INSERT below picks the winner.
      auto held = connection.Run(table.name + "Lock", table.lock, {key.key});
      if (!held.ok()) return held.status();
      bool stored = held->rows() == 1;
      if (stored && held->Integer(0, 1) > Micros(created_at)) {
        auto exists =
            connection.Run(table.name + "RecordExists", table.record_exists, {held->Text(0, 0)});
        if (!exists.ok()) return exists.status();
        if (exists->rows() == 1) {
          holder = held->Text(0, 0);
          return Status::Ok();
        }
      }
      // The key first, then the record: a caller that fails on the key has stored nothing.
      auto claimed = stored ? connection.Run(table.name + "TakeOver", table.take_over,
                                             {id, Micros(key.expires_at), key.key})
                            : connection.Run(table.name + "Insert", table.insert,
                                             {key.key, id, Micros(key.expires_at)});
      if (!claimed.ok()) {
        lost_race = !stored && claimed.status().code() == StatusCode::kConflict;
        return claimed.status();
      }
      return insert();
    });
    if (holder) return *std::move(holder);
    if (status.ok()) return id;
    bool deadlocked = status.code() == StatusCode::kUnavailable && !connection.broken();
    if (!lost_race && !deadlocked) break;
  }
  return status;
}

}  // namespace valet::adapters::mysql
