// autocannon setupRequest (loaded by its worker thread, hence CommonJS): each request answers the next
// pre-created survey, from the token list in the JSON file named by CSAT_BENCH_TOKENS.
'use strict';
const fs = require('node:fs');

let tokens = null;
let next = 0;

module.exports = function setupRequest(req) {
  if (tokens === null) tokens = JSON.parse(fs.readFileSync(process.env.CSAT_BENCH_TOKENS, 'utf8'));
  // Past the end a token is reused: that request is a change (200), not a new answer (201).
  const token = tokens[next++ % tokens.length];
  return { ...req, body: JSON.stringify({ token, reaction: next % 10 === 0 ? 'negative' : 'positive' }) };
};
