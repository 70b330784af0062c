/**
 * KML (Google Earth, 奥维地图 exports) with npm `@tmcw/togeojson`. The browser's DOMParser is
 * used when there is one; in Node (tests, workers without DOM) `@xmldom/xmldom` stands in,
 * which togeojson supports. KML coordinates are WGS84 longitude/latitude by definition.
 */
import type * as togeojson from '@tmcw/togeojson';
import type { Feature } from 'geojson';
import { FormatError } from '../errors.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { ImportFormat, ParsedFile } from './types.ts';

type XmlDoc = Parameters<typeof togeojson.kml>[0];

async function parseXml(text: string, fileName: string): Promise<XmlDoc> {
  const bad = (detail: string, cause?: unknown): FormatError =>
    new FormatError(`${fileName} is not valid KML: the XML cannot be read (${detail})`, fileName, { cause });
  if (typeof globalThis.DOMParser === 'function') {
    const doc = new globalThis.DOMParser().parseFromString(text, 'text/xml');
    const err = doc.getElementsByTagName('parsererror')[0];
    if (err) {
      // Chromium wraps its message in page-rendering prose; keep the line/column part.
      const raw = (err.textContent ?? '').trim();
      const core = /error on line \d+ at column \d+:.*?(?=Below is a rendering|$)/s.exec(raw)?.[0] ?? raw.split('\n')[0];
      throw bad(core?.trim() || 'parser error');
    }
    return doc;
  }
  const { DOMParser } = await import('@xmldom/xmldom');
  let first: string | null = null;
  try {
    return new DOMParser({
      onError: (level, msg) => {
        if (level === 'warning') return;
        first ??= msg.split('\n')[0]!;
        throw new Error(msg);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    throw bad(first ?? (err instanceof Error ? err.message.split('\n')[0]! : String(err)), err);
  }
}

async function parseKml(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const text = new TextDecoder().decode(bytes);
  const doc = await parseXml(text, fileName);
  const root = doc.documentElement;
  if (!root || root.localName !== 'kml') {
    throw new FormatError(`${fileName} is XML but not KML: its root element is <${root?.localName ?? 'none'}>`, fileName);
  }
  const { kml } = await import('@tmcw/togeojson');
  const fc = kml(doc);
  return {
    features: fc.features as Feature[],
    crs: { code: 'EPSG:4326', source: 'format', note: 'KML coordinates are always WGS 84 longitude/latitude.' },
    skipped: 0,
    problems: [],
  };
}

export const kmlFormat: ImportFormat = {
  id: 'kml',
  extensions: IMPORT_EXTENSIONS.kml,
  sniff: (bytes) => /^\s*<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*<kml\b|^\s*<kml\b/.test(new TextDecoder().decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '')),
  parse: (bytes, fileName) => parseKml(bytes, fileName),
};
