#pragma once
// Percent-decoding of URL parts (RFC 3986) for the gateway's path and query mapping.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// Decodes every %XX escape in `text`. `plus_is_space` turns '+' into ' ' (query strings only).
// `keep_slash_escapes` leaves %2F / %2f encoded: a multi-segment path variable decodes everything
// but the escaped '/', which would otherwise become a segment separator (google.api.http's rule).
// nullopt when `text` holds a '%' not followed by two hex digits.
std::optional<std::string> PercentDecode(absl::string_view text, bool plus_is_space = false,
                                         bool keep_slash_escapes = false);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF). Protobuf strings must be UTF-8, so decoded text is checked before it is stored.
bool IsValidUtf8(absl::string_view text);

}  // namespace wahana
