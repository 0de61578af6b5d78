#include "valet/core/job_query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace valet::core {

namespace {

constexpr std::size_t kMaxLabelKey = 63;
constexpr std::size_t kMaxLabelValue = 255;
constexpr char kHex[] = "0123456789abcdef";

bool IsKeyChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/';
}

bool IsTieChar(unsigned char c) { return std::isalnum(c) || c == ':' || c == '-'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Status CheckLabels(const Labels& labels) {
  if (labels.size() > kMaxLabels) {
    return Status::InvalidArgument("a job takes at most " + std::to_string(kMaxLabels) +
                                   " labels, " + std::to_string(labels.size()) + " given");
  }
  for (const auto& [key, value] : labels) {
    bool well_formed = !key.empty() && key.size() <= kMaxLabelKey &&
                       std::isalnum(static_cast<unsigned char>(key[0])) &&
                       std::all_of(key.begin(), key.end(),
                                   [](char c) { return IsKeyChar(static_cast<unsigned char>(c)); });
    if (!well_formed) {
      return Status::InvalidArgument(
          "invalid label key \"" + key +
          "\": 1 to 63 letters, digits, '_', '-', '.' or '/', starting with a letter or digit");
    }
    if (value.size() > kMaxLabelValue) {
      return Status::InvalidArgument("label " + key + ": the value is longer than 255 bytes");
    }
  }
  return Status::Ok();
}

Labels LabelsOf(const Json& stored) {
  Labels labels;
  if (!stored.is_object()) return labels;
  for (const auto& [key, value] : stored.items()) {
    if (value.is_string()) labels.emplace(key, value.get<std::string>());
  }
  return labels;
}

Status CheckJobQuery(const JobQuery& query) {
  if (query.limit > kMaxPageSize) return BadLimit();
  if (query.created_after && query.created_before && *query.created_after > *query.created_before) {
    return Status::InvalidArgument("created_after is later than created_before");
  }
  if (!query.cursor.empty()) {
    if (auto cursor = DecodeCursor(query.cursor); !cursor.ok()) return cursor.status();
  }
  return CheckLabels(query.labels);
}

bool IsPageQuery(const JobQuery& query) {
  return !query.task_name.empty() || !query.labels.empty() || query.created_after ||
         query.created_before || query.limit != 0 || !query.cursor.empty();
}

bool Matches(const Job& job, const JobQuery& query) {
  if (query.status && job.status != *query.status) return false;
  if (!query.task_name.empty() && job.task_name != query.task_name) return false;
  if (query.created_after && job.created_at < *query.created_after) return false;
  if (query.created_before && job.created_at > *query.created_before) return false;
  return std::all_of(query.labels.begin(), query.labels.end(), [&job](const auto& label) {
    auto found = job.labels.find(label.first);
    return found != job.labels.end() && found->second == label.second;
  });
}

// The cursor is the hex of "<micros>.<tie>": opaque to clients, and safe in a URL unescaped.
std::string EncodeCursor(const PageCursor& cursor) {
  std::string plain = std::to_string(cursor.created_micros) + "." + cursor.tie;
  std::string text;
  text.reserve(plain.size() * 2);
  for (unsigned char c : plain) {
    text.push_back(kHex[c >> 4]);
    text.push_back(kHex[c & 0xf]);
  }
  return text;
}

Result<PageCursor> DecodeCursor(const std::string& text) {
  if (text.empty() || text.size() % 2 != 0 || text.size() > 400) return InvalidCursor();
  std::string plain;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int high = HexValue(text[i]);
    int low = HexValue(text[i + 1]);
    if (high < 0 || low < 0) return InvalidCursor();
    plain.push_back(static_cast<char>(high * 16 + low));
  }
  auto dot = plain.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == plain.size()) return InvalidCursor();
  PageCursor cursor;
  auto [end, error] = std::from_chars(plain.data(), plain.data() + dot, cursor.created_micros);
  if (error != std::errc() || end != plain.data() + dot) return InvalidCursor();
  cursor.tie = plain.substr(dot + 1);
  if (!std::all_of(cursor.tie.begin(), cursor.tie.end(),
                   [](char c) { return IsTieChar(static_cast<unsigned char>(c)); })) {
    return InvalidCursor();
  }
  return cursor;
}

Result<SequenceCursor> DecodeSequenceCursor(const std::string& text) {
  auto cursor = DecodeCursor(text);
  if (!cursor.ok()) return cursor.status();
  SequenceCursor position{cursor->created_micros, 0};
  const std::string& tie = cursor->tie;
  auto [end, error] = std::from_chars(tie.data(), tie.data() + tie.size(), position.seq);
  if (error != std::errc() || end != tie.data() + tie.size()) return InvalidCursor();
  return position;
}

void CutPage(JobPage& page, std::size_t limit, const std::string& last_seq) {
  page.jobs.resize(limit);
  page.next_cursor = EncodeCursor({MicrosOf(page.jobs.back().created_at), last_seq});
}

Status BadLimit() {
  return Status::InvalidArgument("limit must be from 1 to " + std::to_string(kMaxPageSize));
}

Status InvalidCursor() { return Status::InvalidArgument("invalid cursor"); }

}  // namespace valet::core
