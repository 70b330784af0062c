import { writeFileSync, readFileSync } from 'node:fs';
import { writeFgb } from '../src/data/fgb/write-fgb.ts';
import { readFgb, readFgbHeader } from '../src/data/fgb/read-fgb.ts';
import { calcTreeSize } from '../src/data/fgb/packed-rtree.ts';
import { randomFeatures, mulberry32, collect } from '../src/data/fgb/test-fixtures.ts';
console.debug = () => {};
const mode = process.argv[2];
const dir = '/tmp/hc/gdal';
if (mode === 'write') {
  for (const [name, types] of [['mixed', undefined], ['polys', ['Polygon']], ['points', ['Point']]] as const) {
    const fc = randomFeatures(mulberry32(name.length), 500, types as any);
    writeFileSync(`${dir}/${name}.geojson`, JSON.stringify(fc));
    writeFileSync(`${dir}/${name}.ours.fgb`, writeFgb(fc));
  }
} else {
  const nodes = (b: Uint8Array) => { const h = readFgbHeader(b); const v = new DataView(b.buffer, b.byteOffset); const start = 12 + v.getUint32(8, true); const n = calcTreeSize(h.featuresCount, h.indexNodeSize) / 40; const out = []; for (let k = 0; k < n; k++) { const a = start + k * 40; out.push([v.getFloat64(a, true), v.getFloat64(a + 8, true), v.getFloat64(a + 16, true), v.getFloat64(a + 24, true)]); } return out; };
  for (const name of ['mixed', 'polys', 'points']) {
    const ours = new Uint8Array(readFileSync(`${dir}/${name}.ours.fgb`));
    const gdal = new Uint8Array(readFileSync(`${dir}/${name}.gdal.fgb`));
    const ho = readFgbHeader(ours), hg = readFgbHeader(gdal);
    console.log(name, 'gdal header', JSON.stringify(hg));
    console.log(name, 'ours header', JSON.stringify(ho));
    const fo = (await collect(readFgb(ours))).map((f) => f.properties!.n);
    const fg = (await collect(readFgb(gdal))).map((f) => f.properties!.n);
    console.log(name, 'same feature order:', JSON.stringify(fo) === JSON.stringify(fg), fo.slice(0, 8), fg.slice(0, 8));
    const no = nodes(ours), ng = nodes(gdal);
    console.log(name, 'same node bboxes:', JSON.stringify(no) === JSON.stringify(ng), no.length, ng.length);
  }
}
