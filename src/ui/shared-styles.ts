/**
 * Styles every component shares: buttons, form controls and the focus ring, written once
 * so a change of look or of the focus ring's contrast reaches every panel.
 */
import { css } from 'lit';

export const controlStyles = css`
  button { font: inherit; font-size: 0.8rem; border: 1px solid var(--zs-line); background: var(--zs-bg); color: var(--zs-text); border-radius: 4px; padding: 0.25rem 0.55rem; cursor: pointer; }
  button[aria-pressed=true] { background: var(--zs-accent); color: #fff; border-color: var(--zs-accent); }
  button.primary { border-color: var(--zs-accent); background: var(--zs-accent); color: #fff; }
  button:disabled { opacity: 0.55; cursor: default; }
  input[type=number], input[type=text], input[type=search], select { font: inherit; padding: 0.15rem 0.3rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); color: var(--zs-text); }
  :focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 2px; }
  .muted { color: var(--zs-muted); font-size: 0.75rem; }
  .error { color: var(--zs-error); overflow-wrap: anywhere; }
`;
