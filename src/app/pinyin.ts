/**
 * Pinyin of runs of Chinese characters, for the search index: one toneless syllable per
 * character (ü written v, as keyboards type it), read with the run as context so a
 * character with several readings gets the one its word has (行政区 → xing zheng qu).
 * It carries pinyin-pro's dictionary (~300 KB), so the page runs it in a worker
 * (`pinyin.worker.ts`); Node tests call it directly.
 */
import { pinyin } from 'pinyin-pro';

const HAN_RUN = /^\p{Script=Han}+$/u;

/**
 * The syllables of each run, or an empty list for one that is not all Chinese characters
 * or has a character pinyin-pro cannot read (a rare one outside its dictionary).
 */
export function syllables(runs: readonly string[]): string[][] {
  if (!Array.isArray(runs)) throw new Error('runs must be an array');
  return runs.map((run) => {
    if (typeof run !== 'string' || !HAN_RUN.test(run)) return [];
    const out = pinyin(run, { toneType: 'none', type: 'array', v: true });
    return out.length === [...run].length && out.every((s) => /^[a-z]+$/.test(s)) ? out : [];
  });
}
