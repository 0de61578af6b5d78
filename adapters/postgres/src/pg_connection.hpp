#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "valet/ports/status.hpp"

namespace valet::adapters::postgres {

// A query result; frees the PGresult when it goes.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}

  int rows() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string Text(int row, int column) const {
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
  }
  long long Integer(int row, int column) const;
  // Rows touched by an INSERT, UPDATE or DELETE.
  long long AffectedRows() const;
  std::optional<long long> OptionalInteger(int row, int column) const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// Parameters of a statement, as text; nullopt is SQL NULL.
using PgParams = std::vector<std::optional<std::string>>;

// One connection with the statements it has prepared. Not thread-safe: one user at a time (the
// pool sees to that).
class PgConnection {
 public:
  // `conninfo` is a libpq connection string or URI.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& conninfo,
                                                    const std::string& schema);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs a named statement, preparing it on this connection the first time, so a name must
  // always come with the same SQL (statements are named after their constants, which are unique
  // across the adapter). Errors: kUnavailable when the connection is lost (the connection is then
  // broken()), kConflict for a unique violation, kInternal for anything else.
  Result<PgResult> Run(const char* name, const char* sql, const PgParams& params);
  // Runs SQL text without parameters (migrations, transactions).
  Result<PgResult> Execute(const std::string& sql);

  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // Reads whatever the server sent while the connection sat idle, without blocking: a server
  // that restarted has closed it, and this notices before a statement fails on it.
  bool StillAlive() { return PQconsumeInput(conn_) == 1 && !broken(); }
  std::chrono::steady_clock::time_point opened_at() const { return opened_at_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn), opened_at_(std::chrono::steady_clock::now()) {}
  Result<PgResult> Check(PGresult* result);

  PGconn* conn_;
  std::chrono::steady_clock::time_point opened_at_;
  std::set<std::string> prepared_;
};

// A transaction on one connection: rolled back when it goes out of scope unless Commit() was
// called, so every early return undoes what it wrote.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& connection) : connection_(connection) {}
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;

  Status Begin();
  Status Commit();

 private:
  PgConnection& connection_;
  bool open_ = false;
};

}  // namespace valet::adapters::postgres
