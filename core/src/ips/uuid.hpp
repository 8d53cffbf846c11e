// SPDX-License-Identifier: Apache-2.0
// The urn:uuid names a document Bundle gives its entries and itself, made
// from what they name so the same input gives the same bytes: 128 bits of
// two FNV-1a hashes, written as an RFC 9562 version 8 (custom) UUID. Names,
// not secrets: nothing here needs to be hard to guess.
#pragma once

#include <string>
#include <string_view>

namespace chartlock::ips {

// "urn:uuid:xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx" for `name`.
std::string urn_uuid(std::string_view name);

}  // namespace chartlock::ips
