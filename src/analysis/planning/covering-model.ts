/**
 * The covering problem as the greedy and the integer programme see it: demand rows with
 * weights, candidate columns, and which candidates reach which rows (both ways, sparse).
 *
 * Units already covered by the sites there are left out (they add nothing whichever sites
 * are chosen), so are units no candidate reaches; units reached by exactly the same
 * candidates are merged into one row with their weights summed, which changes no answer
 * and makes the integer programme several times smaller.
 */
export interface CoveringModel {
  /** Candidates (columns). */
  readonly candidates: number;
  /** Demand rows and their weights (m²). */
  readonly rows: number;
  readonly weight: Float64Array;
  /** Rows candidate j reaches: colRows[colStart[j] .. colStart[j + 1]). */
  readonly colStart: Int32Array;
  readonly colRows: Int32Array;
  /** Candidates reaching row i: rowCols[rowStart[i] .. rowStart[i + 1]). */
  readonly rowStart: Int32Array;
  readonly rowCols: Int32Array;
  /** All demand (m²), covered or not. */
  readonly total: number;
  /** Demand covered before any candidate is chosen (m²). */
  readonly covered: number;
}

/**
 * The model of `weights` (one per unit), `covered` (1 where a unit is covered already) and
 * `reach` (per candidate, the units it reaches, each list ascending).
 */
export function buildCoveringModel(weights: Float64Array, covered: Uint8Array, reach: readonly Int32Array[]): CoveringModel {
  const units = weights.length;
  if (covered.length !== units) throw new Error('covered must have one entry per unit');
  let total = 0;
  let already = 0;
  for (let u = 0; u < units; u++) {
    total += weights[u]!;
    if (covered[u]) already += weights[u]!;
  }
  // Which candidates reach each open unit: counting sort by unit, candidates ascending.
  const count = new Int32Array(units + 1);
  for (const list of reach) for (const u of list) if (!covered[u]) count[u + 1]!++;
  for (let u = 0; u < units; u++) count[u + 1]! += count[u]!;
  const byUnit = new Int32Array(count[units]!);
  const fill = count.slice(0, units);
  reach.forEach((list, j) => {
    for (const u of list) if (!covered[u]) byUnit[fill[u]!++] = j;
  });
  // Merge units with the same candidates into rows.
  const rowOf = new Map<string, number>();
  const rowWeight: number[] = [];
  const rowFirstUnit: number[] = [];
  for (let u = 0; u < units; u++) {
    const a = count[u]!;
    const b = count[u + 1]!;
    if (a === b) continue;
    const key = byUnit.subarray(a, b).join(',');
    let row = rowOf.get(key);
    if (row === undefined) {
      row = rowWeight.length;
      rowOf.set(key, row);
      rowWeight.push(0);
      rowFirstUnit.push(u);
    }
    rowWeight[row]! += weights[u]!;
  }
  const rows = rowWeight.length;
  const rowStart = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) {
    const u = rowFirstUnit[i]!;
    rowStart[i + 1] = rowStart[i]! + (count[u + 1]! - count[u]!);
  }
  const rowCols = new Int32Array(rowStart[rows]!);
  for (let i = 0; i < rows; i++) {
    const u = rowFirstUnit[i]!;
    rowCols.set(byUnit.subarray(count[u], count[u + 1]), rowStart[i]);
  }
  // And the other way round: rows per candidate, ascending.
  const colStart = new Int32Array(reach.length + 1);
  for (const j of rowCols) colStart[j + 1]!++;
  for (let j = 0; j < reach.length; j++) colStart[j + 1]! += colStart[j]!;
  const colRows = new Int32Array(rowCols.length);
  const at = colStart.slice(0, reach.length);
  for (let i = 0; i < rows; i++) for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) colRows[at[rowCols[k]!]!++] = i;
  return { candidates: reach.length, rows, weight: Float64Array.from(rowWeight), colStart, colRows, rowStart, rowCols, total, covered: already };
}

/** Weight of the rows the chosen candidates reach together. */
export function coveredWeight(model: CoveringModel, chosen: Iterable<number>): number {
  const hit = new Uint8Array(model.rows);
  let sum = 0;
  for (const j of chosen) {
    for (let k = model.colStart[j]!; k < model.colStart[j + 1]!; k++) {
      const i = model.colRows[k]!;
      if (!hit[i]) {
        hit[i] = 1;
        sum += model.weight[i]!;
      }
    }
  }
  return sum;
}

/** What each candidate in `order` adds to those before it, m². */
export function marginalGains(model: CoveringModel, order: readonly number[]): number[] {
  const hit = new Uint8Array(model.rows);
  return order.map((j) => {
    let g = 0;
    for (let k = model.colStart[j]!; k < model.colStart[j + 1]!; k++) {
      const i = model.colRows[k]!;
      if (!hit[i]) {
        hit[i] = 1;
        g += model.weight[i]!;
      }
    }
    return g;
  });
}
