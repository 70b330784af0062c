/** Saving a file the app made (a map image) through the browser's own download. */

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
