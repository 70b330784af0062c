import { writeFgb } from '/work/main/src/data/fgb/write-fgb.ts';
import { readFgb, readFgbHeader } from '/work/main/src/data/fgb/read-fgb.ts';
import { randomFeatures, mulberry32, serveFiles, randomRects, bruteForce, ns, collect } from '/work/main/src/data/fgb/test-fixtures.ts';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import Config from 'flatgeobuf/lib/mjs/config.js';
console.debug = () => {};
const fc = randomFeatures(mulberry32(1), 400);
const bytes = writeFgb(fc);
console.log('size', bytes.length);
// garbage header
const g = bytes.slice(); for (let i = 12; i < 12 + new DataView(g.buffer).getUint32(8, true); i++) g[i] = 0xff;
try { console.log(readFgbHeader(g)); } catch (e) { console.log('garbage header ->', (e as Error).message); }
const g2 = bytes.slice(); for (let i = 12; i < 12 + new DataView(g2.buffer).getUint32(8, true); i++) g2[i] = (i * 7919) & 0xff;
try { console.log(readFgbHeader(g2)); } catch (e) { console.log('garbage header2 ->', (e as Error).message); }
const srv = await serveFiles(new Map([['a.fgb', bytes]]));
for (const thr of [256 * 1024, 2048, 700, 0]) {
  Config.global.setExtraRequestThreshold(thr);
  let dup = 0, wrong = 0; srv.log.length = 0;
  for (const rect of randomRects(mulberry32(3), 40)) {
    const got = await collect(deserialize(srv.url('a.fgb'), { rect }));
    const ids = got.map((f) => f.properties!.n as number);
    if (new Set(ids).size !== ids.length) dup++;
    if (JSON.stringify([...new Set(ids)].sort((a, b) => a - b)) !== JSON.stringify(bruteForce(fc, rect))) wrong++;
  }
  console.log('threshold', thr, 'dups', dup, 'wrong', wrong, 'requests', srv.log.length, 'statuses', [...new Set(srv.log.map((l) => l.status))]);
}
await srv.close();
