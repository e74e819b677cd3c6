import type { DeliveryLedger } from '../../ports.js';

/** Deliveries remembered by this process (the app: a re-delivered webhook does not notify twice). */
export class MemoryDeliveryLedger implements DeliveryLedger {
  private readonly keys = new Set<string>();

  constructor(private readonly limit = 100_000) {}

  async findDelivered(keys: readonly string[]): Promise<Set<string>> {
    return new Set(keys.filter((k) => this.keys.has(k)));
  }

  async recordDelivered(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      // Oldest first out: a long-running app keeps a bounded memory.
      if (this.keys.size >= this.limit) this.keys.delete(this.keys.values().next().value!);
      this.keys.add(key);
    }
  }
}
