/**
 * Filters, as Python's: an object with `filter(record)` or a plain function. A `Filter(name)` passes
 * records from the logger `name` and its descendants.
 */
import type { LogRecord } from './record.js';

/** Something that decides whether a record goes on. */
export type FilterLike =
  { filter(record: LogRecord): boolean | LogRecord } | ((record: LogRecord) => boolean | LogRecord);

/** Python's `logging.Filter(name)`. */
export class Filter {
  readonly name: string;
  constructor(name = '') {
    this.name = name;
  }
  filter(record: LogRecord): boolean {
    if (this.name === '' || record.name === this.name) return true;
    return record.name.startsWith(this.name) && record.name[this.name.length] === '.';
  }
}

/** Holds filters; shared by loggers and handlers. */
export class Filterer {
  filters: FilterLike[] = [];

  addFilter(filter: FilterLike): void {
    if (!this.filters.includes(filter)) this.filters.push(filter);
  }

  removeFilter(filter: FilterLike): void {
    const index = this.filters.indexOf(filter);
    if (index >= 0) this.filters.splice(index, 1);
  }

  /** True when every filter lets the record through. */
  filter(record: LogRecord): boolean {
    for (const f of this.filters) {
      const result = typeof f === 'function' ? f(record) : f.filter(record);
      if (!result) return false;
    }
    return true;
  }
}
