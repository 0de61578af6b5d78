#include "mysql_connection.hpp"

#include <charconv>
#include <cstring>
#include <mutex>

namespace valet::adapters::mysql {

namespace {

// Client errors (2000-2999: server gone, lost, out of sync...), a shutdown (1053), a killed
// connection (1927) or an idle disconnect (4031) leave the connection unusable.
bool BreaksConnection(unsigned int code) {
  return (code >= 2000 && code < 3000) || code == 1053 || code == 1927 || code == 4031;
}

constexpr unsigned int kDuplicateEntry = 1062;
constexpr unsigned int kLockWaitTimeout = 1205;
constexpr unsigned int kDeadlock = 1213;

// Columns start with this much room; a longer value is fetched again at its full length.
constexpr unsigned long kInitialColumnBuffer = 256;

}  // namespace

long long MysqlResult::Integer(int row, int column) const {
  const std::string text = Text(row, column);
  long long value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::optional<long long> MysqlResult::OptionalInteger(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Integer(row, column);
}

Result<std::unique_ptr<MysqlConnection>> MysqlConnection::Open(const MysqlEndpoint& endpoint,
                                                               const std::string& database) {
  // mysql_init() would initialise the library on first use, which is not thread-safe.
  static std::once_flag library_initialised;
  std::call_once(library_initialised, [] { mysql_library_init(0, nullptr, nullptr); });
  MYSQL* mysql = mysql_init(nullptr);
  if (!mysql) return Status::Unavailable("mysql: out of memory while connecting");
  unsigned int connect_timeout = 3;
  unsigned int io_timeout = 60;
  mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
  mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
  mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // READ COMMITTED: the locking reads of ClaimDueJobs take no gap locks that would block inserts.
  mysql_options(mysql, MYSQL_INIT_COMMAND,
                "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
  mysql_options(
      mysql, MYSQL_INIT_COMMAND,
      "SET time_zone = '+00:00', group_concat_max_len = 67108864, sql_mode = "
      "'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
  // CLIENT_FOUND_ROWS: an UPDATE reports the rows it matched, so a patch that writes the values a
  // row already has is not mistaken for a missing row.
  if (!mysql_real_connect(mysql, endpoint.host.c_str(), endpoint.user.c_str(),
                          endpoint.password.c_str(), database.empty() ? nullptr : database.c_str(),
                          endpoint.port, nullptr, CLIENT_FOUND_ROWS)) {
    std::string error = mysql_error(mysql);
    unsigned int code = mysql_errno(mysql);
    mysql_close(mysql);
    if (BreaksConnection(code)) return Status::Unavailable("mysql is unavailable: " + error);
    return Status::Internal("mysql: cannot connect: " + error);
  }
  return std::unique_ptr<MysqlConnection>(new MysqlConnection(mysql));
}

MysqlConnection::~MysqlConnection() {
  for (auto& [name, statement] : prepared_) mysql_stmt_close(statement);
  mysql_close(mysql_);
}

bool MysqlConnection::StillAlive() {
  if (broken_) return false;
  // A connection used within the last second is trusted; an older one costs one round trip.
  auto now = std::chrono::steady_clock::now();
  if (now - last_used_ < std::chrono::seconds(1)) return true;
  last_used_ = now;
  if (mysql_ping(mysql_) != 0) broken_ = true;
  return !broken_;
}

Status MysqlConnection::Error(unsigned int code, const char* message) {
  std::string text = message ? message : "";
  if (BreaksConnection(code)) {
    broken_ = true;
    return Status::Unavailable("mysql is unavailable: " + text);
  }
  if (code == kDuplicateEntry) return Status::Conflict(text);
  if (code == kLockWaitTimeout || code == kDeadlock) {
    return Status::Unavailable("mysql: " + text + " (try again)");
  }
  return Status::Internal("mysql: " + text);
}

Result<MysqlResult> MysqlConnection::Run(const std::string& name, const char* sql,
                                         const MysqlParams& params) {
  last_used_ = std::chrono::steady_clock::now();
  auto found = prepared_.find(name);
  if (found == prepared_.end()) {
    MYSQL_STMT* statement = mysql_stmt_init(mysql_);
    if (!statement) return Error(mysql_errno(mysql_), mysql_error(mysql_));
    if (mysql_stmt_prepare(statement, sql, std::strlen(sql)) != 0) {
      Status error = Error(mysql_stmt_errno(statement), mysql_stmt_error(statement));
      mysql_stmt_close(statement);
      return error;
    }
    found = prepared_.emplace(name, statement).first;
  }
  MYSQL_STMT* statement = found->second;
  std::vector<MYSQL_BIND> binds(params.size());
  std::vector<unsigned long> lengths(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    MYSQL_BIND& bind = binds[i];
    if (const auto* text = std::get_if<std::string>(&params[i])) {
      lengths[i] = static_cast<unsigned long>(text->size());
      bind.buffer_type = MYSQL_TYPE_STRING;
      bind.buffer = const_cast<char*>(text->data());
      bind.buffer_length = lengths[i];
      bind.length = &lengths[i];
    } else if (const auto* number = std::get_if<long long>(&params[i])) {
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = const_cast<long long*>(number);
    } else {
      bind.buffer_type = MYSQL_TYPE_NULL;
    }
  }
  if ((!binds.empty() && mysql_stmt_bind_param(statement, binds.data()) != 0) ||
      mysql_stmt_execute(statement) != 0) {
    return Error(mysql_stmt_errno(statement), mysql_stmt_error(statement));
  }
  return Fetch(statement);
}

Result<MysqlResult> MysqlConnection::Fetch(MYSQL_STMT* statement) {
  MysqlResult result;
  MYSQL_RES* metadata = mysql_stmt_result_metadata(statement);
  if (!metadata) {
    result.affected_rows_ = static_cast<long long>(mysql_stmt_affected_rows(statement));
    return result;
  }
  unsigned int columns = mysql_num_fields(metadata);
  mysql_free_result(metadata);
  std::vector<MYSQL_BIND> binds(columns);
  std::vector<std::string> buffers(columns, std::string(kInitialColumnBuffer, '\0'));
  std::vector<unsigned long> lengths(columns);
  std::vector<my_bool> nulls(columns);
  for (unsigned int i = 0; i < columns; ++i) {
    binds[i].buffer_type = MYSQL_TYPE_STRING;
    binds[i].buffer = buffers[i].data();
    binds[i].buffer_length = kInitialColumnBuffer;
    binds[i].length = &lengths[i];
    binds[i].is_null = &nulls[i];
  }
  Status status = Status::Ok();
  if (mysql_stmt_bind_result(statement, binds.data()) != 0) {
    status = Error(mysql_stmt_errno(statement), mysql_stmt_error(statement));
  }
  while (status.ok()) {
    int fetched = mysql_stmt_fetch(statement);
    if (fetched == MYSQL_NO_DATA) break;
    if (fetched == 1) {
      status = Error(mysql_stmt_errno(statement), mysql_stmt_error(statement));
      break;
    }
    MysqlResult::Row row(columns);
    for (unsigned int i = 0; i < columns && status.ok(); ++i) {
      if (nulls[i]) continue;
      if (lengths[i] <= kInitialColumnBuffer) {
        row[i] = std::string(buffers[i].data(), lengths[i]);
        continue;
      }
      std::string value(lengths[i], '\0');
      unsigned long length = 0;
      MYSQL_BIND whole{};
      whole.buffer_type = MYSQL_TYPE_STRING;
      whole.buffer = value.data();
      whole.buffer_length = lengths[i];
      whole.length = &length;
      if (mysql_stmt_fetch_column(statement, &whole, i, 0) != 0) {
        status = Error(mysql_stmt_errno(statement), mysql_stmt_error(statement));
      }
      row[i] = std::move(value);
    }
    result.rows_.push_back(std::move(row));
  }
  mysql_stmt_free_result(statement);
  if (!status.ok()) return status;
  return result;
}

Result<MysqlResult> MysqlConnection::Execute(const std::string& sql) {
  last_used_ = std::chrono::steady_clock::now();
  if (mysql_real_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    return Error(mysql_errno(mysql_), mysql_error(mysql_));
  }
  MysqlResult result;
  MYSQL_RES* rows = mysql_store_result(mysql_);
  if (!rows) {
    if (mysql_field_count(mysql_) != 0) return Error(mysql_errno(mysql_), mysql_error(mysql_));
    result.affected_rows_ = static_cast<long long>(mysql_affected_rows(mysql_));
    return result;
  }
  unsigned int columns = mysql_num_fields(rows);
  while (MYSQL_ROW row = mysql_fetch_row(rows)) {
    unsigned long* lengths = mysql_fetch_lengths(rows);
    MysqlResult::Row values(columns);
    for (unsigned int i = 0; i < columns; ++i) {
      if (row[i]) values[i] = std::string(row[i], lengths[i]);
    }
    result.rows_.push_back(std::move(values));
  }
  mysql_free_result(rows);
  return result;
}

}  // namespace valet::adapters::mysql
