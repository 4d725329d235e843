/**
 * Builds a WHERE clause with numbered parameters: `filter.add('p.town = ?', town)`.
 * Parameters given to the constructor come first ($1, $2 ...).
 */
export class SqlFilter {
  private readonly clauses: string[] = [];

  constructor(readonly params: unknown[] = []) {}

  add(clause: string, value: unknown): this {
    this.params.push(value);
    this.clauses.push(clause.replace('?', `$${this.params.length}`));
    return this;
  }

  /** The clauses joined with AND, prefixed by AND (empty when there are none). */
  get and(): string {
    return this.clauses.length ? ` AND ${this.clauses.join(' AND ')}` : '';
  }
}
