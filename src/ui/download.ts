/** Saving a file the app made (a map image) through the browser's own download. */

/**
 * Offers a data: URL as a download named `filename`. The bytes go through a Blob URL:
 * an `<a download>` pointing straight at a data: URL of a few MB (a print-size PNG) fails
 * in some browsers, and a Blob URL needs no second copy of the base64 text.
 */
export function downloadDataUrl(dataUrl: string, filename: string, doc: Document = document): void {
  downloadBlob(dataUrlToBlob(dataUrl), filename, doc);
}

/** Offers a Blob (an export) as a download named `filename`. */
export function downloadBlob(blob: Blob, filename: string, doc: Document = document): void {
  if (!filename) throw new Error('filename is required');
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  // The click only starts the download; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The bytes and type of a base64 data: URL. */
export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]+)(?:;[^;,=]+=[^;,]*)*;base64,/.exec(dataUrl);
  if (!match) throw new Error('Only base64 data: URLs can be downloaded');
  const binary = atob(dataUrl.slice(match[0].length));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: match[1] });
}
