// HTTP load generator on its own thread (its own core), so the server's event
// loop is not also busy being the client.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

const { base, cookie, scenario, seconds, concurrency, ids, versions, regions } = workerData;
const value = (n) => ({ name: `商机 ${n}`, region: regions[n % 3], amount: `${(n % 9973) * 10}.00` });
const vers = new Map(ids ? ids.map((id, i) => [id, versions[i]]) : []);
let next = 0;

async function one(n) {
  if (scenario === 'create') {
    const res = await fetch(`${base}/api/w/bench/records/deals`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(value(n)) });
    if (res.status !== 201) throw new Error(`create ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  } else {
    const id = ids[next++ % ids.length];
    const res = await fetch(`${base}/api/w/bench/records/deals/${id}`, { method: 'PATCH', headers: { cookie, 'content-type': 'application/json', 'if-match': `"${vers.get(id)}"` }, body: JSON.stringify({ amount: `${n}.50` }) });
    if (res.status !== 200) throw new Error(`patch ${res.status} ${await res.text()}`);
    vers.set(id, (await res.json()).data.version);
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
