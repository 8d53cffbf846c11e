// SPDX-License-Identifier: Apache-2.0
// The member names of a top-level JSON object, read by scanning the text
// rather than parsing it: telling what kind of document an input is (a
// FHIR resource, a SMART Health Card file) must not cost a DOM of the whole
// input, nor a search through every byte of it.
#pragma once

#include <functional>
#include <string_view>

namespace chartlock::json {

// Calls `visit` with each member name of the object `text` holds, in order,
// until it returns false. Values are skipped, not checked. Returns true when
// the scan reached the object's end with nothing but whitespace after it, or
// `visit` stopped it; false when the scan cannot read the text that far: not
// an object, an escaped name (it might spell anything), or not well formed
// where the scan looks. Only a full parse says whether the text is JSON.
bool for_each_member_name(std::string_view text, const std::function<bool(std::string_view)>& visit);

}  // namespace chartlock::json
