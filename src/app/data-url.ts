/** The bytes and type of a base64 data: URL (a captured map image), to offer as a file. */
export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]+)(?:;[^;,=]+=[^;,]*)*;base64,/.exec(dataUrl);
  if (!match) throw new Error('Only base64 data: URLs can be downloaded');
  const binary = atob(dataUrl.slice(match[0].length));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: match[1] });
}
