/** The SDK's random ids live in ../ids.ts; re-exported for modules that import them from here. */
export { randomId } from '../ids.js';

/** Remembers the most recent `capacity` ids (the SDK's duplicate filter). */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}
