/** The pinyin Web Worker: runs of Chinese characters in, their syllables out (`pinyin.ts`). */
import { syllables } from './pinyin.ts';

addEventListener('message', (e: MessageEvent<string[]>) => postMessage(syllables(e.data)));
