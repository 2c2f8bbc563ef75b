// autocannon setupRequest (loaded by its worker thread, hence CommonJS): each request answers the next
// pre-created survey, from the list in the JSON file named by CSAT_BENCH_TOKENS, and comes from an
// address of its own. The server runs as if behind a reverse proxy (CSAT_TRUST_PROXY=1), which is how a
// public deployment sees its respondents: the proxy keeps connections to the server open and names each
// client in the last X-Forwarded-For hop, so the rate limit counts every respondent on their own.
'use strict';
const fs = require('node:fs');

let list = null;
let next = 0;

module.exports = function setupRequest(req) {
  if (list === null) list = JSON.parse(fs.readFileSync(process.env.CSAT_BENCH_TOKENS, 'utf8'));
  // Past the end a token is reused: that request is a change (200), not a new answer (201).
  const i = next++ % list.tokens.length;
  const address = `${list.prefix}.${(i >> 8) & 255}.${i & 255}`;
  return {
    ...req,
    headers: { ...req.headers, 'X-Forwarded-For': address },
    body: JSON.stringify({ token: list.tokens[i], reaction: next % 10 === 0 ? 'negative' : 'positive' }),
  };
};
