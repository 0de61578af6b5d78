#pragma once

#include <functional>
#include <string>

#include "mysql_connection.hpp"
#include "valet/ports/job_repository.hpp"

namespace valet::adapters::mysql {

// The statements of one namespace of Idempotency-Keys: its key table and the records it names.
struct KeyTable;
extern const KeyTable kJobKeys;
extern const KeyTable kPipelineKeys;

// The body of CreateJobOnce() and CreatePipelineOnce() on `connection`: in one transaction, finds
// the record that holds `key` (its row locked, so concurrent callers take turns) or, when the key
// is free, claims it for `id` and runs `insert` to store the record. Returns the holder's id, or
// `id`. A caller that loses the race for a new key is told by the unique key, rolls back and
// reads the winner. kInvalidArgument for a key longer than 255 bytes; `insert`'s error otherwise.
Result<std::string> CreateOnce(MysqlConnection& connection, const KeyTable& table,
                               const IdempotencyKey& key, const std::string& id,
                               TimePoint created_at, const std::function<Status()>& insert);

}  // namespace valet::adapters::mysql
