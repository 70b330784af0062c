/**
 * Files dropped on an element (the map) are handed on, while `allowed()` says so (staff
 * only): the browser would otherwise open them in place of the app.
 */
export function acceptDroppedFiles(target: HTMLElement, allowed: () => boolean, onFiles: (files: File[]) => void): () => void {
  const over = (e: DragEvent): void => {
    if (!allowed() || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const drop = (e: DragEvent): void => {
    if (!allowed() || !e.dataTransfer?.files.length) return;
    e.preventDefault();
    onFiles([...e.dataTransfer.files]);
  };
  target.addEventListener('dragover', over);
  target.addEventListener('drop', drop);
  return () => {
    target.removeEventListener('dragover', over);
    target.removeEventListener('drop', drop);
  };
}
