import { describe, expect, it } from 'vitest';
import { addDays, chartDates, daysBetween, isIsoDate, monthEnd, nextMonthEnd, previousMonthEnd } from './calendar.ts';

describe('timeline calendar', () => {
  it('knows a real day from a string that looks like one', () => {
    for (const ok of ['2024-02-29', '2024-12-31', '1900-01-01']) expect(isIsoDate(ok), ok).toBe(true);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-5', '2024-01-01T00:00', '99999-01-01', '1899-12-31', ' 2024-01-01', '', 20240101, null]) {
      expect(isIsoDate(bad), String(bad)).toBe(false);
    }
  });

  it('counts days in UTC, across a leap day and the year', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(daysBetween('2024-06-21', '2024-06-01')).toBe(-20);
    expect(() => addDays('June', 1)).toThrow('not a date (YYYY-MM-DD): June');
  });

  it('steps a month at a time through month ends, stopping at the end', () => {
    expect(monthEnd('2024-02-10')).toBe('2024-02-29');
    expect(previousMonthEnd('2024-03-15')).toBe('2024-02-29');
    expect(previousMonthEnd('2024-01-01')).toBe('2023-12-31');
    expect(nextMonthEnd('2024-01-01', '2024-12-31')).toBe('2024-01-31');
    expect(nextMonthEnd('2024-01-31', '2024-12-31')).toBe('2024-02-29');
    expect(nextMonthEnd('2024-06-21', '2024-12-31')).toBe('2024-06-30');
    expect(nextMonthEnd('2024-11-30', '2024-12-20')).toBe('2024-12-20');
    expect(nextMonthEnd('2024-12-31', '2024-12-31')).toBeNull();
    const stops: string[] = [];
    for (let d: string | null = '2024-01-01'; d; d = nextMonthEnd(d, '2024-12-31')) stops.push(d);
    expect(stops).toHaveLength(13);
  });

  it('draws a chart at the start, every month end and the data date', () => {
    expect(chartDates('2024-01-01', '2024-04-30', '2024-02-15')).toEqual(['2024-01-01', '2024-01-31', '2024-02-15', '2024-02-29', '2024-03-31', '2024-04-30']);
    expect(chartDates('2024-01-01', '2024-01-31', '2024-01-31')).toEqual(['2024-01-01', '2024-01-31']);
  });
});
