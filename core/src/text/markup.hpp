// SPDX-License-Identifier: Apache-2.0
// HTML and XHTML as the words a person reads: FHIR narrative (text.div) and
// text/html attachments. Not a renderer: enough that a phrase split by tags
// ("<b>substance</b> use") reads as one, and an entity reads as its letter.
#pragma once

#include <string>
#include <string_view>

namespace chartlock::text {

// Tags removed (block-level ones become line breaks, inline ones nothing), the
// contents of <script>, <style> and <title> dropped, comments dropped, character
// references (&amp; &#233; &#xE9; and the common named ones) decoded.
std::string strip_markup(std::string_view html);

}  // namespace chartlock::text
