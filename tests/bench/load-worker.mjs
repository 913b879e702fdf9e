// HTTP load generator on its own thread (its own core), so the server's event
// loop is not also busy being the client.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import http from 'node:http';

// Plain keep-alive HTTP/1.1: lighter than fetch, so the client steals less CPU from the server and database.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(method, path, body, headers) {
  const url = new URL(path);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, method, host: url.hostname, port: url.port, path: url.pathname, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const { base, cookie, scenario, seconds, concurrency, ids, versions, regions } = workerData;
const value = (n) => ({ name: `商机 ${n}`, region: regions[n % 3], amount: `${(n % 9973) * 10}.00` });
const vers = new Map(ids ? ids.map((id, i) => [id, versions[i]]) : []);
let next = 0;

async function one(n) {
  if (scenario === 'create') {
    const res = await request('POST', `${base}/api/w/bench/records/deals`, value(n), { cookie });
    if (res.status !== 201) throw new Error(`create ${res.status} ${res.text}`);
  } else {
    const id = ids[next++ % ids.length];
    const res = await request('PATCH', `${base}/api/w/bench/records/deals/${id}`, { amount: `${n}.50` }, { cookie, 'if-match': `"${vers.get(id)}"` });
    if (res.status !== 200) throw new Error(`patch ${res.status} ${res.text}`);
    vers.set(id, JSON.parse(res.text).data.version);
  }
}

const lat = [];
const t0 = performance.now();
const end = t0 + seconds * 1000;
let i = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (performance.now() < end) {
    const s = performance.now();
    await one(i++);
    lat.push(performance.now() - s);
  }
}));
parentPort.postMessage({ lat, ms: performance.now() - t0 });
