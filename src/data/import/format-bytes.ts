/** A byte count for messages: "512 bytes", "3.4 KB", "200 MB", "2 GB". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : +v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
