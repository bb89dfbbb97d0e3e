-- wrk script for bench/load.sh: a mix of catalogue pages, entity pages and SPARQL queries.
--
-- Each connection walks the list below in turn (from its own starting point), so every kind
-- of request is sent about equally often. Any answer other than 2xx/3xx is counted by wrk as a
-- status error; done() prints one machine-readable RESULT line that load.sh reads.

local function form(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local ask = "ASK { ?s ?p ?o }"
local select = "PREFIX rcs: <https://w3id.org/rcsgraph/ontology#> "
  .. "SELECT ?s ?label WHERE { ?s a rcs:Society ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20"
local count = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"
local construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 50"

-- { kind, method, path, headers, body }
local mix = {
  {"catalogue", "GET", "/queries", {}, nil},
  {"catalogue", "GET", "/queries/countries.json", {}, nil},
  {"catalogue", "GET", "/queries/facility-countries.csv", {}, nil},
  {"catalogue", "GET", "/queries/timeline", {Accept = "text/html"}, nil},
  {"catalogue", "GET", "/queries/missions?society=https%3A%2F%2Fw3id.org%2Frcsgraph%2Fid%2Fsociety%2Firanian-red-crescent-society", {Accept = "application/sparql-results+json"}, nil},
  {"entity", "GET", "/doc/country/irn", {Accept = "text/html"}, nil},
  {"entity", "GET", "/doc/country/irq.ttl", {}, nil},
  {"entity", "GET", "/doc/society/iranian-red-crescent-society", {Accept = "text/html"}, nil},
  {"entity", "GET", "/doc/country/afg", {Accept = "application/ld+json"}, nil},
  {"entity", "GET", "/id/society/iranian-red-crescent-society", {}, nil},
  {"sparql", "GET", "/sparql?query=" .. form(ask), {Accept = "application/sparql-results+json"}, nil},
  {"sparql", "GET", "/sparql?query=" .. form(select), {Accept = "text/csv"}, nil},
  {"sparql", "POST", "/sparql", {["Content-Type"] = "application/sparql-query", Accept = "application/sparql-results+json"}, count},
  {"sparql", "POST", "/sparql", {["Content-Type"] = "application/x-www-form-urlencoded", Accept = "text/turtle"}, "query=" .. form(construct)},
}

local requests = {}
for i, item in ipairs(mix) do
  requests[i] = wrk.format(item[2], item[3], item[4], item[5])
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  position = id * 5
  bad = 0
  sent = 0
end

function request()
  position = position % #requests + 1
  sent = sent + 1
  return requests[position]
end

function response(status, headers, body)
  if status >= 400 then
    bad = bad + 1
  end
end

function done(summary, latency, requests_done)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  local bad_seen = 0
  for _, thread in ipairs(threads) do
    bad_seen = bad_seen + thread:get("bad")
  end
  local function ms(q) return latency:percentile(q) / 1000 end
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f errors=%d connect=%d read=%d write=%d timeout=%d status=%d bad_status=%d "
      .. "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f kinds=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), failed,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status, bad_seen,
    ms(50), ms(90), ms(99), latency.max / 1000, #mix))
end
