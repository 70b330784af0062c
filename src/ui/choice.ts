/** One option of a menu: a value and what it is called in the UI's language. */
export interface Choice {
  value: string;
  label: string;
}
