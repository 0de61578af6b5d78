#include "pg_connection.hpp"

#include <charconv>
#include <cstring>

#include "valet/core/secret_redaction.hpp"

namespace valet::adapters::postgres {

namespace {

// SQLSTATE classes that mean the server or the connection went away, not that the query was
// wrong: 08 connection exception, 57 operator intervention (shutdown), 53 insufficient resources.
bool IsUnavailable(const char* state) {
  return state && (std::strncmp(state, "08", 2) == 0 || std::strncmp(state, "57", 2) == 0 ||
                   std::strncmp(state, "53", 2) == 0);
}

std::string FirstLine(const char* message) {
  std::string text = message ? message : "";
  auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

long long PgResult::Integer(int row, int column) const {
  const char* text = PQgetvalue(result_.get(), row, column);
  long long value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

long long PgResult::AffectedRows() const {
  const char* text = PQcmdTuples(result_.get());
  long long value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

std::optional<long long> PgResult::OptionalInteger(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Integer(row, column);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo,
                                                         const std::string& schema) {
  // Connection string first (expand_dbname), then our own settings, which it cannot override:
  // a bounded connect time, UTC, and the schema to work in.
  std::string options = "-c TimeZone=UTC -c client_min_messages=warning -c search_path=" + schema;
  const char* keys[] = {"dbname", "connect_timeout", "options", "application_name", nullptr};
  const char* values[] = {conninfo.c_str(), "3", options.c_str(), "valet", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn) return Status::Unavailable("postgres: out of memory while connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq quotes bad values back, and a malformed DSN can put the password in such a value.
    std::string error = core::Redacted(FirstLine(PQerrorMessage(conn)), conninfo);
    PQfinish(conn);
    return Status::Unavailable("postgres is unavailable: " + error);
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<PgResult> PgConnection::Check(PGresult* raw) {
  PgResult result(raw);
  ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = FirstLine(raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn_));
  if (message.empty()) message = FirstLine(PQerrorMessage(conn_));
  if (broken() || IsUnavailable(state)) {
    return Status::Unavailable("postgres is unavailable: " + message);
  }
  if (state && std::strcmp(state, "23505") == 0) return Status::Conflict(message);
  // Class 40: a deadlock or serialization failure rolled the statement back; running it again
  // may well succeed.
  if (state && std::strncmp(state, "40", 2) == 0) {
    return Status::Unavailable("postgres rolled the statement back, try again: " + message);
  }
  return Status::Internal("postgres: " + message);
}

Result<PgResult> PgConnection::Run(const char* name, const char* sql, const PgParams& params) {
  if (prepared_.count(name) == 0) {
    auto prepared = Check(PQprepare(conn_, name, sql, 0, nullptr));
    if (!prepared.ok()) return prepared.status();
    prepared_.insert(name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  return Check(PQexecPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr,
                              nullptr, 0));
}

Result<PgResult> PgConnection::Execute(const std::string& sql) {
  return Check(PQexec(conn_, sql.c_str()));
}

PgTransaction::~PgTransaction() {
  if (open_) connection_.Execute("ROLLBACK").status().IgnoreError();
}

Status PgTransaction::Begin() {
  Status begun = connection_.Execute("BEGIN").status();
  open_ = begun.ok();
  return begun;
}

Status PgTransaction::Commit() {
  // A COMMIT that fails has ended the transaction all the same.
  open_ = false;
  return connection_.Execute("COMMIT").status();
}

}  // namespace valet::adapters::postgres
