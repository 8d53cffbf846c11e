// SPDX-License-Identifier: Apache-2.0
// The CLI's subcommands. Each takes the arguments after its name and returns
// the process exit code; usage and input problems are thrown (see main.cpp).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace chartlock::cli {

// Exit codes: 0 success, 1 an I/O failure, 2 bad input or bad usage.
enum ExitCode : int { exit_ok = 0, exit_io = 1, exit_bad_input = 2 };

// Thrown for input that is not acceptable (the message goes to stderr).
struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Argv = std::vector<std::string>;

int cmd_record(const Argv& args);    // record.cpp
int cmd_summary(const Argv& args);   // summary.cpp
int cmd_keygen(const Argv& args);    // keygen.cpp
int cmd_seal(const Argv& args);      // seal.cpp
int cmd_share(const Argv& args);     // share.cpp
int cmd_ips(const Argv& args);       // ips.cpp
int cmd_persons(const Argv& args);   // persons.cpp
int cmd_open(const Argv& args);      // open.cpp
int cmd_generate(const Argv& args);  // generate.cpp
int cmd_directory(const Argv& args); // directory.cpp
int cmd_shl(const Argv& args);       // shl.cpp: SMART Health Links (create, update, revoke)
int cmd_tool(const Argv& args);      // tool.cpp: keygen, manifest, fetch below
int cmd_tool_keygen(const Argv& args);    // tool_keygen.cpp
int cmd_tool_manifest(const Argv& args);  // tool_manifest.cpp
int cmd_tool_fetch(const Argv& args);     // tool_fetch.cpp

// Runs a command, turning what it throws into a message on stderr (prefixed
// "chartlock NAME: ") and the exit code (main.cpp).
int run_command(const std::string& name, int (*run)(const Argv&), const Argv& args);

}  // namespace chartlock::cli
