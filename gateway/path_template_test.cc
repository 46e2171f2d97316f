#include "gateway/path_template.h"

#include <gtest/gtest.h>

#include "gateway/percent_encoding.h"

namespace wahana {
namespace {

using Bindings = std::vector<PathBinding>;

PathTemplate Parse(const char* text) {
  auto parsed = PathTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status();
  return parsed.ok() ? *parsed : PathTemplate();
}

TEST(PathTemplateTest, LiteralPathMatchesOnlyItself) {
  PathTemplate t = Parse("/v1/regions");
  EXPECT_EQ(t.Match("/v1/regions"), Bindings{});
  EXPECT_FALSE(t.Match("/v1/regions/"));
  EXPECT_FALSE(t.Match("/v1/region"));
  EXPECT_FALSE(t.Match("/v1/regions/16"));
  EXPECT_FALSE(t.Match("v1/regions"));
  EXPECT_FALSE(t.Match(""));
  EXPECT_EQ(t.literal_count(), 2);
}

TEST(PathTemplateTest, VariableTakesOneWholeSegmentDotsIncluded) {
  PathTemplate t = Parse("/v1/regions/{code}");
  EXPECT_EQ(t.Match("/v1/regions/16.06.01.2001"), (Bindings{{"code", "16.06.01.2001"}}));
  EXPECT_EQ(t.Match("/v1/regions/16"), (Bindings{{"code", "16"}}));
  EXPECT_FALSE(t.Match("/v1/regions/"));
  EXPECT_FALSE(t.Match("/v1/regions"));
  EXPECT_FALSE(t.Match("/v1/regions/16/06"));
  EXPECT_EQ(t.FieldPaths(), std::vector<std::string>{"code"});
}

TEST(PathTemplateTest, VariableValueIsPercentDecoded) {
  PathTemplate t = Parse("/v1/regions/{code}");
  EXPECT_EQ(t.Match("/v1/regions/16%2E06"), (Bindings{{"code", "16.06"}}));
  EXPECT_EQ(t.Match("/v1/regions/a%20b%2Fc"), (Bindings{{"code", "a b/c"}}));
  // '+' is a plain character in a path (only a query string turns it into a space).
  EXPECT_EQ(t.Match("/v1/regions/a+b"), (Bindings{{"code", "a+b"}}));
  // A malformed escape matches nothing.
  EXPECT_FALSE(t.Match("/v1/regions/16%2"));
  EXPECT_FALSE(t.Match("/v1/regions/%zz"));
}

TEST(PathTemplateTest, LiteralsAreComparedDecoded) {
  PathTemplate t = Parse("/v1/regions/{code}");
  EXPECT_EQ(t.Match("/v1/region%73/16"), (Bindings{{"code", "16"}}));
}

TEST(PathTemplateTest, CustomVerb) {
  PathTemplate t = Parse("/v1/cases/{id}:assign");
  EXPECT_EQ(t.verb(), "assign");
  EXPECT_EQ(t.Match("/v1/cases/16.06-2026-000123:assign"), (Bindings{{"id", "16.06-2026-000123"}}));
  EXPECT_FALSE(t.Match("/v1/cases/abc"));
  EXPECT_FALSE(t.Match("/v1/cases/abc:close"));
  EXPECT_FALSE(t.Match("/v1/cases/:assign"));
  EXPECT_FALSE(t.Match("/v1/cases/abc:assign/x"));

  PathTemplate lookup = Parse("/v1/beneficiaries:lookup");
  EXPECT_EQ(lookup.Match("/v1/beneficiaries:lookup"), Bindings{});
  EXPECT_FALSE(lookup.Match("/v1/beneficiaries"));
  EXPECT_FALSE(lookup.Match("/v1/beneficiaries/x:lookup"));
}

TEST(PathTemplateTest, WithoutVerbAColonIsPartOfTheValue) {
  PathTemplate t = Parse("/v1/cases/{id}");
  EXPECT_EQ(t.Match("/v1/cases/abc:assign"), (Bindings{{"id", "abc:assign"}}));
}

TEST(PathTemplateTest, PatternVariableCapturesSeveralSegments) {
  PathTemplate t = Parse("/v1/{name=shelves/*/books/*}");
  EXPECT_EQ(t.Match("/v1/shelves/s1/books/b.2"), (Bindings{{"name", "shelves/s1/books/b.2"}}));
  EXPECT_FALSE(t.Match("/v1/shelves/s1/books"));
  EXPECT_FALSE(t.Match("/v1/shelves/s1/papers/b2"));
  // In a multi-segment value an escaped '/' stays escaped; everything else is decoded.
  EXPECT_EQ(t.Match("/v1/shelves/a%2Fb/books/c%20d"),
            (Bindings{{"name", "shelves/a%2Fb/books/c d"}}));
}

TEST(PathTemplateTest, DoubleWildcardTakesTheRest) {
  PathTemplate t = Parse("/v1/files/{path=**}:download");
  EXPECT_EQ(t.Match("/v1/files/a/b/c.txt:download"), (Bindings{{"path", "a/b/c.txt"}}));
  EXPECT_EQ(t.Match("/v1/files:download"), (Bindings{{"path", ""}}));  // ** is zero or more
  PathTemplate any = Parse("/static/**");
  EXPECT_EQ(any.Match("/static/x/y"), Bindings{});
  EXPECT_EQ(any.Match("/static"), Bindings{});
}

TEST(PathTemplateTest, NestedFieldPathAndSeveralVariables) {
  PathTemplate t = Parse("/v1/inner/{inner.region_code}/things/{id}");
  EXPECT_EQ(t.Match("/v1/inner/16.06/things/t1"),
            (Bindings{{"inner.region_code", "16.06"}, {"id", "t1"}}));
}

TEST(PathTemplateTest, WildcardSegment) {
  PathTemplate t = Parse("/v1/*/things");
  EXPECT_EQ(t.Match("/v1/any/things"), Bindings{});
  EXPECT_FALSE(t.Match("/v1//things"));
}

TEST(PathTemplateTest, RejectsMalformedTemplates) {
  for (const char* bad :
       {"", "v1/x", "/", "/v1//x", "/v1/x/", "/v1/{code", "/v1/{a={b}}", "/v1/**/x", "/v1/{1a}",
        "/v1/{}", "/v1/x:", "/v1/{id}/{id}", "/v1/a*", "/v1/{a.}"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

TEST(PercentEncodingTest, Decode) {
  EXPECT_EQ(PercentDecode("a%20b+c"), "a b+c");
  EXPECT_EQ(PercentDecode("a%20b+c", /*plus_is_space=*/true), "a b c");
  EXPECT_EQ(PercentDecode("%e2%82%AC"), "\xE2\x82\xAC");
  EXPECT_EQ(PercentDecode("%2f%2F", false, /*keep_slash_escapes=*/true), "%2f%2F");
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
  EXPECT_EQ(PercentDecode("%4"), std::nullopt);
  EXPECT_EQ(PercentDecode("%4g"), std::nullopt);
}

TEST(PercentEncodingTest, Utf8) {
  EXPECT_TRUE(IsValidUtf8("Kabupaten Musi Banyuasin"));
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));      // truncated
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

}  // namespace
}  // namespace wahana
