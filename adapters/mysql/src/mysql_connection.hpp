#pragma once

#include <mysql.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mysql_dsn.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::mysql {

// The rows a statement returned, as text (NULL is nullopt), and the rows it changed.
class MysqlResult {
 public:
  using Row = std::vector<std::optional<std::string>>;

  int rows() const { return static_cast<int>(rows_.size()); }
  bool IsNull(int row, int column) const { return !Cell(row, column); }
  std::string Text(int row, int column) const { return Cell(row, column).value_or(""); }
  long long Integer(int row, int column) const;
  std::optional<long long> OptionalInteger(int row, int column) const;
  // Rows matched by an UPDATE (the connection sets CLIENT_FOUND_ROWS), or inserted/deleted.
  long long AffectedRows() const { return affected_rows_; }

 private:
  friend class MysqlConnection;
  const std::optional<std::string>& Cell(int row, int column) const {
    return rows_[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
  }

  std::vector<Row> rows_;
  long long affected_rows_ = 0;
};

// A bound value; monostate is SQL NULL.
using MysqlValue = std::variant<std::monostate, std::string, long long>;
using MysqlParams = std::vector<MysqlValue>;

// One connection with the statements it has prepared. Not thread-safe: one user at a time (the
// pool sees to that).
class MysqlConnection {
 public:
  // Connects to `database` (none when empty) in UTC, utf8mb4, READ COMMITTED.
  static Result<std::unique_ptr<MysqlConnection>> Open(const MysqlEndpoint& endpoint,
                                                       const std::string& database);
  ~MysqlConnection();
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  // Runs a named statement, preparing it on this connection the first time. Errors: kUnavailable
  // when the connection is lost (it is then broken()) or the statement lost a lock wait or
  // deadlock, kConflict for a duplicate key, kInternal for anything else.
  Result<MysqlResult> Run(const std::string& name, const char* sql, const MysqlParams& params);
  // Runs SQL text without parameters (migrations, transactions).
  Result<MysqlResult> Execute(const std::string& sql);

  bool broken() const { return broken_; }
  // Pings a connection that sat idle for a while: a server that restarted has closed it.
  bool StillAlive();
  std::chrono::steady_clock::time_point opened_at() const { return opened_at_; }

 private:
  explicit MysqlConnection(MYSQL* mysql)
      : mysql_(mysql), opened_at_(std::chrono::steady_clock::now()), last_used_(opened_at_) {}
  Status Error(unsigned int code, const char* message);
  Result<MysqlResult> Fetch(MYSQL_STMT* statement);

  MYSQL* mysql_;
  std::chrono::steady_clock::time_point opened_at_;
  std::chrono::steady_clock::time_point last_used_;
  std::map<std::string, MYSQL_STMT*> prepared_;
  bool broken_ = false;
};

// Runs `body` in a transaction on `connection`: COMMIT if it returns Ok, ROLLBACK otherwise.
template <typename Body>
Status InTransaction(MysqlConnection& connection, Body body) {
  if (auto begun = connection.Execute("START TRANSACTION"); !begun.ok()) return begun.status();
  Status status = body();
  if (status.ok()) {
    if (auto committed = connection.Execute("COMMIT"); committed.ok())
      return status;
    else
      status = committed.status();
  }
  if (!connection.broken()) connection.Execute("ROLLBACK").status().IgnoreError();
  return status;
}

// InTransaction(), tried again up to `tries` times in all while it fails with a deadlock or a
// lock wait timeout (kUnavailable on a connection that still works): InnoDB rolls such a
// transaction back and expects it to be run again. `body` must start from scratch each time.
template <typename Body>
Status InRetriedTransaction(MysqlConnection& connection, Body body, int tries = 3) {
  Status status = InTransaction(connection, body);
  for (int tried = 1; tried < tries; ++tried) {
    if (status.code() != StatusCode::kUnavailable || connection.broken()) break;
    status = InTransaction(connection, body);
  }
  return status;
}

}  // namespace valet::adapters::mysql
