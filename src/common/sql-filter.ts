/** Joins a household `h` to its unit `u` and that unit's project `p` (none for a household on the waiting list). */
export const HOUSEHOLD_PROJECT = 'LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id';

/**
 * Builds a WHERE clause with numbered parameters: `filter.add('p.town = ?', town)`; a clause with
 * several `?` takes as many values, in order. Parameters given to the constructor come first ($1, $2 ...).
 */
export class SqlFilter {
  private readonly clauses: string[] = [];

  constructor(readonly params: unknown[] = []) {}

  add(clause: string, ...values: unknown[]): this {
    let next = 0;
    const sql = clause.replace(/\?/g, (mark) => {
      if (next >= values.length) return mark;
      this.params.push(values[next++]);
      return `$${this.params.length}`;
    });
    if (next !== values.length) throw new Error(`SqlFilter: ${values.length} values for ${next} placeholders in "${clause}"`);
    this.clauses.push(sql);
    return this;
  }

  /** The clauses joined with AND, prefixed by AND (empty when there are none). */
  get and(): string {
    return this.clauses.length ? ` AND ${this.clauses.join(' AND ')}` : '';
  }

  /** The clauses joined with AND, prefixed by WHERE (empty when there are none). */
  get where(): string {
    return this.clauses.length ? ` WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
