// SPDX-License-Identifier: Apache-2.0
// HTML and XHTML read as the words a person sees (narrative, HTML notes).
#include <catch2/catch.hpp>

#include "text/markup.hpp"

using chartlock::text::strip_markup;

TEST_CASE("markup: tags go, inline ones join, block ones break lines", "[text]") {
  CHECK(strip_markup("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>One</p><p>Two</p></div>") == "\n\nOne\n\nTwo\n\n");
  CHECK(strip_markup("metha<i>done</i> dose") == "methadone dose");
  CHECK(strip_markup("<b>substance</b> use") == "substance use");
  CHECK(strip_markup("a<br/>b") == "a\nb");
}

TEST_CASE("markup: references decoded, scripts and comments dropped, stray brackets kept", "[text]") {
  CHECK(strip_markup("caf&#233; &amp; caf&#xE9; &lt;b&gt; &nbsp;") == "caf\xC3\xA9 & caf\xC3\xA9 <b>  ");
  CHECK(strip_markup("&bogus; &#xZZ; &") == "&bogus; &#xZZ; &");
  CHECK(strip_markup("x<script>var hiv = 1;</script>y<style>p{}</style>z") == "xyz");
  CHECK(strip_markup("a<!-- hidden -->b") == "ab");
  CHECK(strip_markup("BP < 120 and > 80") == "BP < 120 and > 80");
  CHECK(strip_markup("unclosed <p") == "unclosed <p");
  CHECK(strip_markup("") == "");
  CHECK(strip_markup("<script>never closed") == "");
}
