/**
 * KML (Google Earth, 奥维地图 exports) with npm `@tmcw/togeojson`. The browser's DOMParser is
 * used when there is one; in Node (tests, workers without DOM) `@xmldom/xmldom` stands in,
 * which togeojson supports. KML coordinates are WGS84 longitude/latitude by definition.
 *
 * The text is decoded here, by the XML declaration's `encoding` (GB2312 and GBK are common
 * in Chinese exports) or, without one, by detection (`decode-text.ts`). `<MultiPolygon>`,
 * `<MultiLineString>` and `<MultiPoint>`, which some tools write though KML has only
 * `<MultiGeometry>`, are read as MultiGeometry, as GDAL does.
 */
import type * as togeojson from '@tmcw/togeojson';
import type { Feature } from 'geojson';
import { FormatError } from '../errors.ts';
import { msg } from '../messages.ts';
import { decodeText } from './decode-text.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { ImportFormat, ParsedFile } from './types.ts';

type XmlDoc = Parameters<typeof togeojson.kml>[0];

/** What the parser said, as one of our messages: a line and column, unclosed elements, or its words. */
function xmlError(detail: string, fileName: string, cause?: unknown): FormatError {
  const at = /line[: ](\d+)(?:,| at) ?col(?:umn)?[: ](\d+)/i.exec(detail);
  if (at) return new FormatError(msg('kmlXmlAt', { file: fileName, line: Number(at[1]), column: Number(at[2]) }), fileName, { cause });
  const unclosed = /unclosed xml tag\(s\): (.*)$/i.exec(detail);
  if (unclosed) return new FormatError(msg('kmlUnclosed', { file: fileName, tags: unclosed[1]!.trim() }), fileName, { cause });
  return new FormatError(msg('kmlXml', { file: fileName, detail }), fileName, { cause });
}

async function parseXml(text: string, fileName: string): Promise<XmlDoc> {
  const bad = (detail: string, cause?: unknown): FormatError => xmlError(detail, fileName, cause);
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

/** The encoding an XML declaration names, or null. */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1] ?? null;
}

const NONCONFORMANT_MULTI = ['MultiPolygon', 'MultiLineString', 'MultiPoint'];

/** Non-standard `<MultiPolygon>` and friends become `<MultiGeometry>` holding the same children. */
function conformMulti(xml: XmlDoc): void {
  // The browser's Document and xmldom's share these methods; one type is enough to call them.
  const doc = xml as unknown as Document;
  for (const name of NONCONFORMANT_MULTI) {
    const found = doc.getElementsByTagName(name);
    // A live list: take a copy before replacing.
    for (const el of Array.from({ length: found.length }, (_, i) => found[i]!)) {
      const multi = doc.createElementNS(el.namespaceURI, 'MultiGeometry');
      while (el.firstChild) multi.appendChild(el.firstChild);
      el.parentNode?.replaceChild(multi, el);
    }
  }
}

async function parseKml(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const { text, problem } = decodeText(bytes, fileName, declaredEncoding(bytes));
  const doc = await parseXml(text.replace(/^\uFEFF/, ''), fileName);
  const root = doc.documentElement;
  if (!root || root.localName !== 'kml') {
    throw new FormatError(msg('notKml', { file: fileName, root: root?.localName ?? '' }), fileName);
  }
  conformMulti(doc);
  const { kml } = await import('@tmcw/togeojson');
  const fc = kml(doc);
  return {
    features: fc.features as Feature[],
    crs: { code: 'EPSG:4326', source: 'format', note: msg('noteKml') },
    skipped: 0,
    problems: problem ? [problem] : [],
  };
}

export const kmlFormat: ImportFormat = {
  id: 'kml',
  extensions: IMPORT_EXTENSIONS.kml,
  sniff: (bytes) => /^\s*<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*<kml\b|^\s*<kml\b/.test(new TextDecoder('latin1').decode(bytes.subarray(0, 512)).replace(/^(\uFEFF|\u00EF\u00BB\u00BF)/, '')),
  parse: (bytes, fileName) => parseKml(bytes, fileName),
};
