#pragma once

#include <string>
#include <vector>

namespace valetctl {

// A plain text table: a header row, then rows, each column as wide as its widest cell, columns
// two spaces apart, no trailing spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

  // Cells beyond the header's count are dropped, missing ones are empty. Cells are made
  // printable (see Printable).
  void AddRow(std::vector<std::string> cells);
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// `text` safe to print on a terminal: control characters (escape sequences, newlines, tabs) become
// '?', so that a job name cannot move the cursor or recolour the screen. UTF-8 is kept.
std::string Printable(const std::string& text);

// The width of `text` on a terminal, counting each UTF-8 code point as one column.
std::size_t DisplayWidth(const std::string& text);

}  // namespace valetctl
