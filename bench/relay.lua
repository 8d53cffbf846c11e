-- SPDX-License-Identifier: Apache-2.0
-- wrk script for bench/relay.sh: each wrk thread replays its own file of
-- pre-signed requests (bench/relay-prepare.mjs), each exactly once, so no
-- nonce repeats. A thread that runs out stops, with a warning.
local counter = 1
local dir = os.getenv("RELAY_BENCH_DIR")

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local requests = {}
local next_index = 1

local function unhex(h)
  return (h:gsub("..", function(cc) return string.char(tonumber(cc, 16)) end))
end

function init(args)
  for line in io.lines(dir .. "/requests-" .. id .. ".txt") do
    -- METHOD TARGET Authorization-value [BODY-HEX]; the header value has spaces.
    local method, target, rest = line:match("^(%u+) (%S+) (.*)$")
    local auth, body = rest:match('^(.-") (%x+)$')
    if not auth then auth = rest end
    local headers = { ["Authorization"] = auth }
    if body then headers["Content-Type"] = "application/octet-stream" end
    requests[#requests + 1] = wrk.format(method, target, headers, body and unhex(body) or nil)
  end
end

local warned = false
function request()
  local r = requests[next_index]
  if r == nil then
    -- Out of signed requests: stop this thread. Connections still waiting
    -- for a request get an unsigned health check, which the counts include,
    -- so say so: the run needs more requests (GETS / PUTS).
    if not warned then
      io.stderr:write("relay.lua: thread " .. id .. " ran out of pre-signed requests; raise GETS/PUTS\n")
      warned = true
    end
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  next_index = next_index + 1
  return r
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
