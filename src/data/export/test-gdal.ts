/**
 * Reading exported files back with GDAL (ogrinfo, ogr2ogr), an independent reader that QGIS
 * and most GIS tools share. Test support only; GDAL comes from Debian's gdal-bin, which
 * scripts/system-deps.sh installs for CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { FeatureCollection } from 'geojson';

const run = (cmd: string, args: string[], env: Record<string, string> = {}): string =>
  execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });

/** A folder for the files of one test; `cleanup` removes it. */
export function scratch(): { dir: string; put: (name: string, bytes: Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gdal-read-back-'));
  return {
    dir,
    put: (name, bytes) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Unzips `zip` into `dir`; returns the entry names. */
export function unzipInto(dir: string, zip: Uint8Array): string[] {
  const entries = unzipSync(zip);
  for (const [name, bytes] of Object.entries(entries)) writeFileSync(join(dir, name), bytes);
  return Object.keys(entries);
}

/** `ogrinfo -al -so`: the layers' summaries (field types, CRS, counts). */
export function ogrSummary(path: string, env?: Record<string, string>): string {
  return run('ogrinfo', ['-ro', '-al', '-so', path], env);
}

/** `ogrinfo -al`: every feature. */
export function ogrAll(path: string, env?: Record<string, string>): string {
  return run('ogrinfo', ['-ro', '-al', path], env);
}

/** One layer as GeoJSON in the file's own coordinates (`ogr2ogr -f GeoJSON`). */
export function ogrGeojson(path: string, layer?: string, env?: Record<string, string>): FeatureCollection {
  const args = ['-f', 'GeoJSON', '-lco', 'RFC7946=NO', '-lco', 'COORDINATE_PRECISION=15', '/vsistdout/', path];
  if (layer !== undefined) args.push(layer);
  return JSON.parse(run('ogr2ogr', args, env)) as FeatureCollection;
}

/** Field name → GDAL type as ogrinfo prints it ("Integer(Boolean)", "Date", …), per layer summary. */
export function fieldTypes(summary: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of summary.matchAll(/^(.+?): (\w+(?:\(\w+\))?) \(\d+\.\d+\)/gm)) out[m[1]!] = m[2]!;
  return out;
}

/** The EPSG code GDAL identifies for the layer's CRS (its outermost ID), or null. */
export function epsgOf(summary: string): number | null {
  const ids = [...summary.matchAll(/^ {4}ID\["EPSG",(\d+)\]\]/gm)];
  return ids.length ? Number(ids.at(-1)![1]) : null;
}

/** "Feature Count: n" of each layer, in order. */
export function featureCounts(summary: string): number[] {
  return [...summary.matchAll(/^Feature Count: (\d+)/gm)].map((m) => Number(m[1]));
}
