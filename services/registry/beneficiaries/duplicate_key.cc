#include "registry/beneficiaries/duplicate_key.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/storage/lex_index.h"

namespace wahana::registry {
namespace {

// What a byte (or a typographic quote, three bytes) of a name becomes.
enum class Kind { kKeep, kDrop, kSpace };

Kind KindOf(unsigned char c) {
  if (c == '\'' || c == '`' || c == '.' || c == ',') return Kind::kDrop;
  if (c == '-' || c == '_' || absl::ascii_isspace(c)) return Kind::kSpace;
  return Kind::kKeep;
}

}  // namespace

std::string NormaliseNameForMatching(absl::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    // U+2018 and U+2019 (E2 80 98 / E2 80 99): apostrophes as word processors type them.
    if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(name[i + 2]) == 0x98 ||
         static_cast<unsigned char>(name[i + 2]) == 0x99)) {
      i += 2;
      continue;
    }
    switch (KindOf(c)) {
      case Kind::kDrop:
        break;
      case Kind::kSpace:
        pending_space = !out.empty();
        break;
      case Kind::kKeep:
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(static_cast<char>(absl::ascii_tolower(c)));
        break;
    }
  }
  return out;
}

std::string DuplicateKey(absl::string_view full_name, absl::string_view birth_date,
                         absl::string_view village_code) {
  std::string name = NormaliseNameForMatching(full_name);
  if (name.empty() || birth_date.empty() || village_code.empty()) return "";
  return DigestIndexValue(absl::StrCat(name, "|", birth_date, "|", village_code));
}

}  // namespace wahana::registry
