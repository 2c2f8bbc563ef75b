// One autocannon run in a worker thread of its own, for split-load.ts: it answers with the run's raw
// result (histograms still encoded), so that runs against several servers at once can be merged into one
// latency histogram. CommonJS, loaded by the worker without tsx.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');

const { options, env } = workerData;
// A worker thread has its own copy of process.env: a setupRequest module (writes-setup-request.cjs) reads
// its token list from here, so each server's run gets a list of its own.
Object.assign(process.env, env);
const requests = options.requests?.map((r) => (r.setupRequest ? { ...r, setupRequest: require(r.setupRequest) } : r));

parentPort.once('message', () => {
  // Outside the main thread autocannon leaves the result unaggregated.
  autocannon({ ...options, ...(requests ? { requests } : {}) }, (error, result) => {
    parentPort.postMessage(error ? { error: String(error?.stack ?? error) } : { result });
  });
});
parentPort.postMessage({ ready: true });
