#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "valet/ports/job_repository.hpp"

namespace valet::core {

// What a job's labels may hold: up to kMaxLabels of them, each key 1 to 63 characters of
// letters, digits and `_ - . /` starting with a letter or digit, each value up to 255 bytes.
// Keys are kept that plain so that every backend can file and query them as they are.
inline constexpr std::size_t kMaxLabels = 20;
Status CheckLabels(const Labels& labels);

// Labels read back from the JSON object a backend stored them as; entries that are not strings,
// and anything that is not an object, are left out.
Labels LabelsOf(const Json& stored);

// The most jobs one page of a list may ask for, and the size of the pages that a cursor given
// without a limit goes on with.
inline constexpr std::size_t kMaxPageSize = 1000;
inline constexpr std::size_t kDefaultPageSize = 100;
// "limit must be from 1 to 1000".
Status BadLimit();
// A query as a client may send it: a limit up to kMaxPageSize, labels as CheckLabels() takes
// them, and a created range that is not upside down.
Status CheckJobQuery(const JobQuery& query);

// Whether the query asks for more than valet's status filter, so that the API replies with a
// page rather than valet's whole list.
bool IsPageQuery(const JobQuery& query);

// Whether `job` passes every filter of `query` (the cursor and limit aside), for the backends
// that filter in process.
bool Matches(const Job& job, const JobQuery& query);

// Where a page ended: the last job's created_at and the backend's tie-breaker among jobs created
// in the same microsecond (its creation sequence). Clients see it only as an opaque string.
struct PageCursor {
  std::int64_t created_micros = 0;
  std::string tie;  // letters, digits, ':' and '-' only
};

// A cursor whose tie is a creation sequence number, as the SQL and memory backends hand out.
struct SequenceCursor {
  std::int64_t created_micros = 0;
  std::int64_t seq = 0;
};

std::string EncodeCursor(const PageCursor& cursor);
// kInvalidArgument "invalid cursor" unless the tie of `text` is a sequence number.
Result<SequenceCursor> DecodeSequenceCursor(const std::string& text);
// For a page read with one job past `limit`: drops that job and points next_cursor at the last
// one kept, whose creation sequence is `last_seq`.
void CutPage(JobPage& page, std::size_t limit, const std::string& last_seq);
// kInvalidArgument "invalid cursor" unless `text` came from EncodeCursor().
Result<PageCursor> DecodeCursor(const std::string& text);
Status InvalidCursor();

inline std::int64_t MicrosOf(TimePoint time) { return time.time_since_epoch().count(); }

}  // namespace valet::core
