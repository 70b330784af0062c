/**
 * Bytes to text for files from Chinese desktop tools: UTF-8 (with or without BOM) when the
 * bytes are valid UTF-8, else GBK (Excel on Chinese Windows saves CSV as GBK/CP936).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gbk' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}
